import Foundation

/// Samples a suite in rounds until every claim and baseline comparison is decided or
/// out of budget.
///
/// A round is a ``RunPlan`` of new samples only (the next sample indices: new seeds,
/// new cache keys) for the slots of open targets; it goes through the same collector
/// and scorer as a fixed run, so answers are stored as they arrive and an interrupted
/// run replays its complete rounds from the cache and resumes. Targets are evaluated
/// only at complete rounds.
struct AdaptiveSampler: Sendable {
    let suite: Suite
    let settings: AdaptiveSettings
    let collector: AnswerCollector
    let scoring: SampleScoring
    let baselines: [MeasureKey: StoredBaseline]
    /// Scores of (item, answer) pairs seen in earlier rounds (bounded: a real model's answers rarely repeat).
    let memo = SampleScoring.Memo(limit: 20_000)

    struct Result: Sendable {
        var collected = AnswerCollector.Stats()
        var scored = SampleScoring.Stats()
        var targets: [AdaptiveTarget]
        var summary: AdaptiveSummary
    }

    /// Runs the rounds, handing each round's samples to `sink` as it completes.
    func run(into sink: inout SampleSink) async throws -> Result {
        let fingerprints = Dictionary(
            MeasureAggregator(suite: suite, scorerFingerprints: scoring.fingerprints).measures([]).map { ($0.key, $0.fingerprint) },
            uniquingKeysWith: { a, _ in a })
        var targets = AdaptiveTarget.make(suite, baselines: baselines, fingerprints: fingerprints)
        let allSlots = RunPlan.slots(of: suite)
        let probes = Dictionary(uniqueKeysWithValues: suite.probes.map { ($0.name, $0) })
        let k = settings.samplesPerRound
        var next: [SlotItem: Int] = [:]
        var drawn: [Slot: Int] = [:]
        var result = Result(targets: [], summary: AdaptiveSummary(
            rows: [], rounds: 0, samples: 0, fixedSamples: 0, samplesPerRound: k, maxSamplesPerItem: settings.maxSamplesPerItem,
            budget: settings.budget, imputed: 0, lost: 0, method: AdaptiveSummary.methodText))

        // The cap counts rounds (samples_per_round each); top-ups come on top, bounded per round.
        var roundsOf: [Slot: Int] = [:]
        func capacity(_ slot: Slot, _ count: Int) -> Bool {
            guard let probe = probes[slot.probe] else { return false }
            return ((roundsOf[slot] ?? 0) + 1) * count <= settings.cap(probe)
        }
        func roundsLeft(_ slot: Slot) -> Int {
            guard let probe = probes[slot.probe] else { return 0 }
            return settings.cap(probe) / k - (roundsOf[slot] ?? 0)
        }
        var round = 0
        while true {
            // Every slot gets a first round (each measure has data); later rounds only the open targets' slots.
            let open = targets.indices.filter {
                targets[$0].decided == nil && targets[$0].gaveUp == nil && targets[$0].slots.allSatisfy { capacity($0, k) }
            }
            let active = round == 0 ? allSlots.filter { capacity($0, k) } : allSlots.filter { slot in open.contains { targets[$0].slots.contains(slot) } }
            guard !active.isEmpty else { break }
            let planned = active.reduce(0) { $0 + (probes[$1.probe]?.items.count ?? 0) * k }
            if round > 0, let budget = settings.budget, result.summary.samples + planned > budget { break }
            round += 1

            var records = try await draw(
                active.flatMap { slot in probes[slot.probe]!.items.map { (slot, $0.id, k) } }, next: &next, into: &result, failsWhenMostlyLost: true)
            // Top-ups: an item whose answers a measure could not count gets more, up to `topUps` passes.
            for _ in 0..<settings.topUps {
                var short: [SlotItem: Int] = [:]
                var countable: [String: [SlotItem: Int]] = [:]
                for index in open {
                    for contrast in targets[index].contrasts {
                        let key = contrast.metric.rawValue + "|" + (contrast.terms.first?.slot.probe ?? "")
                        let counted = countable[key] ?? RoundValues.countable(records, metric: contrast.metric, judge: contrast.judge)
                        countable[key] = counted
                        for slot in contrast.slots {
                            for item in contrast.items {
                                let key = SlotItem(slot: slot, itemID: item)
                                let missing = k - (counted[key] ?? 0)
                                guard missing > 0 else { continue }
                                short[key] = max(short[key] ?? 0, missing)
                            }
                        }
                    }
                }
                guard !short.isEmpty else { break }
                records += try await draw(short.sorted { ($0.key.slot, $0.key.itemID) < ($1.key.slot, $1.key.itemID) }.map { ($0.key.slot, $0.key.itemID, $0.value) }, next: &next, into: &result)
            }
            for record in records { drawn[record.slot, default: 0] += 1 }
            for slot in active { roundsOf[slot, default: 0] += 1 }
            try sink.add(records)

            // Every open target sees the round; a metric's values are computed once per round and slot.
            var bySlot: [Slot: [SampleRecord]] = [:]
            for record in records { bySlot[record.slot, default: []].append(record) }
            var cache: [String: RoundValues] = [:]
            for index in open {
                targets[index].observe({ contrast in
                    let key = contrast.valuesKey
                    if let known = cache[key] { return known }
                    let values = RoundValues(
                        contrast.slots.sorted().flatMap { bySlot[$0] ?? [] }, metric: contrast.metric, judge: contrast.judge, perRound: k,
                        slots: contrast.slots)
                    cache[key] = values
                    return values
                }, round: round)
                targets[index].samples = targets[index].slots.reduce(0) { $0 + (drawn[$1] ?? 0) }
                targets[index].giveUpIfFutile(round: round, roundsLeft: targets[index].slots.map { roundsLeft($0) }.min() ?? 0)
            }
        }
        for index in targets.indices where targets[index].decided == nil && targets[index].gaveUp == nil {
            targets[index].samples = targets[index].slots.reduce(0) { $0 + (drawn[$1] ?? 0) }
        }
        result.summary.rounds = round
        result.summary.fixedSamples = allSlots.reduce(0) { sum, slot in sum + (probes[slot.probe].map { $0.items.count * $0.samples } ?? 0) }
        result.summary.imputed = targets.reduce(0) { $0 + $1.contrasts.reduce(0) { $0 + $1.sequence.imputed } }
        result.summary.rows = targets.map { $0.row(samplesPerRound: k) }
        result.targets = targets
        return result
    }

    /// Draws `count` new samples of each (slot, item) at its next sample indices, and scores them.
    ///
    /// A round that loses more than half of its answers to failed requests fails the run
    /// with the first failure: then the endpoint, not a prompt, is the problem.
    private func draw(
        _ wanted: [(Slot, String, Int)], next: inout [SlotItem: Int], into result: inout Result, failsWhenMostlyLost: Bool = false
    ) async throws -> [SampleRecord] {
        var requests: [GenerationRequest] = []
        for (slot, item, count) in wanted {
            let key = SlotItem(slot: slot, itemID: item)
            let start = next[key] ?? 0
            for index in start..<(start + count) {
                if let request = RunPlan.request(suite, slot: slot, item: item, sampleIndex: index) { requests.append(request) }
            }
            next[key] = start + count
        }
        let (answers, collected) = try await collector.collect(RunPlan(requests: requests))
        if failsWhenMostlyLost, let failure = collected.firstFailure, collected.lost * 2 > requests.count { throw failure }
        let (records, scored) = try await scoring.score(answers, suite: suite, memo: memo)
        result.collected.add(collected)
        result.summary.lost += collected.lost
        result.scored.add(scored)
        result.summary.samples += records.count
        return records
    }
}

extension AdaptiveTarget {
    /// The summary row.
    func row(samplesPerRound k: Int) -> AdaptiveSummary.Row {
        let outcome = decided?.outcome ?? decision(final: true)
        let text: String
        switch outcome {
        case .verdict(let verdict): text = verdict.rawValue
        case .status(let status): text = status.rawValue
        case nil: text = "inconclusive"
        }
        var kind = AdaptiveSummary.Row.Kind.claim
        if case .comparison = subject { kind = .comparison }
        return AdaptiveSummary.Row(
            kind: kind, title: title, decided: decided != nil, outcome: text, round: decided?.round, samples: samples,
            fixedSamples: fixedSamples, alpha: alpha, moreSamplesPerItem: decided == nil ? roundsToDecide().map { $0 * k } : nil, gaveUpAt: gaveUp)
    }
}

extension AdaptiveSampler.Result {
    /// Replaces the fixed-sample verdicts of claims and the statuses of compared measures
    /// with what the sequences decided.
    func overlay(claims: inout [ClaimResult], comparisons: inout [BaselineComparison]) {
        for target in targets {
            let row = target.row(samplesPerRound: summary.samplesPerRound)
            let outcome = target.decided?.outcome ?? target.decision(final: true)
            switch (target.subject, outcome) {
            case (.claim(let index), .verdict(let verdict)?) where claims.indices.contains(index):
                claims[index] = target.claimResult(replacing: claims[index], verdict: verdict, row: row)
            case (.comparison(let key), .status(let status)?):
                guard let index = comparisons.firstIndex(where: { $0.key == key }) else { continue }
                comparisons[index].status = status
            default:
                continue
            }
        }
    }
}

extension AdaptiveTarget {
    /// The claim's result as the sequences decide it; the fixed result gives the threshold.
    func claimResult(replacing fixed: ClaimResult, verdict: Verdict, row: AdaptiveSummary.Row) -> ClaimResult {
        let (estimate, interval) = reported
        var result = fixed
        result.verdict = verdict
        result.estimate = estimate
        result.interval = interval
        result.items = contrasts.first?.items.count ?? 0
        result.itemsNeeded = nil
        result.method = "betting confidence sequence over items (Waudby-Smith & Ramdas 2023), anytime-valid at α = \(Format.number(alpha, decimals: 4)) (Bonferroni over the run's claims)"
        let numbers = "\(Format.number(estimate)) \(interval.map { Format.interval($0) } ?? "[undefined]")"
        let when = row.decided
            ? "decided at round \(row.round ?? 0) with \(row.samples) samples (fixed design: \(row.fixedSamples))"
            : (row.gaveUpAt.map { "given up after round \($0) as out of the budget's reach (\(row.samples) samples)" } ?? "not decided within the budget (\(row.samples) samples)") + (row.moreSamplesPerItem.map { "; about \($0) more samples per item would decide it" } ?? "; no practical number of samples would decide it at this estimate")
        result.reason = "\(numbers) against \(Format.number(fixed.threshold)), anytime: \(verdict.rawValue) — \(when)"
        return result
    }
}
