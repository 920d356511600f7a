import Foundation
@testable import InoculationGate

/// The misbehaving OpenAI-compatible server of `Fixtures/fault_server.py`, on loopback.
final class FaultServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// Starts the server; `key` is the API key it counts as authorised.
    init(key: String = "") throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fault_server.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, key]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else { throw POSIXError(.EIO) }
        self.port = port
    }

    func baseURL(_ mode: String) -> String { "http://127.0.0.1:\(port)/\(mode)/v1" }

    /// Requests received so far: in all, per mode, and with the right API key.
    func stats() throws -> (requests: Int, byMode: [String: Int], authorized: Int, maxInFlight: Int) {
        // Foundation on Linux has no http: in Data(contentsOf:); ask with Python instead.
        let fetch = Process()
        fetch.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        fetch.arguments = ["-c", "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:\(port)/stats').read().decode())"]
        let output = Pipe()
        fetch.standardOutput = output
        try fetch.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        while fetch.isRunning { usleep(1_000) }
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["requests"] as! Int, object["by_mode"] as! [String: Int], object["authorized"] as! Int, object["max_in_flight"] as! Int)
    }

    /// Stops the server. Call it (with `defer`) where the test ends: that also keeps
    /// the server alive until then, which Swift would not otherwise promise.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        // Not `waitUntilExit()`: it spins a run loop on a cooperative thread and can hang.
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
    }

    deinit { stop() }
}
