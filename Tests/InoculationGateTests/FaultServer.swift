import Foundation
@testable import InoculationGate

/// The misbehaving OpenAI-compatible server of `Fixtures/fault_server.py`, on loopback.
final class FaultServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// Starts the server; `key` is the API key it counts as authorised.
    init(key: String = "") throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fault_server.py").path
        process.executableURL = URL(fileURLWithPath: try PythonInterpreter.resolve())
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
    func stats() throws -> (requests: Int, byMode: [String: Int], authorized: Int) {
        let data = try Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/stats")!)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["requests"] as! Int, object["by_mode"] as! [String: Int], object["authorized"] as! Int)
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}
