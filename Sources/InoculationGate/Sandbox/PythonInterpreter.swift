import Foundation

/// Finds the real `python3` binary once. Version-manager shims (pyenv, asdf)
/// cost ~0.2 s per start; the interpreter they point to costs ~15 ms.
public enum PythonInterpreter {
    /// The absolute path of the interpreter: `IPGATE_PYTHON` if set, otherwise
    /// `sys.executable` of the first `python3` on `PATH`.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit = environment["IPGATE_PYTHON"], !explicit.isEmpty { return explicit }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let launcher = path.split(separator: ":").map({ "\($0)/python3" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw SandboxError.noInterpreter("python3 is not on PATH; install it or set IPGATE_PYTHON")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = ["-c", "import sys; print(sys.executable)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SandboxError.noInterpreter("cannot start \(launcher): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let resolved = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, resolved.hasPrefix("/") else {
            return launcher
        }
        return resolved
    }
}
