import ArgumentParser
import InoculationGate

/// `--profile` and `--profiles`, shared by commands that load suites.
struct ProfileOptions: ParsableArguments {
    @Option(help: "Run under this profile: its subjects and judge replace the suite's (default: IPGATE_PROFILE).")
    var profile: String?

    @Option(help: "The profiles file (default: profiles.yaml beside the suite).")
    var profiles: String?

    /// A loader for `suitePath` under the chosen profile; a bad profile exits 2 with its location.
    func loader(for suitePath: String) throws -> SuiteLoader {
        let name = profile ?? Profile.fromEnvironment
        do {
            return try SuiteLoader.with(profile: name, profilesFile: profiles, suitePath: suitePath)
        } catch {
            throw fail(error.description)
        }
    }
}
