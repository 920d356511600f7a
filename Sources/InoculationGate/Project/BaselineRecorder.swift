/// Writes a run's baselines as the record mode says: once per run, in one
/// transaction, and the text dump rewritten once.
struct BaselineRecorder: Sendable {
    let path: String
    let mode: RecordMode

    /// Records what the mode asks for; returns each recorded key with the status it had.
    func record(_ result: RunResult) throws -> [MeasureKey: BaselineComparison.Status] {
        let chosen = result.comparisons.filter { comparison in
            mode.shouldRecord(comparison, settings: result.suite.baseline) && result.measure(comparison.key)?.estimate != nil
                && result.dataProblems(of: comparison.key).isEmpty
        }
        guard !chosen.isEmpty else { return [:] }
        let store = try BaselineStore(path: path)
        try store.record(chosen.compactMap { result.measure($0.key) }, runID: result.runID, gitCommit: result.gitCommit, reason: mode.rawValue)
        try store.writeDump()
        return Dictionary(uniqueKeysWithValues: chosen.map { ($0.key, $0.status) })
    }
}
