import Foundation
import Testing
@testable import InoculationGate

@Suite("Baselines, comparisons and record modes")
struct StoreTests {
    static let key = MeasureKey(suite: "s", subject: "a", condition: "none", measure: "capability")
    static let fingerprint = Fingerprint(suiteHash: "h1", probeDataHash: "d1", scorerVersion: "code-1")

    static func measure(_ values: [Int], fingerprint: Fingerprint = fingerprint) -> MeasureResult {
        let outcomes = StatisticsTests.binary(values)
        return MeasureResult(
            key: key, spec: MeasureSpecSnapshot(metric: .passRate, better: .higher, probe: "code"), outcomes: outcomes,
            estimate: Estimate(outcomes), fingerprint: fingerprint)
    }

    static func store() throws -> BaselineStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ipgate-store-\(UUID().uuidString)").path
        return try BaselineStore(path: folder + "/baselines.sqlite")
    }

    @Test("a recorded baseline reads back with its items, history and dump")
    func roundTrip() throws {
        let store = try Self.store()
        let first = Self.measure(Array(repeating: 1, count: 30) + Array(repeating: 0, count: 10))
        try store.record(first, runID: "r1", gitCommit: "abc", reason: "missing")
        try store.record(Self.measure(Array(repeating: 1, count: 40)), runID: "r2", gitCommit: "def", reason: "failed")
        let stored = try #require(try store.baseline(for: Self.key))
        #expect(stored.record.value == 1 && stored.record.runId == "r2" && stored.outcomes.itemCount == 40)
        #expect(try store.all().count == 1)
        let history = try store.history()
        #expect(history.map(\.reason) == ["failed", "missing"])
        #expect(history.first?.previousValue == 0.75)
        try store.writeDump()
        let dump = try String(contentsOfFile: (store.path as NSString).deletingPathExtension + ".txt", encoding: .utf8)
        #expect(dump.contains("s › a › none › capability: 1.000") && dump.contains("item-000=1/1"))
    }

    static func compare(_ current: MeasureResult, _ stored: StoredBaseline?, tolerance: Double = 0.05) -> BaselineComparison {
        var settings = BaselineSettings()
        settings.defaultTolerance = tolerance
        return BaselineComparator(settings: settings).compare(
            measures: [current], baselines: stored.map { [key: $0] } ?? [:], samples: [])[0]
    }

    @Test("a large paired drop is a regression; the same data is unchanged")
    func regression() throws {
        let store = try Self.store()
        let before = Self.measure(Array(repeating: 1, count: 50) + Array(repeating: 0, count: 10))
        try store.record(before, runID: "r1", gitCommit: nil, reason: "all")
        let stored = try #require(try store.baseline(for: Self.key))
        let same = Self.compare(before, stored, tolerance: 0.25)
        #expect(same.status == .unchanged && same.delta == 0 && !same.failsGate(BaselineSettings()))
        // 60 items cannot see a 5-point change, even when nothing changed.
        #expect(Self.compare(before, stored).status == .underpowered)
        let after = Self.measure(Array(repeating: 0, count: 20) + Array(repeating: 1, count: 30) + Array(repeating: 0, count: 10))
        let worse = Self.compare(after, stored)
        #expect(worse.status == .regressed)
        #expect(worse.difference?.method.contains("McNemar") == true)
        #expect(worse.flippedCount == 20 && worse.flipped.count == 5)
        let message = ComparisonMessage.render(worse, settings: BaselineSettings())
        #expect(message.contains("s › a › none › capability") && message.contains("regressed") && message.contains("-0.333"))
    }

    @Test("a small sample that cannot see the tolerance is underpowered, with a suggested size")
    func underpowered() throws {
        let store = try Self.store()
        let values = [1, 0, 1, 1, 0, 1, 0, 1]
        try store.record(Self.measure(values), runID: "r1", gitCommit: nil, reason: "all")
        let noisy = Self.measure([0, 1, 1, 0, 1, 1, 0, 1])
        let comparison = Self.compare(noisy, try store.baseline(for: Self.key), tolerance: 0.02)
        #expect(comparison.status == .underpowered)
        #expect((comparison.itemsNeeded ?? 0) > 8)
    }

    @Test("a changed fingerprint is reported, not compared")
    func fingerprintChange() throws {
        let store = try Self.store()
        try store.record(Self.measure([1, 1, 0, 1]), runID: "r1", gitCommit: nil, reason: "all")
        let changed = Self.measure([1, 1, 0, 1], fingerprint: Fingerprint(suiteHash: "h1", probeDataHash: "d2", scorerVersion: "code-2"))
        let comparison = Self.compare(changed, try store.baseline(for: Self.key))
        #expect(comparison.status == .fingerprintChanged)
        #expect(comparison.fingerprintChanges.count == 2)
        #expect(comparison.fingerprintChanges.contains(.probeData(from: "d1", to: "d2")))
        #expect(comparison.failsGate(BaselineSettings()))
    }

    @Test("a baseline value edited by hand is flagged and fails the gate")
    func editedValue() throws {
        let store = try Self.store()
        let measure = Self.measure(Array(repeating: 1, count: 30) + Array(repeating: 0, count: 10))
        try store.record(measure, runID: "r1", gitCommit: nil, reason: "all")
        var stored = try #require(try store.baseline(for: Self.key))
        stored.record.value -= 0.3
        let comparison = Self.compare(measure, stored)
        #expect(comparison.recomputedBaseline == 0.75)
        #expect(abs((comparison.delta ?? 0) - 0.3) < 1e-12)
        #expect(comparison.failsGate(BaselineSettings()))
        #expect(ComparisonMessage.render(comparison, settings: BaselineSettings()).contains("does not follow from its own per-item outcomes"))
    }

    @Test("record mode: default missing, never on CI, explicit requests refused on CI")
    func recordMode() throws {
        func mode(_ variables: [String: String]) throws -> RecordMode { try BaselinePolicy(environment: GateEnvironment(variables)).mode }
        #expect(try mode([:]) == .missing)
        #expect(try mode(["CI": "true"]) == .never)
        #expect(try mode(["CI": "false"]) == .missing)
        #expect(try mode(["IPGATE_RECORD": "failed"]) == .failed)
        #expect(try mode(["CI": "true", "IPGATE_RECORD": "never"]) == .never)
        #expect(throws: RecordModeError.self) { try mode(["CI": "true", "IPGATE_RECORD": "all"]) }
        #expect(throws: RecordModeError.self) { try mode(["IPGATE_RECORD": "sometimes"]) }
    }

    @Test("record modes decide which comparisons are written")
    func recordDecisions() throws {
        let settings = BaselineSettings()
        var missing = Self.compare(Self.measure([1, 0]), nil)
        #expect(missing.status == .missing)
        #expect(RecordMode.missing.shouldRecord(missing, settings: settings))
        #expect(!RecordMode.never.shouldRecord(missing, settings: settings))
        missing.status = .regressed
        #expect(!RecordMode.missing.shouldRecord(missing, settings: settings))
        #expect(RecordMode.failed.shouldRecord(missing, settings: settings))
        missing.status = .unchanged
        #expect(!RecordMode.failed.shouldRecord(missing, settings: settings))
        #expect(RecordMode.all.shouldRecord(missing, settings: settings))
    }
}
