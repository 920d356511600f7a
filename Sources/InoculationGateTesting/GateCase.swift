import InoculationGate
import Testing

/// One parameterized gate case: a claim, an expected diagnosis, or a baseline
/// comparison of one suite. Cheap to create — the suite run behind it happens
/// once, when the first case of that suite runs (see ``SharedRuns``).
public struct GateCase: Sendable, Hashable, CustomTestStringConvertible, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case claim(title: String)
        case diagnosis(subject: String)
        case baseline(MeasureKey)
    }

    public var kind: Kind
    /// The suite file.
    public var suiteFile: String
    public var suiteName: String
    public var root: ProjectRoot

    public init(kind: Kind, suiteFile: String, suiteName: String, root: ProjectRoot) {
        self.kind = kind
        self.suiteFile = suiteFile
        self.suiteName = suiteName
        self.root = root
    }

    /// `suite › subject › condition › measure` for baselines; the claim title or
    /// `suite › diagnosis › subject` otherwise. Also the prefix of every failure message.
    public var description: String {
        switch kind {
        case .claim(let title): return "\(suiteName) › \(title)"
        case .diagnosis(let subject): return "\(suiteName) › diagnosis › \(subject)"
        case .baseline(let key): return key.description
        }
    }

    public var testDescription: String { description }
}
