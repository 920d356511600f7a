import InoculationGate

/// Settings the gate takes from the environment, so `swift test` can be aimed
/// elsewhere without editing anything.
public enum GateEnvironment {
    /// `IPGATE_PROFILE`: run every suite under this profile (from `Suites/profiles.yaml`).
    public static var profile: String? { Profile.fromEnvironment }
}
