/// When baselines are written, modelled on snapshot testing's record modes.
public enum RecordMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Never write; a missing baseline fails.
    case never
    /// Write baselines that do not exist yet (the default off CI).
    case missing
    /// Also rewrite baselines whose comparison fails.
    case failed
    /// Rewrite every baseline.
    case all

    /// Whether a comparison with this outcome should be (re)written.
    package func shouldRecord(_ comparison: BaselineComparison, settings: BaselineSettings) -> Bool {
        switch self {
        case .never: return false
        case .all: return comparison.current != nil
        case .missing: return comparison.status == .missing && comparison.current != nil
        case .failed: return comparison.current != nil && (comparison.status == .missing || comparison.failsGate(settings))
        }
    }
}

/// `IPGATE_RECORD` could not be honoured.
package enum RecordModeError: Error, Sendable, CustomStringConvertible {
    case unknown(String)
    case refusedOnCI(RecordMode)

    package var description: String {
        switch self {
        case .unknown(let value):
            return "IPGATE_RECORD=\(value) is not a record mode; use never, missing, failed or all"
        case .refusedOnCI(let mode):
            return "refusing IPGATE_RECORD=\(mode.rawValue) on CI (CI is set): baselines are recorded on a developer's machine and committed for review; unset IPGATE_RECORD here"
        }
    }
}
