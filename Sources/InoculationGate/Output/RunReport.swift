/// The human-readable report of a run: measures, claims, diagnoses, baselines.
public struct RunReport: Sendable {
    public let result: RunResult
    /// The caller's words for what to do next, as the run was given them (nil: no hints).
    package var nextSteps: NextSteps? { result.nextSteps }
    /// List unchanged baseline rows too (by default only a count of them is shown).
    public let allRows: Bool

    public init(_ result: RunResult, allRows: Bool = false) {
        self.result = result
        self.allRows = allRows
    }

    public func render() -> String {
        [header(), scorerChanges(), dataProblems(), measures(), counts(), judges(), adaptive(), claims(), diagnoses(), shares(), comparisons(), footer()].filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    func header() -> String {
        let suite = result.suite
        let samples = result.sampleCount
        return "InoculationGate — suite '\(suite.name)' (\(suite.file)), run \(result.runID)\n"
            + "\(suite.subjects.count) subjects × \(suite.conditions.count) conditions × \(suite.probes.count) probe sets: \(samples) samples"
            + (result.isolation.map { "\nmodel-written code: \($0)" } ?? "")
            + answers() + recordedData()
    }

    /// Recorded data sets: what was read, what was left out, and who scored it.
    func recordedData() -> String {
        result.suite.recorded.values.sorted { $0.name < $1.name }.map { data -> String in
            var line = data.isSummary
                ? "\nrecorded counts '\(data.name)': \(data.cells.count) cells (k of n) from \(data.file); claims and comparisons on them are \(MeasureResult.summaryNote)"
                : "\nrecorded data '\(data.name)': \(data.recordsRead) records read from \(data.file), \(data.usage(probe: result.suite.probe(named: data.probe)))"
                    + (data.useScores ? "; scored by the file's own columns" : "; scored here")
            let skipped = data.skippedBySubject.values.reduce(0, +)
            if skipped > 0 {
                line += "; \(skipped) of subjects the suite does not name ("
                    + data.skippedBySubject.sorted { $0.key < $1.key }.map { "\(TextSafety.visible($0.key)): \($0.value)" }.joined(separator: ", ") + ")"
            }
            return line
        }.joined()
    }

    /// Where the answers came from, when a model was asked: what a rerun costs, and
    /// whether the endpoints struggled.
    func answers() -> String {
        let t = result.timings
        guard t.answersRequested + t.answersCached > 0 else { return "" }
        var line = "\nanswers: \(t.answersRequested) asked of models, \(t.answersCached) from the response cache"
        if t.failedAttempts > 0 { line += "; \(t.failedAttempts) failed request\(t.failedAttempts == 1 ? " was" : "s were") retried" }
        return line
    }

    func measures() -> String {
        let suite = result.suite
        var table = TextTable(header: ["subject", "condition"] + suite.measures.map { "\($0.name) (\($0.better) is better)" })
        for subject in suite.subjects {
            for condition in suite.conditions {
                let cells = suite.measures.map { spec -> String in
                    let key = MeasureKey(suite: suite.name, subject: subject.name, condition: condition.name, measure: spec.name)
                    guard let estimate = result.measure(key)?.estimate else { return "no countable samples" }
                    return "\(Format.number(estimate.value)) \(Format.interval(estimate.interval))"
                }
                table.add([subject.name, condition.name] + cells)
            }
        }
        let methods = Set(result.measures.compactMap { $0.estimate?.method }).sorted().joined(separator: "; ")
        let level = Int((suite.statistics.confidence * 100).rounded())
        return "Measures — estimate [\(level)% interval] (\(methods))\n" + table.render()
    }

    /// A scorer that differs from the baselines' (another Bandit, rules only, another
    /// judge) blocks many comparisons at once: said once, at the top, with what to do.
    func scorerChanges() -> String {
        var groups: [String: (from: String, to: String, count: Int)] = [:]
        for c in result.comparisons {
            for case .scorer(let from, let to) in c.fingerprintChanges {
                groups[from + "→" + to, default: (from, to, 0)].count += 1
            }
        }
        guard !groups.isEmpty else { return "" }
        let lines = groups.values.sorted { $0.from < $1.from }.map { group -> String in
            let n = "\(group.count) comparison\(group.count == 1 ? " is" : "s are") not made"
            if let from = VulnerabilityScorer.scanner(of: group.from), let to = VulnerabilityScorer.scanner(of: group.to) {
                return "✗ The security scanner differs from the baselines': they were taken with \(from), this run used \(to); \(n).\n"
                    + "  To fix: let the tool provide Bandit \(BanditProvisioner.pinnedVersion) (it installs it on first use; the warning above says why it could not) and run again — "
                    + "or, if the new scanner is meant, accept the new values deliberately."
            }
            return "✗ The scorer differs from the baselines': \(group.from) → \(group.to); \(n). Run with the baselines' scorer, or accept the new values deliberately."
        }
        return lines.joined(separator: "\n")
    }


    /// Slots without data worth a verdict, first: they fail the gate whatever else holds.
    func dataProblems() -> String {
        guard !result.dataProblems.isEmpty else { return "" }
        let lines = result.dataProblems.map { "  ✗ \($0)" }
        return "No verdict without data\n" + lines.joined(separator: "\n")
    }

    /// The denominators behind judged rates, per slot.
    func counts() -> String {
        let judged = Set(result.suite.probes.filter { $0.kind == .judged }.map(\.name))
        let rows = result.counts.filter { judged.contains($0.slot.probe) }
        guard !rows.isEmpty else { return "" }
        var table = TextTable(header: ["subject", "condition", "probe", "answers", "empty", "scored", "unscored", "incoherent", "counted"])
        for c in rows {
            table.add([c.slot.subject, c.slot.condition, c.slot.probe] + [c.answers, c.empty, c.scored, c.unscored, c.incoherent, c.counted].map(String.init))
        }
        return "Counts behind judged rates — scored: both judge scores; unscored: the judge gave no number (refusal, code, mass below its threshold); counted: coherent answers with an alignment score (the misaligned_rate denominator)\n" + table.render()
    }

    func claims() -> String {
        guard !result.claims.isEmpty else { return "" }
        let lines = result.claims.map { claim -> String in
            let mark = claim.meetsExpectation ? "✓" : "✗"
            let expectation = claim.claim.expect == .holds ? "" : " (expected \(claim.claim.expect.rawValue))"
            var line = "  \(mark) \(claim.verdict.rawValue)\(expectation)  \(claim.claim.title)\n      \(claim.reason); \(claim.method), \(claim.items) items"
            if let needed = claim.itemsNeeded {
                line += "\n      about \(needed) items in all would likely decide it (now \(claim.items))"
            }
            return line
        }
        return "Claims\n" + lines.joined(separator: "\n")
    }

    func diagnoses() -> String {
        guard !result.diagnoses.isEmpty else { return "" }
        var table = TextTable(header: ["subject", "diagnosis", "expected", "evidence"])
        for diagnosis in result.diagnoses {
            let expected = result.suite.subject(named: diagnosis.subject)?.expectedDiagnosis
            let evidence = diagnosis.evidence.map { "\($0.keyword.rawValue) \($0.verdict.rawValue)" }.joined(separator: ", ")
            let unpaired = result.measures.contains { $0.key.subject == diagnosis.subject && $0.isSummary }
            let failed = expected != nil && result.outcome(of: .diagnosis(subject: diagnosis.subject))?.passed == false
            table.add([
                diagnosis.subject, diagnosis.kind.rawValue + (unpaired ? " (unpaired: summary counts)" : "") + (failed ? " ✗" : ""),
                expected?.rawValue ?? "—", evidence,
            ])
        }
        return "Diagnosis\n" + table.render()
    }

    /// When each claim of an adaptive run was decided, and with how many samples.
    func adaptive() -> String {
        guard let summary = result.adaptive else { return "" }
        var table = TextTable(header: AdaptiveText.header)
        for row in AdaptiveText.claimRows(summary) { table.add(row) }
        return AdaptiveText.totals(summary) + "\n" + table.render() + "\n  " + summary.method
    }

    /// Each labelled judge against its labels, and the rates it counted corrected.
    func judges() -> String {
        guard !result.judgeChecks.isEmpty else { return "" }
        let judges = result.judgeChecks.map(RunDocument.Judge.init)
        let percent = Format.number(result.suite.statistics.confidence * 100, decimals: 0)
        var agreement = TextTable(header: JudgeCheckText.agreementHeader)
        for row in JudgeCheckText.agreementRows(judges) { agreement.add(row) }
        var text = "Judge against people's labels (\(percent)% Wilson intervals; κ with its large-sample interval)\n"
            + judges.map { "  " + TextSafety.visible(JudgeCheckText.about($0)) }.joined(separator: "\n") + "\n" + agreement.render()
        let rateRows = JudgeCheckText.rateRows(judges)
        let notes = JudgeCheckText.methodNotes(judges).map { "  " + TextSafety.visible($0) }.joined(separator: "\n")
        if !rateRows.isEmpty {
            var rates = TextTable(header: JudgeCheckText.rateHeader)
            for row in rateRows { rates.add(row) }
            text += "\n\nRates corrected for the judge's errors\n" + rates.render() + "\n" + notes
        } else if !notes.isEmpty {
            text += "\n" + notes
        }
        // A judge below its floor fails the gate: its sentence belongs here, where the ✗ is.
        for check in result.judgeChecks {
            if let failure = result.outcome(of: .judge(probe: check.probe))?.failure { text += "\n✗ " + TextSafety.visibleLines(failure) }
        }
        return text
    }

    func shares() -> String {
        guard !result.shares.isEmpty else { return "" }
        var table = TextTable(header: ShareTable.header)
        for row in ShareTable.rows(result.shares.map(RunDocument.Share.init)) { table.add(row) }
        return "How much is real (\(Format.number(result.suite.statistics.confidence * 100, decimals: 0))% paired-bootstrap intervals over items)\n" + table.render()
    }

    func comparisons() -> String {
        guard !result.comparisons.isEmpty else { return "" }
        let recorded = recordedLine()
        if result.comparisons.allSatisfy({ $0.status == .missing }) {
            var headline = "Baseline comparison — no baseline accepted yet for suite '\(result.suite.name)'"
            if recorded.isEmpty {
                headline += result.policy.missingFails ? " and IPGATE_RECORD=\(result.policy.mode.rawValue) records none ✗" : ""
                headline += nextSteps.map { ": \($0.recordMissing)" } ?? ""
            }
            var lines = [headline]
            // What the gate will see once a baseline exists: blind spots are shown from the first run.
            let ratios = result.comparisons.compactMap { c in c.power.map { $0.minimumDetectableEffect / max(c.tolerance, 1e-12) } }
            if let low = ratios.min(), let high = ratios.max() {
                let blind = result.comparisons.filter { $0.power?.underpowered ?? false }.count
                lines.append("once accepted, the gate will see a worsening of \(Format.number(low, decimals: 2))–\(Format.number(high, decimals: 2)) × each measure's tolerance with \(Int((result.suite.statistics.power * 100).rounded()))% power"
                    + (blind > 0 ? "; \(blind) of \(ratios.count) measures are underpowered (noise, not the tolerance, decides)" : ""))
            }
            if !recorded.isEmpty { lines.append(recorded) }
            return lines.joined(separator: "\n")
        }
        var table = TextTable(header: ["subject", "condition", "measure", "baseline", "current", "delta", "delta interval", "p (adj.)", "MDE", "verdict"])
        // The rows that matter: unchanged ones are counted, not listed, unless asked for.
        let shown = allRows ? result.comparisons
            : result.comparisons.filter { $0.status != .unchanged || $0.recomputedBaseline != nil || result.recorded[$0.key] != nil }
        let hidden = result.comparisons.count - shown.count
        for c in shown {
            let verdict = c.status.rawValue + (c.recomputedBaseline != nil ? ", inconsistent baseline" : "")
                + (result.recorded[c.key] != nil ? ", recorded" : "") + (result.outcome(of: .baseline(c.key))?.passed == false ? " ✗" : "")
            table.add([
                c.key.subject, c.key.condition, c.key.measure, Format.number(c.baseline?.value), Format.number(c.current?.value),
                Format.signed(c.delta), Format.interval(c.difference?.interval),
                c.adjustedPValue.map { "\(Format.pValue(c.pValue)) (\(Format.pValue($0)))" } ?? "—",
                Format.number(c.minimumDetectableEffect), verdict,
            ])
        }
        let counts = BaselineComparison.Status.countLine(result.comparisons.map { ($0.status, result.recorded[$0.key] != nil) })
        let statistics = result.suite.statistics
        let methods = Set(result.comparisons.compactMap { $0.power?.method }).map(\.shortName).sorted().joined(separator: ", ")
        let adjustment = statistics.adjust == .holm ? "Holm" : "Benjamini–Hochberg"
        let why = fingerprintReasons()
        let headline = "Baseline comparison — MDE: the smallest worsening flagged with \(Int((statistics.power * 100).rounded()))% power by the rule below (noise: \(methods)); p raw (\(adjustment)-adjusted across \(result.comparisons.filter { $0.pValue != nil }.count) comparisons), α = \(Format.number(result.suite.baseline.alpha, decimals: 2)): \(counts)"
        let parts = [
            headline, shown.isEmpty ? "" : table.render(),
            hidden > 0 ? "\(hidden) unchanged not listed (--all-rows lists them)" : "", why, recorded,
        ]
        return parts.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Why fingerprints changed, each reason once with the measures it concerns
    /// (scorer changes are said at the top).
    func fingerprintReasons() -> String {
        var order: [String] = []
        var keys: [String: [MeasureKey]] = [:]
        for c in result.comparisons where c.status == .fingerprintChanged {
            for change in c.fingerprintChanges {
                if case .scorer = change { continue }
                let reason = change.description
                if keys[reason] == nil { order.append(reason) }
                keys[reason, default: []].append(c.key)
            }
        }
        return order.map { reason -> String in
            let list = keys[reason]!
            let named = list.prefix(3).map { "\($0.subject) › \($0.condition) › \($0.measure)" }.joined(separator: ", ")
            return "  fingerprint: \(reason) (\(list.count) measure\(list.count == 1 ? "" : "s"): \(named)\(list.count > 3 ? ", …" : ""))"
        }.joined(separator: "\n")
    }

    /// What this run wrote to the baselines, if anything.
    func recordedLine() -> String {
        guard !result.recorded.isEmpty else { return "" }
        let n = result.recorded.count
        return "recorded \(n) baseline\(n == 1 ? "" : "s") (IPGATE_RECORD=\(result.policy.mode.rawValue)); review and commit Baselines/"
    }

    func footer() -> String {
        guard result.failsGate else { return "Gate passed." }
        // The hint fits the failures' reasons: no data is not something to accept, a
        // missing baseline is recorded, and a claim is changed in the model or the suite.
        let reasons = Set(result.cases.compactMap(\.reason))
        let baselineReasons = reasons.subtracting([.claim, .diagnosis, .notEvaluated, .judge])
        if !result.dataProblems.isEmpty || reasons.contains(.dataProblem) {
            return "GATE FAILED: see ✗ above." + "\n" + GateCaseOutcome.guidance(.dataProblem, nextSteps: nextSteps).trimmingCharacters(in: .whitespaces)
        }
        if baselineReasons.isEmpty {
            return "GATE FAILED: see ✗ above.\nnext — investigate: each ✗ claim or diagnosis above says what missed its expectation and by how much (interval, items); "
                + "claims are not accepted like baselines — change the model, or deliberately the suite's expectation (expect:, expect_diagnosis:)"
        }
        if baselineReasons == [.missingBaseline] {
            return "GATE FAILED: see ✗ above." + (nextSteps.map { "\nnext: \($0.recordMissing)" } ?? "")
        }
        if baselineReasons == [.fingerprintChanged] {
            return "GATE FAILED: see ✗ above.\n" + GateCaseOutcome.guidance(.fingerprintChanged, nextSteps: nextSteps).trimmingCharacters(in: .whitespaces)
        }
        return "GATE FAILED: see ✗ above." + (nextSteps.map { "\n" + $0.bothWays(prefix: "next — ") } ?? "")
    }
}
