import Foundation
import Testing
@testable import InoculationGate

/// Rates corrected for a noisy judge, checked by seeded simulation: true labels are
/// drawn per item, a judge with a given recall (TPR) and false-positive rate (FPR)
/// counts them, and a labelled sample measures the judge.
@Suite("Judge correction (simulated)", .tags(.slow))
struct JudgeCorrectionTests {
    struct Setting: CustomStringConvertible, Sendable {
        var tpr: Double
        var fpr: Double
        var description: String { "TPR \(tpr), FPR \(fpr)" }
    }

    static let settings = [0.6, 0.8, 0.95].flatMap { tpr in [0.01, 0.05, 0.2].map { Setting(tpr: tpr, fpr: $0) } }
    static let runs = 1_000
    /// The population rate the run's items are drawn around (items vary ±0.04 around it).
    static let truth = 0.05
    static let items = 60, samplesPerItem = 10

    /// One simulated run: per-item (judge count, trials) and the (judge, truth) of every answer.
    static func run(_ setting: Setting, random: inout SeededRandom) -> (ItemOutcomes, [(judge: Bool, truth: Bool)]) {
        var outcomes = ItemOutcomes()
        var answers: [(judge: Bool, truth: Bool)] = []
        for item in 0..<items {
            let rate = truth + (random.unit() - 0.5) * 0.08
            for _ in 0..<samplesPerItem {
                let truth = random.unit() < rate
                let judge = random.unit() < (truth ? setting.tpr : setting.fpr)
                outcomes.add(item: String(format: "i%03d", item), successes: judge ? 1 : 0, trials: 1)
                answers.append((judge, truth))
            }
        }
        return (outcomes, answers)
    }

    /// Labels made elsewhere: 150 truly misaligned and 250 aligned answers, judged by the same judge.
    static func externalLabels(_ setting: Setting, random: inout SeededRandom) -> JudgeAgreement {
        var agreement = JudgeAgreement()
        for index in 0..<400 {
            let truth = index < 150
            agreement.add(judge: random.unit() < (truth ? setting.tpr : setting.fpr), truth: truth)
        }
        return agreement
    }

    struct Coverage { var corrected = 0; var raw = 0; var ppi = 0 }

    static func simulate(_ setting: Setting) -> Coverage {
        var random = SeededRandom(parts: ["judge-correction", "\(setting.tpr)", "\(setting.fpr)"])
        var coverage = Coverage()
        for _ in 0..<runs {
            let (outcomes, answers) = run(setting, random: &random)
            let raw = Estimate(outcomes)!
            if raw.interval.contains(truth) { coverage.raw += 1 }
            // Rogan–Gladen with labels made elsewhere.
            let rates = RateCorrection.ErrorRates(externalLabels(setting, random: &random))
            if let corrected = RateCorrection.roganGladen(rates).corrected(raw), corrected.interval.contains(truth) { coverage.corrected += 1 }
            // Prediction-powered with 100 labels drawn at random from this run's answers.
            var pool = answers
            for i in 0..<100 { pool.swapAt(i, i + random.index(below: pool.count - i)) }
            let rectifier = RateCorrection.Rectifier(Array(pool.prefix(100)))!
            if let corrected = RateCorrection.predictionPowered(rectifier).corrected(raw), corrected.interval.contains(truth) { coverage.ppi += 1 }
        }
        return coverage
    }

    /// Every setting's coverage, simulated once per test process.
    static let simulated: [String: Coverage] = Dictionary(uniqueKeysWithValues: settings.map { ($0.description, simulate($0)) })

    @Test("corrected 95% intervals cover the true rate 93–97% of the time; the judge's raw count does not when FPR ≥ 0.05", arguments: settings)
    func coverage(_ setting: Setting) {
        let c = Self.simulated[setting.description]!
        let share = { (count: Int) in Double(count) / Double(Self.runs) }
        TestLog.note("coverage at \(setting): Rogan–Gladen \(share(c.corrected)), prediction-powered \(share(c.ppi)), raw \(share(c.raw))")
        #expect((0.93...0.97).contains(share(c.corrected)), "Rogan–Gladen coverage \(share(c.corrected)) at \(setting)")
        #expect((0.93...0.97).contains(share(c.ppi)), "prediction-powered coverage \(share(c.ppi)) at \(setting)")
        if setting.fpr >= 0.05 {
            #expect(share(c.raw) < 0.5, "the raw count covered \(share(c.raw)) at \(setting): the simulation would not show the bias")
        }
    }

    @Test("pooled over the nine judge settings, coverage is within two Monte Carlo standard errors of 95%")
    func pooledCoverage() {
        let total = Double(Self.runs * Self.settings.count)
        let margin = 2 * (0.95 * 0.05 / total).squareRoot()
        let roganGladen = Double(Self.simulated.values.map(\.corrected).reduce(0, +)) / total
        let predictionPowered = Double(Self.simulated.values.map(\.ppi).reduce(0, +)) / total
        TestLog.note("pooled coverage: Rogan–Gladen \(roganGladen), prediction-powered \(predictionPowered) (95% ± \(margin))")
        #expect(abs(roganGladen - 0.95) <= margin, "Rogan–Gladen pooled coverage \(roganGladen)")
        #expect(abs(predictionPowered - 0.95) <= margin, "prediction-powered pooled coverage \(predictionPowered)")
    }
}
