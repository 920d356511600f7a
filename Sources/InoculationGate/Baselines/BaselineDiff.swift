/// What accepting a run would change in the baselines, row by row.
package struct BaselineDiff: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package enum Change: String, Sendable, Hashable {
            case new
            case changed
            case fingerprintChanged = "fingerprint changed"
            case unchanged
        }

        package var key: MeasureKey
        package var baseline: Double?
        package var current: Double?
        package var change: Change
        package var fingerprintChanges: [FingerprintChange]

        /// current − baseline, when both exist.
        package var delta: Double? { current.flatMap { c in baseline.map { c - $0 } } }
    }

    package var runID: String
    package var rows: [Row]

    /// Rows that accepting would change.
    package var changed: [Row] { rows.filter { $0.change != .unchanged } }
}

extension GateProject {
    /// What accepting run `run` (default: the newest finished one, of `suite` if named) would change.
    package func diff(run: String?, suite: String?) throws -> BaselineDiff {
        let (id, measures) = try runMeasures(run: run, suite: suite)
        return try diff(measures: measures, runID: id)
    }

    func diff(measures: [MeasureResult], runID id: String) throws -> BaselineDiff {
        let store = try existingBaselineStore()
        let rows = try measures.map { measure -> BaselineDiff.Row in
            let stored = try store?.baseline(for: measure.key)
            let current = measure.estimate?.value
            let changes = stored.map { measure.fingerprint.changes(from: $0.record.fingerprint) } ?? []
            let change: BaselineDiff.Row.Change
            if stored == nil {
                change = .new
            } else if !changes.isEmpty {
                change = .fingerprintChanged
            } else if let current, let value = stored?.record.value, abs(current - value) <= 1e-12, measure.outcomes == stored?.outcomes {
                change = .unchanged
            } else {
                change = .changed
            }
            return BaselineDiff.Row(key: measure.key, baseline: stored?.record.value, current: current, change: change, fingerprintChanges: changes)
        }
        return BaselineDiff(runID: id, rows: rows)
    }
}
