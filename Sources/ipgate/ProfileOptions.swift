import ArgumentParser
import InoculationGate

/// `--profile` and `--profiles`, shared by commands that load suites.
struct ProfileOptions: ParsableArguments {
    @Option(help: "Run under this profile: its subjects and judge replace the suite's (default: IPGATE_PROFILE).")
    var profile: String?

    @Option(help: "The profiles file (default: profiles.yaml beside the suite).")
    var profiles: String?
}
