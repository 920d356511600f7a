import InoculationGate
import Testing

/// One parameterized gate case: a claim, an expected diagnosis, or a baseline
/// comparison of one suite. Cheap to create — the suite run behind it happens
/// once, when the first case of that suite runs (see ``SharedRuns``).
public struct GateCase: Sendable, Hashable, CustomTestStringConvertible, CustomStringConvertible {
    public var id: GateCaseID
    /// The suite file.
    public var suiteFile: String
    public var suiteName: String
    public var root: ProjectRoot

    public init(id: GateCaseID, suiteFile: String, suiteName: String, root: ProjectRoot) {
        self.id = id
        self.suiteFile = suiteFile
        self.suiteName = suiteName
        self.root = root
    }

    /// `suite › subject › condition › measure` for baselines; the claim title or
    /// `suite › diagnosis › subject` otherwise. Also the prefix of every failure message.
    public var description: String { id.name(suite: suiteName) }

    public var testDescription: String { description }
}
