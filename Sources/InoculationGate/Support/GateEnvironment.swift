/// The environment the gate runs under, read once by the front door
/// (``GateProject/processEnvironment``) and passed down — nothing deeper in the
/// library reads the process environment, so tests inject their own.
///
/// It carries every setting the gate takes from the environment: the root, the
/// profile, the record mode, whether this is CI, per-subject overrides
/// (`IPGATE_<SUBJECT>_BASE_URL`, `_MODEL`), the Python interpreter, the sandbox
/// setting, and the variables that API keys and `${NAME}` in suites are read from.
public struct GateEnvironment: Sendable, Hashable {
    /// Every variable, as given.
    public var variables: [String: String]

    public init(_ variables: [String: String] = [:]) { self.variables = variables }

    /// A variable's value, or nil when it is unset or empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// `IPGATE_ROOT`: the folder holding `Suites/` and `Baselines/`.
    public var root: String? { self["IPGATE_ROOT"] }
    /// `IPGATE_PROFILE`: run every suite under this profile.
    public var profile: String? { self["IPGATE_PROFILE"] }
    /// `IPGATE_RECORD`: the requested record mode, as written.
    public var recordRequest: String? { self["IPGATE_RECORD"] }
    /// `IPGATE_PYTHON`: the interpreter for code probes and Bandit.
    public var python: String? { self["IPGATE_PYTHON"] }
    /// `IPGATE_SANDBOX=none` turns bubblewrap off.
    public var sandbox: String? { self["IPGATE_SANDBOX"] }
    /// `IPGATE_ORGANISM_NOISE`: another sampling-noise seed for reference organisms
    /// (the same items, other draws — a second run of the same model).
    public var organismNoise: UInt64? { self["IPGATE_ORGANISM_NOISE"].flatMap { UInt64($0) } }
    /// `IPGATE_STREAM_ABOVE`: a fixed run with more samples than this streams through its plan
    /// and keeps only the samples outputs read (default 50,000; 0 streams every run).
    public var streamAbove: Int? { self["IPGATE_STREAM_ABOVE"].flatMap { Int($0) }.map { max(0, $0) } }
    /// `PATH`, with a sensible default.
    public var path: String { self["PATH"] ?? "/usr/local/bin:/usr/bin:/bin" }

    /// Whether this is a CI machine (`CI` set to anything but empty, `false` or `0`).
    public var isCI: Bool {
        guard let value = self["CI"] else { return false }
        return value.lowercased() != "false" && value != "0"
    }

    /// `IPGATE_<SUBJECT>_<FIELD>` (the subject's name upper-cased, other characters as `_`).
    public func subjectOverride(_ subject: String, _ field: String) -> String? {
        self["IPGATE_" + String(subject.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_" + field]
    }

    /// This environment with some variables set (for tests and child processes).
    public func setting(_ changes: [String: String]) -> GateEnvironment {
        GateEnvironment(variables.merging(changes) { $1 })
    }
}
