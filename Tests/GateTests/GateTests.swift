import InoculationGateTesting
import Testing

// The regression gate: every claim, expected diagnosis and baseline of every
// suite in `Suites/`, checked against `Baselines/`. Each suite is generated and
// scored once; its cases share the run.
@Suite("Inoculation gate")
struct GateTests {
    @Test("claims and diagnoses", arguments: try await GateCases.claims())
    func claim(_ gateCase: GateCase) async throws {
        try await gateCase.expectPasses()
    }

    @Test("baselines", arguments: try await GateCases.baselines())
    func baseline(_ gateCase: GateCase) async throws {
        try await gateCase.expectPasses()
    }
}
