import DVSFiles
import Foundation

/// The kernelspec Jupyter finds the DVS kernel by: a folder `kernels/dvs`
/// holding `kernel.json` (how to start it: `dvs kernel -f {connection_file}`,
/// interrupted by SIGINT) and the logos.
public enum Kernelspec {
    public static let name = "dvs"

    /// Where the spec goes: `--user` Jupyter's data folder for this user
    /// (`$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter`, else
    /// `~/.local/share/jupyter`), `--prefix P` `P/share/jupyter`, else the
    /// system folder `/usr/local/share/jupyter` — each with `kernels/dvs`.
    public static func folder(user: Bool, prefix: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base: String
        if let prefix {
            base = (prefix as NSString).appendingPathComponent("share/jupyter")
        } else if user {
            if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty {
                base = data
            } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
                base = (xdg as NSString).appendingPathComponent("jupyter")
            } else {
                base = (NSHomeDirectory() as NSString).appendingPathComponent(".local/share/jupyter")
            }
        } else {
            base = "/usr/local/share/jupyter"
        }
        return (base as NSString).appendingPathComponent("kernels/\(name)")
    }

    /// A notebook's `metadata.kernelspec`.
    static let spec = JSONValue.object([("display_name", .string("DVS")), ("language", .string("dvs")), ("name", .string(name))])

    /// `language_info`, in kernel_info replies and notebooks. No Pygments
    /// lexer or CodeMirror mode knows DVS; Python's colour its `#` comments,
    /// strings, numbers and most keywords (without a lexer, `jupyter console`
    /// warns at start and nbconvert shows plain text).
    static func languageInfo(version: String) -> JSONValue {
        .object([
            ("name", .string("dvs")),
            ("version", .string(version)),
            ("mimetype", .string("text/x-dvs")),
            ("file_extension", .string(".dvs")),
            ("codemirror_mode", .string("python")),
            ("pygments_lexer", .string("python")),
        ])
    }

    /// The text of kernel.json for the `dvs` at `executable`.
    public static func kernelJSON(executable: String) -> String {
        JSONValue.object([
            ("argv", .strings([executable, "kernel", "-f", "{connection_file}"])),
            ("display_name", spec["display_name"]!),
            ("language", spec["language"]!),
            ("interrupt_mode", .string("signal")),
            ("metadata", .object([("debugger", .bool(false))])),
        ]).text(indent: 2) + "\n"
    }

    /// Writes kernel.json and the logos into `folder` (made if missing).
    public static func install(into folder: String, executable: String) throws(KernelError) {
        var files: [(name: String, bytes: [UInt8])] = [
            ("kernel.json", Array(kernelJSON(executable: executable).utf8)),
            ("logo-svg.svg", Array(KernelLogo.svg.utf8)),
        ]
        for side in [32, 64] {
            do {
                files.append(("logo-\(side)x\(side).png", try KernelLogo.png(side: side)))
            } catch {
                throw KernelError("cannot draw the logo: \(error)")
            }
        }
        do throws(FileError) {
            try Folders.make(folder)
            for file in files { try AtomicFile.write(file.bytes, to: (folder as NSString).appendingPathComponent(file.name)) }
        } catch {
            throw KernelError("cannot install the kernelspec: \(error.message)")
        }
    }

    /// Removes the kernelspec folder written by `install`; false when there was none.
    public static func uninstall(from folder: String) throws(KernelError) -> Bool {
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("kernel.json")) else { return false }
        do {
            try FileManager.default.removeItem(atPath: folder)
        } catch {
            throw KernelError("cannot remove \(folder): \(error.localizedDescription)")
        }
        return true
    }
}
