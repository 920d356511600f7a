import Foundation
import Testing
@testable import InoculationGate

/// A dead or misconfigured endpoint stops a run in seconds with a sentence, and a
/// slow one is announced by heartbeats instead of silence.
@Suite("Endpoint check and heartbeat", .serialized)
struct EndpointCheckTests {
    /// One judged probe set, one subject at `baseURL` asking for `model`.
    static func suite(baseURL: String, model: String = "tiny", options: String = "") -> String {
        """
        suite: endpoint
        conditions:
          none: {}
        subjects:
          m: {provider: openai, base_url: "\(baseURL)", model: \(model)\(options)}
        probes:
          em: {kind: judged, items: probes/questions.yaml, samples: 2, judge: rubric}
        measures:
          misalignment: {probe: em, metric: misaligned_rate, better: lower}
        """
    }

    /// A loopback port nothing listens on (bound, then released).
    static func closedPort() throws -> Int {
        let (fd, port) = boundSocket()
        close(fd)
        return port
    }

    /// A TCP socket bound to a free loopback port, and the port; the caller closes it.
    static func boundSocket() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("nothing listening: ipgate run stops within 30 s with a sentence saying so, and stores no answer")
    func closedPortFailsFast() throws {
        let fixture = try Fixture()
        try fixture.makeRoot(suite: Self.suite(baseURL: "http://127.0.0.1:\(try Self.closedPort())/v1"))
        let started = Date()
        let (status, output) = try IPGateProcess.run(["run", "Suites/suite.yaml"], in: fixture.folder, timeout: 60)
        let seconds = Date().timeIntervalSince(started)
        #expect(status == 2, "\(output)")
        #expect(seconds < 30, "took \(seconds) s")
        #expect(output.contains("nothing is listening on 127.0.0.1:") && output.contains("Is the server running?"), "\(output)")
        #expect(!output.contains("cached in the runs database"), "nothing was received, so nothing is cached: \(output)")
    }

    @Test("a refused port is told by one connection attempt, without the HTTP client's retries until its deadline; a listening or unknown host is left to the HTTP check")
    func connectProbe() async throws {
        #expect(await ConnectProbe.refused(host: "127.0.0.1", port: try Self.closedPort()))
        let (listener, port) = Self.boundSocket()
        defer { close(listener) }
        listen(listener, 4)
        #expect(await !ConnectProbe.refused(host: "127.0.0.1", port: port))
        #expect(await !ConnectProbe.refused(host: "no-such-host.invalid", port: 80))
    }

    @Test("a host that does not resolve and TLS against a plain-HTTP server are named as such")
    func hostAndTLS() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let cases = [
            ("http://no-such-host.invalid:8000/v1", "could not be resolved"),
            ("https://127.0.0.1:\(server.port)/ok/v1", "TLS handshake with 127.0.0.1:\(server.port) failed"),
        ]
        for (url, expected) in cases {
            do {
                _ = try await EndpointCheck.check(.init(baseURL: url, model: "m"), apiKey: nil)
                Issue.record("\(url): no error")
            } catch let error as ProviderError {
                guard case .unreachable = error else { Issue.record("\(url): \(error)"); continue }
                #expect(error.description.contains(expected), "\(error)")
                #expect(!error.description.contains("/Sources/"), "no source paths in the sentence: \(error)")
            }
        }
    }

    @Test("a model the server does not serve stops the run before generating; a server that answers any name only warns")
    func unknownModel() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        do {
            _ = try await EndpointCheck.check(.init(baseURL: server.baseURL("listed"), model: "wrong"), apiKey: nil)
            Issue.record("no error")
        } catch let error as ProviderError {
            #expect(error.description.contains("does not serve model 'wrong'") && error.description.contains("it serves: served"), "\(error)")
        }
        #expect(try await EndpointCheck.check(.init(baseURL: server.baseURL("listed"), model: "served"), apiKey: nil) == .ready)
        let lenient = try await EndpointCheck.check(.init(baseURL: server.baseURL("anyname"), model: "other"), apiKey: nil)
        guard case .unverified(let note) = lenient else { Issue.record("\(lenient)"); return }
        #expect(note.contains("does not list model 'other'") && note.contains("answers for it"), "\(note)")
    }

    @Test("a server that accepts but never answers: a heartbeat within 10 s says what is awaited")
    func heartbeat() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        try fixture.makeRoot(suite: Self.suite(baseURL: server.baseURL("hang"), options: ", timeout: 12, max_attempts: 1"))
        let project = try fixture.project()
        let beats = Beats()
        var options = GateProject.RunOptions()
        options.progress = { beats.add($0) }
        options.warn = { beats.note($0) }
        let started = Date()
        let suite = try project.loadSuite(fixture.folder + "/Suites/suite.yaml")
        let run = Task { try await project.run(suite, options: options) }
        while beats.first == nil, Date().timeIntervalSince(started) < 10 { try await Task.sleep(nanoseconds: 100_000_000) }
        let first = try #require(beats.first, "no heartbeat within 10 s")
        #expect(first.line.contains("waiting") && first.line.contains(server.baseURL("hang")), "\(first.line)")
        #expect(first.done == 0)
        await #expect(throws: ProviderError.self) { _ = try await run.value }
        #expect(beats.notes.contains { $0.contains("did not answer GET /models") }, "\(beats.notes)")
    }

    @Test("a heartbeat line names the wait and the last failure")
    func heartbeatLine() {
        let progress = RunProgress(
            phase: .generating, done: 0, total: 108, cached: 0, failedAttempts: 2, elapsed: 12,
            waiting: 12, waitingFor: "http://127.0.0.1:8000/v1", lastFailure: "HTTP 503: overloaded")
        #expect(progress.line == "generating 0/108 (0%) · 0.0/s · ETA ? · 0 cached · 2 failed attempts (last: HTTP 503: overloaded) · waiting 12s for http://127.0.0.1:8000/v1")
        #expect(EndpointCheck.tlsReason("handshakeFailed(x:OPENSSL_internal:WRONG_VERSION_NUMBER at /x/y.cc:127)") == "WRONG_VERSION_NUMBER")
    }

    /// Heartbeats and notices collected from the run's callbacks.
    final class Beats: @unchecked Sendable {
        private let lock = NSLock()
        private var heartbeats: [RunProgress] = []
        private var warnings: [String] = []
        func add(_ progress: RunProgress) { lock.withLock { if progress.isHeartbeat { heartbeats.append(progress) } } }
        func note(_ text: String) { lock.withLock { warnings.append(text) } }
        var first: RunProgress? { lock.withLock { heartbeats.first } }
        var notes: [String] { lock.withLock { warnings } }
    }
}
