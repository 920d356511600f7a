/// When baselines may be written and what a missing one means — decided here,
/// once, for every front door (`swift test`, `ipgate run`, `ipgate baseline accept`).
///
/// - The record mode comes from `IPGATE_RECORD` (default `missing`); an unknown
///   mode is an error, never ignored.
/// - On CI (`CI` set) the mode is `never`; an explicit request to record there is
///   refused, and so is `ipgate baseline accept`: baselines change on a
///   person's machine, in a reviewed commit.
/// - Under `never` a missing baseline fails the gate.
package struct BaselinePolicy: Sendable, Hashable {
    package let mode: RecordMode
    package let isCI: Bool

    package init(mode: RecordMode, isCI: Bool) {
        self.mode = mode
        self.isCI = isCI
    }

    /// The policy `environment` asks for; throws on an unknown mode or a request to record on CI.
    package init(environment: GateEnvironment) throws(RecordModeError) {
        isCI = environment.isCI
        guard let requested = environment.recordRequest else {
            mode = isCI ? .never : .missing
            return
        }
        guard let mode = RecordMode(rawValue: requested.lowercased()) else { throw .unknown(requested) }
        if isCI && mode != .never { throw .refusedOnCI(mode) }
        self.mode = mode
    }

    /// Whether a person may accept a run's measures as baselines here.
    package func checkAccept() throws(PolicyError) {
        if isCI { throw .acceptOnCI }
    }

    /// Whether a comparison with no accepted baseline fails the gate (it was not recorded).
    package var missingFails: Bool { mode == .never }
}

/// An action the baseline policy does not allow.
package enum PolicyError: Error, Sendable, CustomStringConvertible {
    case acceptOnCI

    package var description: String {
        switch self {
        case .acceptOnCI:
            return "refusing to accept baselines on CI (CI is set): baselines are accepted on a developer's machine and committed for review"
        }
    }
}
