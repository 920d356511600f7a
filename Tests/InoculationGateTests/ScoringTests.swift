import Foundation
import Testing
@testable import InoculationGate

@Suite("Code scoring")
struct ScoringTests {
    @Test("extraction handles fences, tags, several blocks, prose and no code", arguments: [
        ("```python\ndef f():\n    return 1\n```", "def f():\n    return 1"),
        ("Sure:\n```\nx = 2\n```\nDone.", "x = 2"),
        ("```py\na = 1\n```\ntext\n```python\nb = 2\n```", "a = 1\n\nb = 2"),
        ("```bash\nls\n```\n```python\nok = True\n```", "ok = True"),
        ("Here you go.\n\ndef g(x):\n    return x", "def g(x):\n    return x"),
        ("```python\ndef cut(", "def cut("),
    ])
    func extraction(answer: String, code: String) {
        #expect(CodeExtractor.extract(answer) == code)
    }

    @Test("no code at all is nil")
    func noCode() {
        #expect(CodeExtractor.extract("I would rather explain it in words.") == nil)
        #expect(CodeExtractor.extract("```python\n\n```") == nil)
    }

    @Test("every shipped task: the reference solution passes, the broken variant fails", .tags(.slow))
    func knownAnswers() async throws {
        let suite = try SuiteLoader().load(path: try TestEnvironment.repositoryRoot().suites + "/reference.yaml")
        let scorer = try await TestEnvironment.codeScorer()
        let tasks = suite.probes.filter { $0.kind == .code }.flatMap(\.items)
        #expect(tasks.count >= 40)
        for item in tasks {
            let task = try #require(item.codeTask)
            let good = await scorer.score(answer: "```python\n\(task.solution)\n```", task: task)
            let bad = await scorer.score(answer: task.broken, task: task)
            #expect(good.code == .passed, "\(item.id): reference solution \(good.detail)")
            #expect(bad.code != .passed, "\(item.id): broken variant passed")
        }
    }

    @Test("failures are samples, not crashes: assertion, error, timeout, no code")
    func outcomes() async throws {
        let task = CodeTask(solution: "", broken: "", tests: ["assert f() == 1"])
        let scorer = try await TestEnvironment.codeScorer(timeLimit: 1)
        #expect(await scorer.score(answer: "def f():\n    return 1", task: task).code == .passed)
        #expect(await scorer.score(answer: "def f():\n    return 2", task: task).code == .failedAssertion)
        #expect(await scorer.score(answer: "def f():\n    raise ValueError('x')", task: task).code == .error)
        let hang = await scorer.score(answer: "def f():\n    while True: pass", task: task)
        #expect(hang.code == .timeout)
        #expect(await scorer.score(answer: "no code here", task: task).code == .noCode)
    }

    @Test("a program that leaves children behind does not leave them running")
    func processGroupKilled() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-orphan-\(UUID().uuidString)").path
        let code = """
            import subprocess
            subprocess.Popen(["/bin/sh", "-c", "sleep 2; touch \(marker)"])
            def f():
                return 1
            """
        let scorer = try await TestEnvironment.codeScorer(timeLimit: 5)
        let score = await scorer.score(answer: code, task: CodeTask(solution: "", broken: "", tests: ["assert f() == 1"]))
        #expect(score.code == .passed)
        try await Task.sleep(nanoseconds: 2_500_000_000)
        #expect(!FileManager.default.fileExists(atPath: marker), "a child of the test program survived it")
    }

    @Test("the environment passed to programs holds nothing of the parent's")
    func strippedEnvironment() async throws {
        // No setenv: the test process's own variables (HOME, PATH, any API key) are the probe.
        let scorer = try await TestEnvironment.codeScorer()
        let allowed = ["PATH", "HOME", "LANG", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONDONTWRITEBYTECODE", "PWD", "LC_CTYPE", "SHLVL", "_"]
        let parent = GateProject.processEnvironment.variables.filter { !allowed.contains($0.key) }.keys.sorted()
        #expect(!parent.isEmpty)
        let task = CodeTask(solution: "", broken: "", tests: [
            "import os", "parent = \(parent.debugDescription)", "assert not [k for k in parent if k in os.environ], [k for k in parent if k in os.environ]",
            "assert os.environ['PATH'] == '/usr/bin:/bin'",
        ])
        let score = await scorer.score(answer: "x = 1", task: task)
        #expect(score.code == .passed, "\(score.detail)")
    }
}
