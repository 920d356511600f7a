/// `ipgate power`: for every claim and measure of a run, the current minimum
/// detectable effect and the number of items that would bring it under the
/// claim's margin or the measure's baseline tolerance.
///
/// For a baseline comparison the figures are those of ``ComparisonPower`` — the
/// paired noise of two runs on the same items, from the accepted baseline's
/// per-item outcomes (or this run's, when none is accepted yet), at the
/// multiplicity of the run — so the plan describes the rule that really decides
/// `regressed`. For a claim it is the claim's own (paired) standard error; for a
/// bootstrapped ratio, the interval's half-width over `z`. A claim whose
/// threshold equals the null (a margin of 0) cannot be decided by more data.
package struct PowerReport: Sendable {
    package struct Row: Sendable, Hashable {
        package var name: String
        package var standardError: Double
        package var items: Int
        package var minimumDetectableEffect: Double
        package var target: Double
        package var itemsNeeded: Int?
        /// The unrounded figure behind `itemsNeeded`.
        package var exactItemsNeeded: Double?
        package var enough: Bool
        /// The threshold equals the null: no amount of data decides it.
        package var undecidable = false
        /// The claim's interval already clears its threshold (the verdict, when it does):
        /// more items would not change it, whatever the MDE says about smaller effects.
        package var decided: Verdict? = nil
    }

    package var claims: [Row] = []
    package var measures: [Row] = []
    package let alpha: Double
    package let power: Double

    /// The plan for a finished run.
    package init(_ result: RunResult, baselines: [MeasureKey: StoredBaseline]) {
        self.init(suite: result.suite, measures: result.measures, claims: result.claims, baselines: baselines)
    }

    /// The plan from a suite's measures and claims (a stored run's, or a fresh run's).
    package init(suite: Suite, measures: [MeasureResult], claims: [ClaimResult], baselines: [MeasureKey: StoredBaseline]) {
        let statistics = suite.statistics
        alpha = 1 - statistics.confidence
        power = statistics.power
        let z = Normal.criticalValue(alpha: alpha)
        for claim in claims {
            guard let interval = claim.interval, interval.width.isFinite, claim.items > 0 else { continue }
            // Paired z intervals are symmetric, so this is their SE; for a bootstrapped
            // ratio it is the normal-equivalent SE of the percentile interval.
            let se = interval.width / (2 * z)
            let target: Double
            switch claim.claim.kind {
            case .transfer(_, _, _, _, let minRatio): target = abs(1 - minRatio)
            case .suppression(_, _, _, _, let margin, _), .specificity(_, _, _, _, let margin): target = margin
            case .noAmplification(_, _, _, _, _, let tolerance), .noLeak(_, _, _, _, let tolerance): target = tolerance
            // A share is a fraction: plan to tell it within 0.1 of its bound.
            case .semanticShare, .gatedShare: target = 0.1
            }
            let mde = Power.minimumDetectableEffect(standardError: se, alpha: alpha, power: power)
            self.claims.append(Row(
                name: claim.claim.title, standardError: se, items: claim.items, minimumDetectableEffect: mde, target: target,
                itemsNeeded: target > 0 && mde > target ? Power.itemsNeeded(currentItems: claim.items, currentEffect: mde, targetEffect: target) : nil,
                exactItemsNeeded: target > 0 ? Power.exactItemsNeeded(currentItems: claim.items, currentEffect: mde, targetEffect: target) : nil,
                enough: target > 0 && mde <= target, undecidable: target <= 0,
                decided: claim.verdict == .inconclusive ? nil : claim.verdict))
        }
        let valued = measures.filter { $0.estimate != nil }
        for measure in valued {
            let tolerance = suite.baseline.tolerance(for: measure.key.measure)
            guard let plan = ComparisonPower(
                baseline: baselines[measure.key]?.outcomes ?? measure.outcomes, metric: measure.spec.metric, better: measure.spec.better,
                tolerance: tolerance,
                alpha: suite.baseline.alpha, comparisons: valued.count, power: power, confidence: statistics.confidence)
            else { continue }
            let noise = plan.criticalValue * plan.standardError
            self.measures.append(Row(
                name: measure.key.description, standardError: plan.standardError, items: measure.outcomes.itemCount,
                minimumDetectableEffect: plan.minimumDetectableEffect, target: tolerance, itemsNeeded: plan.itemsNeeded,
                exactItemsNeeded: Power.exactItemsNeeded(currentItems: measure.outcomes.itemCount, currentEffect: noise, targetEffect: tolerance),
                enough: !plan.underpowered))
        }
    }

    package func render() -> String {
        func table(_ rows: [Row], targetName: String) -> String {
            var table = TextTable(header: ["", "SE", "items", "MDE", targetName, "items needed"])
            for r in rows {
                let needed: String
                if let verdict = r.decided {
                    needed = "decided (\(verdict.rawValue)): the interval clears the threshold"
                } else if r.undecidable {
                    needed = "cannot be decided by more data (the threshold equals the null)"
                } else if r.enough {
                    needed = "enough"
                } else {
                    needed = r.itemsNeeded.map { "\($0) (\(Format.number(r.exactItemsNeeded, decimals: 1)))" } ?? "—"
                }
                table.add([
                    r.name, Format.number(r.standardError, decimals: 5), String(r.items), Format.number(r.minimumDetectableEffect, decimals: 4),
                    Format.number(r.target), needed,
                ])
            }
            return table.render()
        }
        let header = "Power — minimum detectable effect (MDE) at two-sided α = \(Format.number(alpha, decimals: 2)) and power \(Format.number(power, decimals: 2))"
        return [
            header,
            "Claims: MDE = (z₁₋α/₂ + z_power)·SE; target: the claim's margin (for transfer, 1 − min_ratio); items needed ≈ items·(MDE/target)²\n" + table(claims, targetName: "target"),
            "Baseline comparisons: paired noise of two runs on the same items (from the accepted baseline's per-item outcomes, else this run's), Holm's first step α/m over \(measures.count) comparisons; MDE = max(tolerance, z_c·SE) + z_power·SE; enough when z_c·SE ≤ tolerance, else items needed ≈ items·(z_c·SE/tolerance)²\n" + table(measures, targetName: "tolerance"),
        ].joined(separator: "\n\n") + "\n"
    }
}
