import Foundation

/// Finds the real `python3` binary once. Version-manager shims (pyenv, asdf)
/// cost ~0.2 s per start; the interpreter they point to costs ~15 ms.
package enum PythonInterpreter {
    /// The absolute path of the interpreter: `IPGATE_PYTHON` if set, otherwise
    /// `sys.executable` of the first `python3` on `PATH`.
    package static func resolve(environment: GateEnvironment) async throws -> String {
        if let explicit = environment.python { return explicit }
        guard let launcher = environment.path.split(separator: ":").map({ "\($0)/python3" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw SandboxError.noInterpreter("python3 is not on PATH; install it or set IPGATE_PYTHON")
        }
        let output: HelperProcess.Output
        do {
            output = try await HelperProcess.run(launcher, ["-c", "import sys; print(sys.executable)"])
        } catch {
            throw SandboxError.noInterpreter("cannot start \(launcher): \(error)")
        }
        let resolved = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return output.succeeded && resolved.hasPrefix("/") ? resolved : launcher
    }
}
