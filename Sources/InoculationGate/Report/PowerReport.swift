/// `ipgate power`: for every claim and measure of a run, the current minimum
/// detectable effect and the number of items that would bring it under the
/// claim's margin or the measure's baseline tolerance.
///
/// For a baseline comparison the standard error is that of comparing two runs,
/// `√(SE_now² + SE_baseline²)` (the baseline's own when accepted, else the
/// current one again) — the unpaired, conservative figure. For a claim it is the
/// claim's own (paired) standard error; for a bootstrapped ratio, the interval's
/// half-width over `z`.
public struct PowerReport: Sendable {
    public struct Row: Sendable, Hashable {
        public var name: String
        public var standardError: Double
        public var items: Int
        public var minimumDetectableEffect: Double
        public var target: Double
        public var itemsNeeded: Int?
        /// The unrounded `items·(MDE/target)²`.
        public var exactItemsNeeded: Double?
        public var enough: Bool { minimumDetectableEffect <= target }
    }

    public var claims: [Row] = []
    public var measures: [Row] = []
    public let alpha: Double
    public let power: Double

    /// The plan for a finished run.
    public init(_ result: RunResult, baselines: [MeasureKey: StoredBaseline]) {
        self.init(suite: result.suite, measures: result.measures, claims: result.claims, baselines: baselines)
    }

    /// The plan from a suite's measures and claims (a stored run's, or a fresh run's).
    public init(suite: Suite, measures: [MeasureResult], claims: [ClaimResult], baselines: [MeasureKey: StoredBaseline]) {
        let statistics = suite.statistics
        alpha = 1 - statistics.confidence
        power = statistics.power
        let z = Normal.criticalValue(alpha: alpha)
        func row(_ name: String, se: Double, items: Int, target: Double) -> Row {
            let mde = Power.minimumDetectableEffect(standardError: se, alpha: alpha, power: power)
            return Row(
                name: name, standardError: se, items: items, minimumDetectableEffect: mde, target: target,
                itemsNeeded: mde > target ? Power.itemsNeeded(currentItems: items, currentEffect: mde, targetEffect: target) : nil,
                exactItemsNeeded: Power.exactItemsNeeded(currentItems: items, currentEffect: mde, targetEffect: target))
        }
        for claim in claims {
            guard let interval = claim.interval, interval.width.isFinite, claim.items > 0 else { continue }
            // Paired z intervals are symmetric, so this is their SE; for a bootstrapped
            // ratio it is the normal-equivalent SE of the percentile interval.
            let se = interval.width / (2 * z)
            let target: Double
            switch claim.claim.kind {
            case .transfer(_, _, _, _, let minRatio): target = abs(1 - minRatio)
            case .suppression(_, _, _, _, let margin, _), .specificity(_, _, _, _, let margin): target = margin
            case .noAmplification(_, _, _, _, _, let tolerance): target = tolerance
            }
            self.claims.append(row(claim.claim.title, se: se, items: claim.items, target: max(target, 1e-9)))
        }
        for measure in measures {
            guard let estimate = measure.estimate, estimate.standardError.isFinite else { continue }
            let metric = measure.spec.metric
            let baselineSE = baselines[measure.key].flatMap { metric.estimate($0.outcomes)?.standardError } ?? estimate.standardError
            let se = (estimate.standardError * estimate.standardError + baselineSE * baselineSE).squareRoot()
            self.measures.append(row(
                measure.key.description, se: se, items: estimate.items,
                target: suite.baseline.tolerance(for: measure.key.measure)))
        }
    }

    public func render() -> String {
        func table(_ rows: [Row], targetName: String) -> String {
            var table = TextTable(header: ["", "SE", "items", "MDE", targetName, "items needed"])
            for r in rows {
                table.add([
                    r.name, Format.number(r.standardError, decimals: 5), String(r.items), Format.number(r.minimumDetectableEffect, decimals: 4),
                    Format.number(r.target), r.enough ? "enough" : r.itemsNeeded.map { "\($0) (\(Format.number(r.exactItemsNeeded, decimals: 1)))" } ?? "—",
                ])
            }
            return table.render()
        }
        let header = "Power — minimum detectable effect (MDE) at two-sided α = \(Format.number(alpha, decimals: 2)) and power \(Format.number(power, decimals: 2)): (z₁₋α/₂ + z_power)·SE; items needed ≈ items·(MDE/target)²"
        return [
            header,
            "Claims (target: the claim's margin; for transfer, 1 − min_ratio)\n" + table(claims, targetName: "target"),
            "Baseline comparisons (SE of comparing two runs, unpaired and conservative; target: the tolerance)\n" + table(measures, targetName: "tolerance"),
        ].joined(separator: "\n\n") + "\n"
    }
}
