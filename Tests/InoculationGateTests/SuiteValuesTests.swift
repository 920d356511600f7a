import Foundation
import Testing
@testable import InoculationGate

/// Values that parse but make no sense are errors with a location and the allowed range.
@Suite("Suite values that make no sense")
struct SuiteValuesTests {
    static let openAI = Fixture.suite.replacingOccurrences(
        of: "  control: {provider: reference, behaviour: no-inoculation, trained_with: ip}",
        with: "  control: {provider: openai, model: m, base_url: \"http://127.0.0.1:9/v1\"}")

    @Test("each nonsense value is a located error that names the allowed range", arguments: [
        ("samples: 4}", "samples: 9223372036854775807}", "'samples' must be from 1 to 100000"),
        ("samples: 4}", "samples: 4, temperature: 900}", "'temperature' must be from 0 to 2"),
        ("samples: 4}", "samples: 4, max_tokens: -5}", "'max_tokens' must be from 1 to 1000000"),
        ("from: ip, to: none}", "from: ip, to: ip}", "compares inoculated@ip with itself"),
        ("from: ip, to: none}", "from: ip, to: none}\n  - suppression: {subject: inoculated, measure: misalignment, condition: none, versus: control, margin: -0.1}", "'margin' must be from 0 to 1"),
        ("from: ip, to: none}", "from: ip, to: none}\nbaseline: {tolerance: {capability: 1000}}", "the tolerance of 'capability' must be from 0 to 1"),
        ("from: ip, to: none}", "from: ip, to: none}\nbaseline: {default_tolerance: 3}", "'default_tolerance' is on the 0–1 scale"),
        ("items: tasks.yaml}", "items: /etc/passwd}", "is outside the suite's folder"),
        ("items: tasks.yaml}", "items: ../../../../etc/hostname}", "is outside the suite's folder"),
    ])
    func nonsense(find: String, replace: String, message: String) throws {
        let fixture = try Fixture()
        let error = try fixture.error(Fixture.suite.replacingOccurrences(of: find, with: replace))
        #expect(error.description.contains("suite.yaml:") && error.description.contains(": error: "), "\(error.description)")
        #expect(error.description.contains(message), "\(error.description)")
        #expect(!error.description.contains("root:"), "the error quotes a system file: \(error.description)")
    }

    @Test("endpoints: a timeout of 1e16, a base_url without a host, concurrency 0 are located errors", arguments: [
        ("base_url: \"http://127.0.0.1:9/v1\"}", "base_url: \"http://127.0.0.1:9/v1\", timeout: 1e16}", "'timeout' must be above 0 and at most 86400"),
        ("base_url: \"http://127.0.0.1:9/v1\"}", "base_url: \"http://\"}", "with a host"),
        ("base_url: \"http://127.0.0.1:9/v1\"}", "base_url: \"http://127.0.0.1:9/v1\", concurrency: 0}", "'concurrency' must be from 1 to 1024"),
        ("base_url: \"http://127.0.0.1:9/v1\"}", "base_url: \"http://127.0.0.1:9/v1\", max_attempts: 100000}", "'max_attempts' must be from 1 to 100"),
    ])
    func endpoints(find: String, replace: String, message: String) throws {
        let fixture = try Fixture()
        let error = try fixture.error(Self.openAI.replacingOccurrences(of: find, with: replace))
        #expect(error.description.contains("suite.yaml:") && error.description.contains(message), "\(error.description)")
    }

    @Test("a folder given as the suite path says so")
    func folderAsSuite() throws {
        let fixture = try Fixture()
        #expect(throws: SuiteError.self) { try SuiteLoader().load(path: fixture.folder) }
        do { _ = try SuiteLoader().load(path: fixture.folder) } catch { #expect(error.description.contains("this is a folder, not a suite file")) }
    }

    @Test("probe data outside the suite's folder loads only when the probe set allows it")
    func allowOutside() throws {
        let fixture = try Fixture()
        let outside = try Fixture()
        let text = Fixture.suite.replacingOccurrences(of: "items: tasks.yaml}", with: "items: \(outside.folder)/tasks.yaml, allow_outside: true}")
        #expect(try fixture.load(text).probe(named: "code")?.items.count == 2)
    }

    @Test("an api_key_env that names an unset variable stops the run before any request")
    func unsetKey() async throws {
        let server = try FaultServer()
        defer { server.stop() }
        let fixture = try Fixture()
        let suite = try fixture.load(Self.openAI.replacingOccurrences(
            of: "base_url: \"http://127.0.0.1:9/v1\"}", with: "base_url: \"\(server.baseURL("ok"))\", api_key_env: IPGATE_TEST_UNSET_KEY_VARIABLE}"))
        await #expect(throws: ProviderError.self) { _ = try await TestEnvironment.runner().run(suite) }
        #expect(try server.stats().requests == 0)
    }
}
