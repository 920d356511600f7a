/// The compact, CI-log-friendly explanation of one baseline comparison.
public enum ComparisonMessage {
    public static func render(_ c: BaselineComparison, settings: BaselineSettings) -> String {
        var lines = ["\(c.key): \(headline(c))"]
        var table = TextTable(header: ["measure", "baseline", "current", "delta", "95% interval", "p raw / adj.", "verdict"])
        table.add([
            c.key.measure, Format.number(c.baseline?.value), Format.number(c.current?.value), Format.signed(c.delta),
            Format.interval(c.difference?.interval),
            c.pValue.map { "\(Format.pValue($0)) / \(Format.pValue(c.adjustedPValue))" } ?? "—",
            "\(c.status.rawValue) (tolerance \(Format.number(c.tolerance)), \(c.better) is better)",
        ])
        lines.append(table.render())
        if let difference = c.difference {
            var detail = "  method: \(difference.method), \(difference.items) items"
            if let mde = c.minimumDetectableEffect { detail += "; minimum detectable effect \(Format.number(mde)) (unpaired, conservative)" }
            if let needed = c.itemsNeeded { detail += "; about \(needed) items would bring it under the tolerance" }
            lines.append(detail)
        }
        if let recomputed = c.recomputedBaseline {
            lines.append("  the stored baseline value \(Format.number(c.baseline?.value)) does not follow from its own per-item outcomes (\(Format.number(recomputed))): it was edited or is corrupt, so the comparison is unpaired")
        }
        for change in c.fingerprintChanges { lines.append("  changed: \(change)") }
        if !c.flipped.isEmpty {
            lines.append("  flipped items (\(c.flipped.count) of \(c.flippedCount), worst first):")
            var flips = TextTable(header: ["item", "baseline", "current", "answer excerpt"])
            flips.indent = "    "
            for flip in c.flipped { flips.add([flip.itemID, flip.baseline, flip.current, "\"\(flip.excerpt)\""]) }
            lines.append(flips.render())
        }
        if c.failsGate(settings) {
            lines.append("  to accept the new value deliberately: IPGATE_RECORD=failed swift test, or ipgate baseline accept")
        }
        return lines.joined(separator: "\n")
    }

    static func headline(_ c: BaselineComparison) -> String {
        switch c.status {
        case .missing: return "no baseline has been accepted yet"
        case .fingerprintChanged: return "the baseline was produced by something else, so it is not compared"
        case .noValue: return "the current run has no countable sample for this measure"
        case .regressed: return "regressed beyond the tolerance"
        case .improved: return "improved beyond the tolerance: the baseline no longer describes the model"
        case .underpowered: return "underpowered: a change of the tolerance's size could go unseen"
        case .unchanged: return c.recomputedBaseline == nil ? "unchanged" : "baseline row inconsistent"
        }
    }
}

/// The explanation of one claim's verdict, for CI logs.
public enum ClaimMessage {
    public static func render(_ r: ClaimResult) -> String {
        var lines = ["\(r.claim.title): \(r.verdict.rawValue), expected \(r.claim.expect.rawValue)  (\(r.claim.location))"]
        lines.append("  \(r.reason)")
        lines.append("  method: \(r.method), \(r.items) items")
        if let needed = r.itemsNeeded { lines.append("  about \(needed) items in all would likely decide it") }
        return lines.joined(separator: "\n")
    }
}
