/// A judge-counted rate corrected for the judge's errors, measured on labels.
///
/// A judge that calls a positive answer positive with probability TPR and a negative
/// one positive with probability FPR counts `q = FPR + (TPR − FPR)·p`, not the true
/// rate `p`. Two corrections, each with an interval that carries the labels' own
/// uncertainty:
///
/// - **Rogan–Gladen** (adjusted classify-and-count; Rogan & Gladen, 1978):
///   `p̂ = (q̂ − FPR̂)/(TPR̂ − FPR̂)`, with a delta-method standard error
///   `√(SE(q̂)² + p̂²·Var(TPR̂) + (1 − p̂)²·Var(FPR̂)) / (TPR̂ − FPR̂)`, where `SE(q̂)` is the
///   run's item-clustered standard error and the error rates' variances are
///   binomial, never below one count's (see ``Proportion/variance()``). For labels made elsewhere, or too few from this run per slot.
///   It assumes the judge's error rates on the labelled answers are its error rates on
///   this run's answers.
/// - **Prediction-powered inference** (Angelopoulos et al., 2023, "Prediction-powered
///   inference", Science 382): when the labels are a random sample of this slot's
///   answers, `p̂ = q̂ + Δ̂` with the rectifier `Δ̂ = mean(label − judge)` over the labelled
///   answers, and `SE² = SE(q̂)² + Var(label − judge)/n + 2·Cov(judge, label − judge)/N`
///   (the labelled answers are among the N the raw rate counts). It assumes nothing about
///   the judge's errors beyond the sampling.
///
/// Both are linear in the judge's counts, so a paired difference of two corrected rates
/// is the paired difference of the counts, mapped the same way (``difference(_:left:right:confidence:)``).
package enum RateCorrection: Sendable, Hashable, Codable {
    case roganGladen(ErrorRates)
    case predictionPowered(Rectifier)

    /// The judge's error rates as the labels measured them.
    package struct ErrorRates: Sendable, Hashable, Codable {
        package var truePositiveRate: Double
        package var falsePositiveRate: Double
        package var truePositiveVariance: Double
        package var falsePositiveVariance: Double
        /// Labelled positives and negatives behind the rates.
        package var positives: Int
        package var negatives: Int

        /// `TPR − FPR` (Youden's J): how much the judge's count moves per unit of true rate.
        package var youden: Double { truePositiveRate - falsePositiveRate }
        package var youdenVariance: Double { truePositiveVariance + falsePositiveVariance }

        /// The rates of `agreement`. A class without labels tells nothing: its rate is taken
        /// at the value that makes the judge look useless (recall 0, or FPR 1), so no
        /// correction is claimed from it (``separates(confidence:)`` is false).
        package init(_ agreement: JudgeAgreement, confidence: Double = 0.95) {
            let tpr = agreement.truePositiveRate(confidence: confidence), fpr = agreement.falsePositiveRate(confidence: confidence)
            truePositiveRate = tpr?.value ?? 0
            falsePositiveRate = fpr?.value ?? 1
            truePositiveVariance = tpr?.variance() ?? 0.25
            falsePositiveVariance = fpr?.variance() ?? 0.25
            positives = agreement.positives
            negatives = agreement.negatives
        }

        /// Whether the labels show the judge separates the classes at all: `TPR − FPR`
        /// clears zero by the interval's margin. Otherwise no correction can be bounded.
        package func separates(confidence: Double) -> Bool {
            youden - Normal.criticalValue(alpha: 1 - confidence) * youdenVariance.squareRoot() > 0
        }
    }

    /// The mean of (label − judge) over the labelled answers of one slot.
    package struct Rectifier: Sendable, Hashable, Codable {
        package var value: Double
        package var variance: Double
        /// The sample covariance of (judge, label − judge) over the labelled answers: the
        /// labelled answers are also counted in the raw rate, so the two are correlated.
        package var covariance: Double
        package var labelled: Int

        /// From (judge, label) pairs of answers sampled at random from the slot. The
        /// variance of a difference in {−1, 0, 1} is the sample's, but never below what one
        /// disagreement would give: a judge that agreed on every label is not thereby known
        /// to be perfect.
        package init?(_ pairs: [(judge: Bool, truth: Bool)]) {
            guard pairs.count >= 2 else { return nil }
            let n = Double(pairs.count)
            let differences = pairs.map { Double($0.truth ? 1 : 0) - Double($0.judge ? 1 : 0) }
            let mean = differences.reduce(0, +) / n
            let sampleVariance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            let oneDisagreement = (1 / n) * (1 - 1 / n) * n / (n - 1)
            let judgeMean = pairs.reduce(0) { $0 + ($1.judge ? 1 : 0) } / n
            value = mean
            variance = max(sampleVariance, oneDisagreement) / n
            covariance = zip(pairs, differences).reduce(0) { $0 + (($1.0.judge ? 1 : 0) - judgeMean) * ($1.1 - mean) } / (n - 1)
            labelled = pairs.count
        }
    }

    package var method: Method {
        switch self {
        case .roganGladen: return .roganGladen
        case .predictionPowered: return .predictionPowered
        }
    }

    package enum Method: String, Sendable, Hashable, Codable {
        case roganGladen = "rogan-gladen"
        case predictionPowered = "prediction-powered"
    }

    /// The corrected estimate of a raw judge-counted rate, or nil when the labels cannot
    /// bound it (a Rogan–Gladen judge whose recall does not clear its false-positive rate).
    package func corrected(_ raw: Estimate) -> Estimate? {
        let confidence = raw.interval.confidence
        let z = Normal.criticalValue(alpha: 1 - confidence)
        let value: Double, se: Double, method: String
        switch self {
        case .roganGladen(let rates):
            guard rates.separates(confidence: confidence) else { return nil }
            let j = rates.youden
            let p = (raw.value - rates.falsePositiveRate) / j
            let clamped = min(1, max(0, p))
            let variance = raw.standardError * raw.standardError + clamped * clamped * rates.truePositiveVariance
                + (1 - clamped) * (1 - clamped) * rates.falsePositiveVariance
            value = p
            se = variance.squareRoot() / j
            method = "Rogan–Gladen, delta method (TPR \(Format.number(rates.truePositiveRate)) of \(rates.positives), FPR \(Format.number(rates.falsePositiveRate)) of \(rates.negatives) labels)"
        case .predictionPowered(let rectifier):
            value = raw.value + rectifier.value
            // The raw rate counts the labelled answers too: Cov(q̂, Δ̂) ≈ Cov(f, y − f)/N.
            let covariance = raw.trials > 0 ? 2 * rectifier.covariance / raw.trials : 0
            se = max(rectifier.variance, raw.standardError * raw.standardError + rectifier.variance + covariance).squareRoot()
            method = "prediction-powered (rectifier \(Format.number(rectifier.value)) from \(rectifier.labelled) labels of this slot)"
        }
        return Estimate(
            value: min(1, max(0, value)),
            interval: Interval(lower: min(1, max(0, value - z * se)), upper: min(1, max(0, value + z * se)), confidence: confidence),
            standardError: se, items: raw.items, trials: raw.trials, successes: raw.successes, method: method)
    }

    /// The corrected paired difference `left − right` from the judge counts' paired
    /// difference `raw`: under one Rogan–Gladen map (same judge, same labels) the FPR
    /// cancels and `d = d_raw/J`, with J's uncertainty carried by the delta method; under
    /// prediction-powered inference the two slots' rectifiers (independent label samples)
    /// are added. Nil when the labels cannot bound it.
    package static func difference(_ raw: PairedDifference, left: RateCorrection, right: RateCorrection) -> PairedDifference? {
        let confidence = raw.interval.confidence
        // The raw interval's own critical value (a t quantile for few items), so the
        // corrected interval keeps its reference distribution.
        let z = raw.standardError > 0 ? raw.interval.width / (2 * raw.standardError) : Normal.criticalValue(alpha: 1 - confidence)
        var corrected = raw
        let estimate: Double, se: Double
        switch (left, right) {
        case (.roganGladen(let rates), .roganGladen(let other)) where rates == other:
            guard rates.separates(confidence: confidence) else { return nil }
            let j = rates.youden
            estimate = raw.estimate / j
            se = (raw.standardError * raw.standardError + estimate * estimate * rates.youdenVariance).squareRoot() / j
            corrected.method = raw.method + "; Rogan–Gladen corrected (÷ J = \(Format.number(j)))"
        case (.predictionPowered(let a), .predictionPowered(let b)):
            estimate = raw.estimate + a.value - b.value
            se = (raw.standardError * raw.standardError + a.variance + b.variance).squareRoot()
            corrected.method = raw.method + "; prediction-powered (rectifiers \(Format.number(a.value)), \(Format.number(b.value)))"
        default:
            return nil
        }
        corrected.estimate = estimate
        corrected.standardError = se
        corrected.interval = Interval(lower: estimate - z * se, upper: estimate + z * se, confidence: confidence)
        corrected.pValue = se > 0 ? 2 * (1 - Normal.cdf(abs(estimate) / se)) : raw.pValue
        return corrected
    }
}
