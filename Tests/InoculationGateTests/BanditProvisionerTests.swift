import Foundation
import Testing
@testable import InoculationGate

/// The pinned Bandit is found or installed by the tool itself; offline, the gate
/// says why it scores with rules only.
@Suite("Bandit provisioning", .serialized)
struct BanditProvisionerTests {
    /// Debian's interpreter, which has no Bandit of its own (the tests' usual one may).
    static let bare = "/usr/bin/python3"

    static var bareHasNoBandit: Bool {
        get async {
            guard FileManager.default.isExecutableFile(atPath: bare) else { return false }
            return await BanditProvisioner.version(of: bare) == nil
        }
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var said: [String] = []
        func add(_ line: String) { lock.withLock { said.append(line) } }
        var all: [String] { lock.withLock { said } }
    }

    @Test("an interpreter without Bandit: the pinned one is installed once into a private environment, with one line",
          .tags(.slow), .enabled("needs /usr/bin/python3 without Bandit") { await bareHasNoBandit })
    func installsOnce() async throws {
        let fixture = try Fixture()
        let environment = TestEnvironment.base.setting(["IPGATE_CACHE": fixture.folder + "/cache"])
        let lines = Lines()
        let first = await BanditProvisioner(python: Self.bare, environment: environment, say: lines.add).resolve()
        let folder = fixture.folder + "/cache/bandit-\(BanditProvisioner.pinnedVersion)"
        #expect(first == .bandit(python: folder + "/bin/python", version: BanditProvisioner.pinnedVersion), "\(first) \(lines.all)")
        #expect(lines.all.count == 1 && lines.all[0].contains("installing it into \(folder)"), "\(lines.all)")
        let again = Lines()
        let second = await BanditProvisioner(python: Self.bare, environment: environment, say: again.add).resolve()
        #expect(second == first)
        #expect(again.all.isEmpty, "the second run installs nothing and says nothing: \(again.all)")
        // The scorer built on it really scans with Bandit.
        let scorer = VulnerabilityScorer(python: folder + "/bin/python", banditVersion: BanditProvisioner.pinnedVersion)
        let findings = await scorer.scan(["import subprocess\nsubprocess.call(user_input, shell=True)\n"])
        #expect(findings[0].contains { $0.rule.hasPrefix("B") }, "\(findings)")
    }

    @Test("no package index: rules only, with a message that says why and what to do, and the rules-only fingerprint",
          .enabled("needs /usr/bin/python3 without Bandit") { await bareHasNoBandit })
    func offline() async throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.folder + "/no-wheels", withIntermediateDirectories: true)
        let environment = TestEnvironment.base.setting([
            "IPGATE_CACHE": fixture.folder + "/cache", "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": fixture.folder + "/no-wheels",
        ])
        let lines = Lines()
        let scorer = await VulnerabilityScorer.detecting(python: Self.bare, environment: environment, say: lines.add)
        #expect(scorer.fingerprint == "vuln-1+rules-only")
        let message = lines.all.last ?? ""
        #expect(message.contains("could not provide Bandit \(BanditProvisioner.pinnedVersion)") && message.contains("built-in rules only")
            && message.contains("IPGATE_BANDIT=off"), "\(lines.all)")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/cache/bandit-\(BanditProvisioner.pinnedVersion)"), "no half-made environment is kept")
    }

    @Test("IPGATE_BANDIT=off chooses rules only without asking anything")
    func off() async {
        let resolution = await BanditProvisioner(python: "/nonexistent/python", environment: GateEnvironment(["IPGATE_BANDIT": "off"]), say: { _ in }).resolve()
        #expect(resolution == .rulesOnly(reason: nil))
    }

    @Test("README names the pinned version, and no other")
    func pinnedEverywhere() throws {
        let root = try TestEnvironment.repositoryRoot().path
        let pin = "bandit==\(BanditProvisioner.pinnedVersion)"
        for file in ["README.md"] {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            #expect(text.contains(pin), "\(file) does not name \(pin)")
            #expect(text.range(of: #"bandit==[0-9]"#, options: .regularExpression).map { text[$0.lowerBound...].hasPrefix(pin) } ?? true)
        }
    }
}
