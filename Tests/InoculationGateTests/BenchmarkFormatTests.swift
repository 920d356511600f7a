import Foundation
import Testing
@testable import InoculationGate

@Suite("Benchmark formats")
struct BenchmarkFormatTests {
    static func codeProbes() throws -> [ProbeSet] {
        let root = try TestEnvironment.repositoryRoot()
        return try root.suiteFiles().flatMap { try SuiteLoader().load(path: $0).probes.filter { $0.kind == .code } }
    }

    @Test("HumanEval and MBPP files load with prompts, tests and entry points")
    func loads() throws {
        let probes = try Self.codeProbes()
        let humaneval = try #require(probes.first { $0.itemsFile.hasSuffix("humaneval-sample.jsonl") })
        let mbpp = try #require(probes.first { $0.itemsFile.hasSuffix("mbpp-sample.jsonl") })
        let first = try #require(humaneval.items.first?.codeTask)
        #expect(humaneval.items.first?.id == "IG-HE/0")
        #expect(first.entryPoint == "count_upper" && first.prefix?.hasPrefix("def count_upper") == true)
        #expect(first.tests.last == "check(count_upper)")
        #expect(humaneval.items.first?.prompt.contains("```python\ndef count_upper") == true)
        #expect(mbpp.items.first?.id == "901" && mbpp.items.first?.codeTask?.entryPoint == "odd_product")
        #expect(mbpp.items.first?.prompt.contains("Your code should pass these tests:") == true)
    }

    /// Known answers in all three formats: every reference solution passes, every broken variant fails.
    @Test("reference solutions pass and broken variants fail, in every shipped format", .tags(.slow))
    func knownAnswers() async throws {
        let scorer = try await TestEnvironment.codeScorer()
        var formats: Set<String> = []
        for probe in try Self.codeProbes() {
            formats.insert((probe.itemsFile as NSString).lastPathComponent)
            for item in probe.items {
                let task = try #require(item.codeTask)
                let good = await scorer.score(answer: task.solution, task: task)
                let bad = await scorer.score(answer: task.broken, task: task)
                #expect(good.code == .passed, "\(item.id): \(good.detail)")
                #expect(bad.code != .passed, "\(item.id): broken variant passed")
            }
        }
        #expect(formats.isSuperset(of: ["python-tasks.yaml", "humaneval-sample.jsonl", "mbpp-sample.jsonl"]))
    }

    @Test("a completion that continues the prompt is run after it")
    func completion() async throws {
        let probes = try Self.codeProbes()
        let item = try #require(probes.flatMap(\.items).first { $0.id == "IG-HE/5" })
        let task = try #require(item.codeTask)
        let scorer = try await TestEnvironment.codeScorer()
        let body = "    return int(\"\".join(sorted(str(n), reverse=True)))\n"
        #expect(await scorer.score(answer: body, task: task).code == .passed)
        #expect(await scorer.score(answer: "```python\n\(body)```", task: task).code == .passed)
        let whole = "Sure:\n```python\n\(task.solution)```"
        #expect(await scorer.score(answer: whole, task: task).code == .passed)
        #expect(await scorer.score(answer: "I cannot do that.", task: task).code == .noCode)
    }

    @Test("an MBPP item without a broken variant gets a stub that fails")
    func mbppStub() throws {
        let fixture = try Fixture()
        try fixture.write("tasks.jsonl", #"{"task_id": 1, "text": "Add.", "code": "def add(a, b):\n    return a + b\n", "test_list": ["assert add(1, 2) == 3"]}"# + "\n")
        let suite = try fixture.load(Fixture.suite.replacingOccurrences(of: "tasks.yaml", with: "tasks.jsonl"))
        let task = try #require(suite.probe(named: "code")?.items.first?.codeTask)
        #expect(task.broken.hasPrefix("def add(*args, **kwargs):"))
    }

    @Test("an unknown key in a HumanEval line names the format, file and line")
    func badLine() throws {
        let fixture = try Fixture()
        try fixture.write("tasks.jsonl", #"{"task_id": "x", "prompt": "def f():\n", "canonical_solution": "    return 1\n", "test": "", "entry_point": "f", "extra": 1}"# + "\n")
        let error = try fixture.error(Fixture.suite.replacingOccurrences(of: "tasks.yaml", with: "tasks.jsonl"))
        #expect(error.location.line == 1 && error.message.contains("unknown key 'extra' for a HumanEval item"))
    }
}
