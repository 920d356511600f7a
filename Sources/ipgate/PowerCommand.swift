import ArgumentParser
import Foundation
import InoculationGate

struct PowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Plan a suite: the minimum detectable effect of every claim and measure, and the items that would reach the target.")

    @Argument(help: "The suite file.")
    var suite: String

    @OptionGroup var rootOptions: RootOptions

    @OptionGroup var profileOptions: ProfileOptions

    func run() async throws {
        let loaded = try loadSuite(suite, profile: profileOptions)
        do {
            let root = try rootOptions.locate()
            let store = try BaselineStore(path: root.baselines)
            let result = try await SuiteRunner().run(loaded)
            var stored: [MeasureKey: StoredBaseline] = [:]
            for baseline in try store.all(suite: loaded.name) { stored[baseline.record.key] = baseline }
            print(PowerReport(result, baselines: stored).render(), terminator: "")
        } catch {
            throw fail("ipgate: \(error)")
        }
    }
}
