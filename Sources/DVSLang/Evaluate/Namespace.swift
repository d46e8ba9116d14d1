/// The global names of one module, of the main program (scripts, REPL cells,
/// notebooks), or of the built-ins. A module's or the program's names are
/// looked up in its own namespace first, then in the built-ins; nothing one
/// module declares is visible in another except through a module value.
final class Namespace {
    /// "main", "built-ins", or the module's name.
    let name: String
    /// The built-ins behind this namespace (nil for the built-ins themselves).
    let builtins: Namespace?
    private(set) var slots: [String: GlobalSlot] = [:]

    init(name: String, builtins: Namespace?) {
        self.name = name
        self.builtins = builtins
    }

    /// This namespace's own slot for `name`, created (undefined) if absent.
    func ownSlot(_ name: String) -> GlobalSlot {
        if let slot = slots[name] { return slot }
        let slot = GlobalSlot(name: name)
        slots[name] = slot
        return slot
    }

    /// The slot a name read in this namespace refers to: its own slot when it
    /// has one or declares the name (`declaredHere`: top-level names of the
    /// code being resolved), else a built-in of that name, else a new own slot
    /// (an unknown name, reported when it runs).
    func slot(for name: String, declaredHere: Bool) -> GlobalSlot {
        if let slot = slots[name] { return slot }
        if !declaredHere, let builtin = builtins?.slots[name], builtin.isDefined { return builtin }
        return ownSlot(name)
    }

    /// The value `name` has here (own, then built-in), or nil.
    func value(_ name: String) -> Value? {
        if let slot = slots[name], slot.isDefined { return slot.value }
        return builtins?.value(name)
    }

    /// Names defined in this namespace itself.
    var ownNames: [String] { slots.values.filter(\.isDefined).map(\.name) }
}

/// The value of `import "name"`: a module's own globals, read live (`nn.linear`).
/// Members cannot be assigned from outside the module.
final class ModuleObject: DVSObject {
    let namespace: Namespace
    /// The module file's canonical path.
    let path: String

    init(namespace: Namespace, path: String) {
        self.namespace = namespace
        self.path = path
    }

    var typeName: String { "module" }
    var summary: String { "<module \(namespace.name)>" }
    func member(_ name: String) throws(NativeError) -> Value? {
        guard let slot = namespace.slots[name], slot.isDefined else { return nil }
        return slot.value
    }
    var memberNames: [String] { namespace.ownNames.sorted() }
}
