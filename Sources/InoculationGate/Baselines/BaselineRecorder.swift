/// Writes a run's baselines as the record mode says: once per run, in one
/// transaction, and the text dump rewritten once.
struct BaselineRecorder: Sendable {
    let path: String
    let mode: RecordMode

    /// Records what the mode asks for; returns each recorded key with the status it had, and
    /// the keys that were missing when the run began but have a baseline now (another run
    /// recorded it meanwhile): those are left as they are, to be compared with.
    func record(_ result: RunResult) throws -> (recorded: [MeasureKey: BaselineComparison.Status], appeared: [MeasureKey]) {
        let chosen = result.comparisons.filter { comparison in
            mode.shouldRecord(comparison, settings: result.suite.baseline) && result.measure(comparison.key)?.estimate != nil
                && result.dataProblems(of: comparison.key).isEmpty
        }
        guard !chosen.isEmpty else { return ([:], []) }
        let store = try BaselineStore(path: path)
        let (_, appeared) = try store.record(
            chosen.compactMap { result.measure($0.key) }, runID: result.runID, gitCommit: result.gitCommit, reason: mode.rawValue,
            ifAbsent: Set(chosen.filter { $0.status == .missing }.map(\.key)))
        let skipped = Set(appeared)
        return (Dictionary(uniqueKeysWithValues: chosen.filter { !skipped.contains($0.key) }.map { ($0.key, $0.status) }), appeared)
    }
}
