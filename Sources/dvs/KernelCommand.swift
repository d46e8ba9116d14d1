import ArgumentParser
import DVSJupyter
import DVSLang
import DVSRuntime
import Foundation

/// `dvs kernel`: the Jupyter kernel (`-f CONNECTION_FILE`, as a Jupyter client
/// starts it), and `install` / `uninstall` of its kernelspec.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "The Jupyter kernel for DVS (docs/JUPYTER.md).",
        discussion: """
            dvs kernel install --user     make the kernel known to Jupyter (JupyterLab,
                                          VS Code, jupyter console --kernel dvs)
            dvs kernel -f conn.json       what Jupyter runs (serves the file's sockets)
            dvs kernel uninstall --user   remove the kernelspec again
            """,
        subcommands: [KernelStart.self, KernelInstall.self, KernelUninstall.self],
        defaultSubcommand: KernelStart.self
    )
}

struct KernelStart: ParsableCommand, StatusCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Serve a Jupyter connection file (what kernel.json runs).")

    @Option(name: .customShort("f"), help: ArgumentHelp("The connection file Jupyter wrote.", valueName: "connection-file"))
    var connectionFile: String

    mutating func run() throws { throw ExitCode(runWithStatus()) }

    mutating func runWithStatus() -> Int32 {
        do {
            let connection = try ConnectionFile.read(connectionFile)
            // Ctrl-C as in the REPL: the interrupt reaches the running cell (kernelspec interrupt_mode "signal").
            Interrupt.clear()
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in Interrupt.request() }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(SIGINT, &action, nil)
            let kernel = try JupyterKernel(connection: connection, interpreter: Runtime.makeInterpreter(), version: DVSCommand.version)
            return kernel.run()
        } catch {
            FileHandle.standardError.write("dvs kernel: \(error.message)\n".data(using: .utf8)!)
            return ExitStatus.usage
        }
    }
}

/// Where `install` and `uninstall` put the kernelspec.
struct KernelLocation: ParsableArguments {
    @Flag(help: "This user's Jupyter data folder (~/.local/share/jupyter).") var user = false
    @Option(help: ArgumentHelp("Under this prefix: <prefix>/share/jupyter (a virtualenv, a conda env).", valueName: "prefix"))
    var prefix: String?

    func validate() throws {
        if user, prefix != nil { throw ValidationError("give --user or --prefix, not both") }
    }

    var folder: String { Kernelspec.folder(user: user, prefix: prefix) }
}

struct KernelInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Write the kernelspec (kernel.json and logos) where Jupyter finds it.",
        discussion: """
            Without --user or --prefix: the system folder
            /usr/local/share/jupyter/kernels/dvs.
            """
    )

    @OptionGroup var location: KernelLocation

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        do {
            try Kernelspec.install(into: location.folder, executable: executable)
        } catch {
            throw ValidationError(error.message + (location.user || location.prefix != nil ? "" : " (try --user)"))
        }
        print("installed the DVS kernelspec in \(location.folder)")
    }
}

struct KernelUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the kernelspec that install wrote.")

    @OptionGroup var location: KernelLocation

    func run() throws {
        do {
            if try Kernelspec.uninstall(from: location.folder) {
                print("removed \(location.folder)")
            } else {
                print("no DVS kernelspec in \(location.folder)")
            }
        } catch {
            throw ValidationError(error.message)
        }
    }
}
