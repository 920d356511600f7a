/// The review-friendly text form of the baselines: one block per measure,
/// sorted, with per-item outcomes compacted, so a `git diff` of the dump shows
/// exactly which numbers and items an update changed.
package enum BaselineDump {
    package static func render(_ baselines: [StoredBaseline]) -> String {
        var lines = ["# InoculationGate baselines — generated from baselines.sqlite; do not edit by hand.", ""]
        for stored in baselines {
            let r = stored.record
            lines.append("\(r.key): \(Format.number(r.value)) [\(Format.number(r.lower)), \(Format.number(r.upper))] \(r.metric.rawValue), better \(r.better.rawValue), items \(r.n), trials \(Format.number(r.trials, decimals: 0))")
            lines.append("  fingerprint: suite \(r.suiteHash.prefix(12)), data \(r.probeDataHash.prefix(12)), scorer \(r.scorerVersion)")
            lines.append("  from: run \(r.runId), \(r.recordedAt), commit \(r.gitCommit ?? "unknown")")
            let items = stored.outcomes.itemIDs.map { id -> String in
                let c = stored.outcomes[id]!
                return "\(id)=\(Format.number(c.successes, decimals: 0))/\(Format.number(c.trials, decimals: 0))"
            }
            var line = "  items:"
            for item in items {
                if line.count + item.count + 1 > 100 {
                    lines.append(line)
                    line = "   "
                }
                line += " " + item
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
