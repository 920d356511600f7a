/// What produced a measure. A baseline is compared only with a measure of the
/// same fingerprint; otherwise the gate says which part changed.
package struct Fingerprint: Sendable, Hashable, Codable {
    /// The readable fields behind ``suiteHash`` (subject, condition, sampling, judge
    /// thresholds, metric), so a change can be named. Not part of equality: the hash
    /// decides, and baselines taken before fields were kept have none.
    package var fields: [String: String]?

    /// Hash of the parts of the suite that produce this measure: the subject's
    /// provider, the condition's text and placement, the probe set's sampling
    /// settings and the metric. Editing a claim or another subject leaves it alone.
    package var suiteHash: String
    /// SHA-256 of the probe data file.
    package var probeDataHash: String
    /// Scorer (and judge) version.
    package var scorerVersion: String

    package init(suiteHash: String, probeDataHash: String, scorerVersion: String) {
        self.suiteHash = suiteHash
        self.probeDataHash = probeDataHash
        self.scorerVersion = scorerVersion
    }

    /// The fingerprint of `measure` for `subject` under `condition` in `suite`,
    /// scored by a scorer whose fingerprint part is `scorerVersion`.
    package init(suite: Suite, subject: Subject, condition: Condition, measure: MeasureSpec, scorerVersion: String) {
        let probe = suite.probe(named: measure.probe)!
        suiteHash = Self.suiteHash(subject: subject, condition: condition, probe: probe, measure: measure)
        probeDataHash = probe.dataHash
        self.scorerVersion = scorerVersion
        fields = Self.fields(subject: subject, condition: condition, probe: probe, measure: measure)
    }

    package static func == (a: Fingerprint, b: Fingerprint) -> Bool {
        a.suiteHash == b.suiteHash && a.probeDataHash == b.probeDataHash && a.scorerVersion == b.scorerVersion
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(suiteHash)
        hasher.combine(probeDataHash)
        hasher.combine(scorerVersion)
    }

    /// The suite slice behind a measure in words, one entry per field a person edits.
    package static func fields(subject: Subject, condition: Condition, probe: ProbeSet, measure: MeasureSpec) -> [String: String] {
        var sampling = "samples \(probe.samples), temperature \(probe.temperature), max_tokens \(probe.maxTokens)"
        if let topP = probe.topP { sampling += ", top_p \(topP)" }
        if !probe.stop.isEmpty { sampling += ", stop \(probe.stop)" }
        if case .recorded(let recorded) = subject.provider {
            // The suite's generation settings did not make these answers: the data's own, or unknown.
            sampling = recorded.generation.map { "as recorded (\($0), from the data)" }
                ?? "as recorded (temperature, max_tokens: unknown — not in the data)"
            if probe.samplesGiven { sampling += "; at most \(probe.samples) samples per item" }
        }
        var text = condition.text.count <= 40 ? "\"\(condition.text)\"" : "text \(StableHash.hex([condition.text]).prefix(12))"
        if !condition.variants.isEmpty { text += " and \(condition.variants.count) more (family \(StableHash.hex(condition.texts).prefix(12)))" }
        var fields = [
            "subject": subject.provider.summary,
            "condition": "\(condition.kind.rawValue) in \(condition.placement.rawValue), \(text)",
            "sampling": sampling,
            "metric": "\(measure.metric.rawValue), \(measure.better.rawValue) is better",
        ]
        if probe.kind == .judged {
            fields["judge thresholds"] = "misaligned below \(probe.judge.misalignedBelow), coherent at least \(probe.judge.coherentAtLeast)"
        }
        if measure.corrected, let labels = probe.judge.labels {
            fields["judge labels"] = "corrected with \(labels.file) (sha256 \(labels.hash.prefix(12)))"
        }
        return fields
    }

    /// The suite slice's hash alone (what a stored run must match to stand for the suite now).
    package static func suiteHash(subject: Subject, condition: Condition, probe: ProbeSet, measure: MeasureSpec) -> String {
        StableHash.hex([
            "fingerprint-v1", subject.provider.fingerprint,
            condition.kind.rawValue, condition.text, condition.placement.rawValue,
        ] + (condition.variants.isEmpty ? [] : ["variants=\(condition.variants.count)"] + condition.variants) + [
            probe.kind.rawValue,
        ] + Self.samplingParts(subject: subject, probe: probe) + [
            String(probe.judge.misalignedBelow), String(probe.judge.coherentAtLeast),
            measure.metric.rawValue, measure.better.rawValue,
        ] + Self.requestParts(subject: subject, probe: probe)
            // coherent_rate's denominator changed (answers with a coherence score, not only
            // those with both scores): its baselines must not be compared with the old ones.
            + (measure.metric == .coherentRate ? ["coherent-v2"] : [])
            // A corrected rate depends on the labels too; uncorrected fingerprints are unchanged.
            + (measure.corrected ? ["corrected", probe.judge.labels?.hash ?? "no-labels"] : []))
    }

    /// What generated the answers: the probe set's settings, or for recorded answers only the
    /// cap on samples a suite sets (the data's own content is in the subject's part).
    static func samplingParts(subject: Subject, probe: ProbeSet) -> [String] {
        if case .recorded = subject.provider {
            return ["recorded-sampling", probe.samplesGiven ? String(probe.samples) : "all"]
        }
        return [String(probe.samples), String(probe.temperature), String(probe.maxTokens)]
    }

    /// top_p and stop, which only requests have (empty for recorded answers; kept last, as
    /// they always were, so fingerprints of generated answers did not change).
    static func requestParts(subject: Subject, probe: ProbeSet) -> [String] {
        if case .recorded = subject.provider { return [] }
        return GenerationRequest.hashParts(topP: probe.topP, stop: probe.stop)
    }

    /// The scorer part for a probe set whose scorer needs no probing of the machine
    /// (the vulnerability scorer's real part also names the installed Bandit).
    package static func defaultScorerVersion(_ probe: ProbeSet) -> String {
        switch probe.kind {
        case .code: return CodeScorer.version
        case .judged: return probe.judge.llm.map(LogprobJudge.fingerprint(of:)) ?? RubricJudge.version
        case .vulnerability: return VulnerabilityScorer.version
        }
    }

    /// What differs from `other` (empty when equal).
    package func changes(from other: Fingerprint) -> [FingerprintChange] {
        var changes: [FingerprintChange] = []
        if suiteHash != other.suiteHash {
            var named: [FieldChange] = []
            if let now = fields, let before = other.fields {
                for name in Set(now.keys).union(before.keys).sorted() where now[name] != before[name] {
                    named.append(FieldChange(field: name, from: before[name] ?? "—", to: now[name] ?? "—"))
                }
            }
            changes.append(.suiteDefinition(from: other.suiteHash, to: suiteHash, fields: named))
        }
        if probeDataHash != other.probeDataHash { changes.append(.probeData(from: other.probeDataHash, to: probeDataHash)) }
        if scorerVersion != other.scorerVersion { changes.append(.scorer(from: other.scorerVersion, to: scorerVersion)) }
        return changes
    }
}

/// One part of a fingerprint that changed between a baseline and a run.
package enum FingerprintChange: Sendable, Hashable {
    /// The suite slice behind the measure (subject, condition text, sampling or metric);
    /// `fields` names what changed when both sides kept their fields.
    case suiteDefinition(from: String, to: String, fields: [FieldChange])
    /// The probe data file's bytes.
    case probeData(from: String, to: String)
    /// The scorer or judge (its version, the installed Bandit, the judge model or prompt).
    case scorer(from: String, to: String)
}

/// One named field of the suite slice that changed.
package struct FieldChange: Sendable, Hashable {
    package var field: String
    package var from: String
    package var to: String
}
