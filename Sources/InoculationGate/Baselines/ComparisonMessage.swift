import Foundation

/// The compact, CI-log-friendly explanation of one baseline comparison.
package enum ComparisonMessage {
    /// The message for `c` (its case's outcome adds the next steps that fit).
    package static func render(_ c: BaselineComparison, settings: BaselineSettings, confidence: Double = 0.95) -> String {
        // An edited or corrupt baseline is the cause of everything below it: say so first.
        var lines = [c.recomputedBaseline.map {
            "\(c.key): the stored baseline value \(Format.number(c.baseline?.value)) does not follow from its own per-item outcomes (\(Format.number($0))): it was edited or is corrupt, so the comparison below is unpaired — \(headline(c))"
        } ?? "\(c.key): \(headline(c))"]
        var table = TextTable(header: ["measure", "baseline", "current", "delta", "\(Format.number(confidence * 100, decimals: 0))% interval", "p raw / adj.", "verdict"])
        table.add([
            c.key.measure, Format.number(c.baseline?.value), Format.number(c.current?.value), Format.signed(c.delta),
            Format.interval(c.difference?.interval),
            c.pValue.map { "\(Format.pValue($0)) / \(Format.pValue(c.adjustedPValue))" } ?? "—",
            "\(c.status.rawValue) (tolerance \(Format.number(c.tolerance)), \(c.better) is better)",
        ])
        lines.append(table.render())
        if let difference = c.difference {
            var detail = "  method: \(difference.method), \(difference.items) items"
            if let power = c.power {
                detail += "; minimum detectable effect \(Format.number(power.minimumDetectableEffect)) (\(power.method.rawValue), SE \(Format.number(power.standardError, decimals: 4)))"
            }
            if let needed = c.itemsNeeded { detail += "; about \(needed) items would let the tolerance, not noise, decide" }
            lines.append(detail)
            if let corrected = c.correctedDelta {
                lines.append("  corrected for the judge's errors: the change is \(Format.signed(corrected)) (judge's count ÷ (TPR − FPR) of its labels); the tolerance applies to it")
            }
        }
        for change in c.fingerprintChanges { lines.append("  changed: \(change)") }
        if !c.flipped.isEmpty {
            lines.append("  flipped items (\(c.flipped.count) of \(c.flippedCount), worst first):")
            var flips = TextTable(header: ["item", "baseline", "current", "answer excerpt"])
            flips.indent = "    "
            for flip in c.flipped {
                flips.add([flip.itemID, itemValue(flip.baseline, c.metric), itemValue(flip.current, c.metric), "\"\(excerpt(flip.answer))\""])
            }
            lines.append(flips.render())
        }
        return lines.joined(separator: "\n")
    }

    /// An item's outcome: `2/3` for a rate, the mean score for a mean.
    static func itemValue(_ counts: ItemOutcomes.Counts, _ metric: MeasureSpec.Metric) -> String {
        if metric.isMean { return Format.number(counts.trials > 0 ? counts.successes / counts.trials : nil, decimals: 1) }
        return "\(Format.number(counts.successes, decimals: 0))/\(Format.number(counts.trials, decimals: 0))"
    }

    /// One line of at most `length` characters from an answer.
    static func excerpt(_ text: String, length: Int = 60) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .replacingOccurrences(of: "```python", with: "").replacingOccurrences(of: "```", with: "")
            .trimmingCharacters(in: .whitespaces)
        let line = TextSafety.visible(flat)
        return line.count > length ? String(line.prefix(length - 1)) + "…" : line
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
package enum ClaimMessage {
    package static func render(_ r: ClaimResult) -> String {
        var lines = ["\(r.claim.title): \(r.verdict.rawValue), expected \(r.claim.expect.rawValue)  (\(r.claim.location))"]
        lines.append("  \(r.reason)")
        lines.append("  method: \(r.method), \(r.items) items")
        if let needed = r.itemsNeeded { lines.append("  about \(needed) items in all would likely decide it") }
        return lines.joined(separator: "\n")
    }
}
