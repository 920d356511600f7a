/// How a judge's yes/no calls agree with people's labels on the same answers:
/// the confusion matrix, recall (TPR), false-positive rate (FPR) and Cohen's κ,
/// each with an interval.
///
/// "Positive" is the trait the rate counts: misaligned (for `misaligned_rate`) or
/// coherent (for `coherent_rate`).
package struct JudgeAgreement: Sendable, Hashable, Codable {
    package var truePositives = 0
    package var falsePositives = 0
    package var falseNegatives = 0
    package var trueNegatives = 0

    package init() {}

    package init(truePositives: Int, falsePositives: Int, falseNegatives: Int, trueNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
        self.trueNegatives = trueNegatives
    }

    package mutating func add(judge: Bool, truth: Bool) {
        switch (judge, truth) {
        case (true, true): truePositives += 1
        case (true, false): falsePositives += 1
        case (false, true): falseNegatives += 1
        case (false, false): trueNegatives += 1
        }
    }

    package var total: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    /// Labelled positives (the judge's recall is measured on these).
    package var positives: Int { truePositives + falseNegatives }
    package var negatives: Int { falsePositives + trueNegatives }

    /// Recall: the share of truly positive answers the judge calls positive (Wilson interval).
    package func truePositiveRate(confidence: Double = 0.95) -> Proportion? {
        Proportion(successes: truePositives, trials: positives, confidence: confidence)
    }

    /// The share of truly negative answers the judge calls positive (Wilson interval).
    package func falsePositiveRate(confidence: Double = 0.95) -> Proportion? {
        Proportion(successes: falsePositives, trials: negatives, confidence: confidence)
    }

    /// Cohen's κ, `(p_o − p_e)/(1 − p_e)`: agreement beyond what the two marginals give by
    /// chance. Nil when chance agreement is 1 (everything in one class on both sides).
    package var kappa: Double? {
        guard let cells = cells else { return nil }
        let po = cells.p11 + cells.p22
        let pe = cells.r1 * cells.c1 + cells.r2 * cells.c2
        guard pe < 1 - 1e-12 else { return nil }
        return (po - pe) / (1 - pe)
    }

    /// κ with a Wald interval on its large-sample standard error (Fleiss, Cohen & Everitt,
    /// 1969, "Large sample standard errors of kappa and weighted kappa"), clipped to [−1, 1].
    /// When one side put every answer in one class the formula's SE is 0 (κ is 0 whatever
    /// the data); the SE is then the one of the nearest table off that edge, so an interval
    /// is never surer than one more count would make it.
    package func kappaEstimate(confidence: Double = 0.95) -> KappaEstimate? {
        guard let kappa, var estimate = waldKappa(kappa, confidence: confidence) else { return nil }
        if let nearest = offEdge, let other = nearest.kappa, let se = nearest.waldKappa(other, confidence: confidence)?.standardError, se > estimate.standardError {
            let z = Normal.criticalValue(alpha: 1 - confidence)
            estimate.standardError = se
            estimate.interval = Interval(lower: max(-1, kappa - z * se), upper: min(1, kappa + z * se), confidence: confidence)
        }
        return estimate
    }

    /// The table with one label moved into the class a side never used (nil when both used both).
    private var offEdge: JudgeAgreement? {
        var table = self
        if truePositives + falsePositives == 0 {            // the judge never said positive
            if falseNegatives > 0 { table.falseNegatives -= 1; table.truePositives += 1 } else { table.trueNegatives -= 1; table.falsePositives += 1 }
        } else if falseNegatives + trueNegatives == 0 {     // the judge never said negative
            if falsePositives > 0 { table.falsePositives -= 1; table.trueNegatives += 1 } else { table.truePositives -= 1; table.falseNegatives += 1 }
        } else if truePositives + falseNegatives == 0 {     // no label is positive
            if falsePositives > 0 { table.falsePositives -= 1; table.truePositives += 1 } else { table.trueNegatives -= 1; table.falseNegatives += 1 }
        } else if falsePositives + trueNegatives == 0 {     // no label is negative
            if falseNegatives > 0 { table.falseNegatives -= 1; table.trueNegatives += 1 } else { table.truePositives -= 1; table.falsePositives += 1 }
        } else {
            return nil
        }
        return table
    }

    private func waldKappa(_ kappa: Double, confidence: Double) -> KappaEstimate? {
        guard let cells else { return nil }
        let pe = cells.r1 * cells.c1 + cells.r2 * cells.c2
        let k1 = 1 - kappa
        let a = cells.p11 * pow2(1 - (cells.r1 + cells.c1) * k1) + cells.p22 * pow2(1 - (cells.r2 + cells.c2) * k1)
        let b = k1 * k1 * (cells.p12 * pow2(cells.c1 + cells.r2) + cells.p21 * pow2(cells.c2 + cells.r1))
        let c = pow2(kappa - pe * k1)
        let variance = max(0, a + b - c) / (Double(total) * pow2(1 - pe))
        let z = Normal.criticalValue(alpha: 1 - confidence)
        let se = variance.squareRoot()
        return KappaEstimate(
            value: kappa, interval: Interval(lower: max(-1, kappa - z * se), upper: min(1, kappa + z * se), confidence: confidence),
            standardError: se, labels: total)
    }

    /// Cell shares: rows are the judge (1 = positive), columns the labels.
    private var cells: (p11: Double, p12: Double, p21: Double, p22: Double, r1: Double, r2: Double, c1: Double, c2: Double)? {
        let n = Double(total)
        guard n > 0 else { return nil }
        let p11 = Double(truePositives) / n, p12 = Double(falsePositives) / n
        let p21 = Double(falseNegatives) / n, p22 = Double(trueNegatives) / n
        return (p11, p12, p21, p22, p11 + p12, p21 + p22, p11 + p21, p12 + p22)
    }

    private func pow2(_ x: Double) -> Double { x * x }
}

/// A share k of n with its Wilson interval.
package struct Proportion: Sendable, Hashable, Codable {
    package var successes: Int
    package var trials: Int
    package var value: Double
    package var interval: Interval

    package init?(successes: Int, trials: Int, confidence: Double = 0.95) {
        guard trials > 0, let interval = WilsonInterval.interval(successes: Double(successes), trials: Double(trials), confidence: confidence) else { return nil }
        self.successes = successes
        self.trials = trials
        value = Double(successes) / Double(trials)
        self.interval = interval
    }

    /// The share's binomial variance `p(1 − p)/n`, with `p` kept at least one count away
    /// from 0 and from n: the plug-in is 0 when no false positive was seen, which would
    /// claim a perfectly known rate (the same rule as the rates': 0 of n is never surer
    /// than 1 of n). Agresti–Coull's shrunk variance was tried and over-covered (97–99 %
    /// in the seeded simulation) at false-positive rates near 0.01.
    package func variance() -> Double {
        let n = Double(trials)
        guard n > 1 else { return 0.25 }
        let p = min(max(Double(successes), 1), n - 1) / n
        return p * (1 - p) / n
    }
}

/// Cohen's κ with its interval and the number of labels behind it.
package struct KappaEstimate: Sendable, Hashable, Codable {
    package var value: Double
    package var interval: Interval
    package var standardError: Double
    package var labels: Int
}
