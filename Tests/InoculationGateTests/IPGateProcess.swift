import Foundation

/// The `ipgate` tool built beside the tests, run as a child process — for tests
/// of what only a separate process can show (a `kill -9` in the middle of a run).
struct IPGateProcess {
    let process = Process()
    let output: String

    /// The built `ipgate`: next to the test bundle, or in the package's `.build/debug` —
    /// checked once to be newer than every source it is built from, so a test never runs
    /// a tool left over from an older build.
    static func executable() throws -> String {
        try checked.get()
    }

    private static let checked = Result<String, Error> {
        let found = try located()
        let sources = try TestEnvironment.repositoryRoot().path + "/Sources"
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        guard let built = modified(found) else { return found }
        let newest = (FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("InoculationGateTesting/") }
            .compactMap { name in modified(sources + "/" + name).map { (name, $0) } }
            .max { $0.1 < $1.1 }
        if let (name, date) = newest, date > built {
            throw Missing(message: "\(found) is older than Sources/\(name); build it again (`swift build`) so the tests run the tool as the sources are")
        }
        return found
    }

    private static func located() throws -> String {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ipgate").path]
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                candidates.append(folder.appendingPathComponent(".build/debug/ipgate").path)
                break
            }
            folder.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Missing(message: "ipgate is not built (looked in \(candidates.joined(separator: ", "))); run `swift build` first")
        }
        return found
    }

    struct Missing: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Starts `ipgate arguments…`, its output going to a file in `folder`, under the tests'
    /// environment (no CI, no IPGATE_RECORD of the developer's) plus `environment`.
    init(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = TestEnvironment.base.setting(environment).variables
        output = folder + "/ipgate-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Sends SIGKILL — no chance to clean up, as in a crash or an OOM kill.
    func killNine() {
        kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the process to end (polling: `waitUntilExit` needs a run loop) and returns its status.
    @discardableResult
    func wait(timeout: Double = 300) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(10_000) }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

    /// Runs `ipgate arguments…` to the end: its exit status and everything it printed.
    static func run(_ arguments: [String], in folder: String, environment: [String: String] = [:], timeout: Double = 300) throws -> (status: Int32, output: String) {
        let process = try IPGateProcess(arguments, in: folder, environment: environment)
        let status = process.wait(timeout: timeout)
        return (status, process.log)
    }
}
