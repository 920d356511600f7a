import Foundation
import Testing
@testable import InoculationGate

@Suite("ipgate bench offline")
struct OfflineBenchTests {
    @Test("reports the run's sample count, its time and the process's peak memory, stored and not, leaving nothing in the project")
    func reports() throws {
        let fixture = try Fixture()
        try fixture.makeRoot()
        let questions = try TestEnvironment.repositoryRoot().suites + "/probes/em-questions.yaml"
        try fixture.write("Suites/probes/em-questions.yaml", try String(contentsOfFile: questions, encoding: .utf8))
        for flags in [[], ["--no-store"]] {
            let run = try IPGateProcess.run(["bench", "offline", "--samples", "1040"] + flags, in: fixture.folder)
            #expect(run.status == 0, "\(run.output)")
            // 2 subjects × 2 conditions × 26 questions × 10 samples.
            let line = run.output.split(separator: "\n").last.map(String.init) ?? ""
            #expect(line.hasPrefix("1040 samples (10 per question), \(flags.isEmpty ? "stored" : "not stored"): "), "\(line)")
            #expect(line.range(of: #"peak resident memory \d+ MB$"#, options: .regularExpression) != nil, "\(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.folder + "/.ipgate"), "the benchmark wrote into the project")
    }
}
