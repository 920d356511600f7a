import Foundation

/// A run as data: every measure, interval, count, claim, diagnosis, comparison,
/// fingerprint and gate case — the versioned, documented JSON that
/// `ipgate run --json` writes (schema: `Schemas/run-document-v1.schema.json`), and
/// what JUnit, annotations, Markdown and HTML are rendered from. It is stored with
/// the run, so `ipgate report --run ID` renders any of them later.
public struct RunDocument: Sendable, Hashable, Codable {
    /// `ipgate-run/1`. A change that removes or renames a field gets a new number.
    public static let schemaVersion = "ipgate-run/1"

    public struct Location: Sendable, Hashable, Codable {
        /// Relative to the project root when the file is inside it.
        public var file: String
        public var line: Int
        public var column: Int
    }

    public struct Run: Sendable, Hashable, Codable {
        public var id: String
        public var suite: String
        public var suiteFile: String
        public var gitCommit: String?
        public var verdict: GateVerdict
        public var samples: Int
        public var recordMode: RecordMode
        public var ci: Bool
        public var isolation: String?
        public var answersRequested: Int
        public var answersCached: Int
        public var failedAttempts: Int
        public var confidence: Double
        public var alpha: Double
    }

    public struct Fingerprint: Sendable, Hashable, Codable {
        public var suiteHash: String
        public var probeDataHash: String
        public var scorer: String
        public var fields: [String: String]?
    }

    public struct Measure: Sendable, Hashable, Codable {
        public var subject: String
        public var condition: String
        public var measure: String
        public var metric: MeasureSpec.Metric
        public var better: MeasureSpec.Direction
        /// Nil when no sample counted.
        public var value: Double?
        public var lower: Double?
        public var upper: Double?
        public var items: Int?
        public var trials: Double?
        public var method: String?
        public var fingerprint: Fingerprint
        /// For `corrected: true`: the rate corrected for the judge's errors (what claims and
        /// baselines use); `corrected` is absent when the labels cannot bound it.
        public var corrected: Corrected?
    }

    /// A judge-counted rate corrected for the judge's errors.
    public struct Corrected: Sendable, Hashable, Codable {
        public var value: Double?
        public var lower: Double?
        public var upper: Double?
        /// `rogan-gladen` or `prediction-powered`.
        public var method: String
        /// Why this method, and what it assumes.
        public var why: String
    }

    /// A labelled judge measured against its labels (`judge: {labels: …}`).
    public struct Judge: Sendable, Hashable, Codable {
        /// Agreement on one yes/no call; `positive` is the trait the rate counts.
        public struct Agreement: Sendable, Hashable, Codable {
            public var positive: String
            public var truePositives: Int
            public var falsePositives: Int
            public var falseNegatives: Int
            public var trueNegatives: Int
            public var tpr: Double?
            public var tprLower: Double?
            public var tprUpper: Double?
            public var fpr: Double?
            public var fprLower: Double?
            public var fprUpper: Double?
            public var kappa: Double?
            public var kappaLower: Double?
            public var kappaUpper: Double?
            /// Set for a per-slot row.
            public var subject: String?
            public var condition: String?
        }
        public struct Rate: Sendable, Hashable, Codable {
            public var subject: String
            public var condition: String
            public var measure: String
            public var raw: Double
            public var rawLower: Double
            public var rawUpper: Double
            public var corrected: Corrected
            /// Whether claims and baselines use the corrected rate (`corrected: true`).
            public var used: Bool
        }
        public var probe: String
        public var judge: String
        public var labelFile: String
        public var labels: Int
        /// The stored run the labels were sampled from; absent for labels made elsewhere.
        public var sampledRun: String?
        public var minKappa: Double?
        public var meetsFloor: Bool
        public var misaligned: Agreement
        public var coherent: Agreement
        public var slots: [Agreement]
        public var rates: [Rate]
    }

    public struct SlotCount: Sendable, Hashable, Codable {
        public var subject: String
        public var condition: String
        public var probe: String
        public var answers: Int
        public var empty: Int
        public var scored: Int
        public var unscored: Int
        public var incoherent: Int
        public var counted: Int
    }

    public struct Claim: Sendable, Hashable, Codable {
        public var title: String
        public var keyword: ClaimSpec.Keyword
        public var measure: String
        public var verdict: Verdict
        public var expected: Verdict
        public var meetsExpectation: Bool
        public var estimate: Double?
        public var lower: Double?
        public var upper: Double?
        public var threshold: Double
        public var method: String
        public var reason: String
        public var items: Int
        public var itemsNeeded: Int?
        public var location: Location?
    }

    public struct Diagnosis: Sendable, Hashable, Codable {
        public struct Evidence: Sendable, Hashable, Codable {
            public var claim: ClaimSpec.Keyword
            public var verdict: Verdict
        }
        public var subject: String
        public var kind: InoculationGate.Diagnosis.Kind
        public var expected: InoculationGate.Diagnosis.Kind?
        public var evidence: [Evidence]
    }

    /// A semantic or gated share ("how much is real"); `lower`/`upper` absent when undefined.
    public struct Share: Sendable, Hashable, Codable {
        public var kind: ShareResult.Kind
        public var subject: String
        public var measure: String
        public var condition: String
        public var sides: String
        public var estimate: Double?
        public var lower: Double?
        public var upper: Double?
        public var defined: Bool
        public var denominator: Double
        public var denominatorLower: Double
        public var denominatorUpper: Double
        public var items: Int
        /// The share claim's title; absent when derived from other claims.
        public var claim: String?

        package init(_ r: ShareResult) {
            kind = r.kind
            subject = r.subject
            measure = r.measure
            condition = r.condition
            sides = r.sides
            estimate = r.estimate
            lower = r.interval?.lower
            upper = r.interval?.upper
            defined = r.interval != nil
            denominator = r.denominator
            denominatorLower = r.denominatorInterval.lower
            denominatorUpper = r.denominatorInterval.upper
            items = r.items
            claim = r.claim
        }
    }

    public struct Flip: Sendable, Hashable, Codable {
        public var item: String
        public var baseline: String
        public var current: String
        public var excerpt: String
    }

    public struct Comparison: Sendable, Hashable, Codable {
        public var subject: String
        public var condition: String
        public var measure: String
        public var better: MeasureSpec.Direction
        public var status: BaselineComparison.Status
        public var failsGate: Bool
        public var baseline: Double?
        public var current: Double?
        public var delta: Double?
        public var lower: Double?
        public var upper: Double?
        public var pValue: Double?
        public var adjustedPValue: Double?
        public var tolerance: Double
        public var minimumDetectableEffect: Double?
        public var method: String?
        public var inconsistentBaseline: Double?
        public var fingerprintChanges: [String]
        public var flippedCount: Int
        public var flipped: [Flip]
        public var recorded: Bool
    }

    public struct Case: Sendable, Hashable, Codable {
        public var id: GateCaseID
        public var kind: GateCaseID.Kind
        public var name: String
        public var passed: Bool
        /// Why it failed; absent when it passed.
        public var reason: GateCaseOutcome.Reason?
        public var failure: String?
        public var warning: String?
        public var location: Location?
    }

    public var schema: String
    public var run: Run
    public var dataProblems: [String]
    public var measures: [Measure]
    public var counts: [SlotCount]
    public var claims: [Claim]
    public var diagnoses: [Diagnosis]
    public var comparisons: [Comparison]
    public var cases: [Case]
    /// Absent in documents stored before shares existed.
    public var shares: [Share]?
    /// Labelled judges; absent when no judge has labels.
    public var judges: [Judge]?
    /// What an adaptive run decided when, with how many samples; absent for the fixed design.
    public var adaptive: AdaptiveSummary?

    /// Cases that failed.
    public var failedCases: [Case] { cases.filter { !$0.passed } }

    /// The comparison behind a baseline case (nil for other cases).
    public func comparison(of id: GateCaseID) -> Comparison? {
        guard case .baseline(let key) = id else { return nil }
        return comparisons.first { $0.subject == key.subject && $0.condition == key.condition && $0.measure == key.measure }
    }

    /// The claim behind a claim case (nil for other cases).
    public func claim(of id: GateCaseID) -> Claim? {
        guard case .claim(let title) = id else { return nil }
        return claims.first { $0.title == title }
    }

    /// The document as JSON: sorted keys, so equal runs give equal bytes.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> RunDocument {
        let document = try JSONDecoder().decode(RunDocument.self, from: data)
        guard document.schema == schemaVersion else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "schema \(document.schema), this tool reads \(schemaVersion)"))
        }
        return document
    }
}

/// A run's verdict: failed when any gate case failed or the data carried none.
public enum GateVerdict: String, Sendable, Hashable, Codable {
    case passed, failed
}

extension RunDocument {
    /// The document of `result`, its cases as the run decided them; `root` makes file paths relative.
    public init(_ result: RunResult, root: String? = nil) {
        func location(_ place: SourceLocation?) -> Location? {
            guard let place else { return nil }
            let file = root.flatMap { place.file.hasPrefix($0 + "/") ? String(place.file.dropFirst($0.count + 1)) : nil } ?? place.file
            return Location(file: file, line: place.line, column: place.column)
        }
        let suite = result.suite
        let t = result.timings
        schema = Self.schemaVersion
        run = Run(
            id: result.runID, suite: suite.name, suiteFile: location(SourceLocation(file: suite.file, line: 1, column: 1))?.file ?? suite.file,
            gitCommit: result.gitCommit, verdict: result.failsGate ? .failed : .passed, samples: result.sampleCount,
            recordMode: result.policy.mode, ci: result.policy.isCI, isolation: result.isolation.map { "\($0)" },
            answersRequested: t.answersRequested, answersCached: t.answersCached, failedAttempts: t.failedAttempts,
            confidence: suite.statistics.confidence, alpha: suite.baseline.alpha)
        dataProblems = result.dataProblems.map(\.description)
        measures = result.measures.map { m in
            Measure(
                subject: m.key.subject, condition: m.key.condition, measure: m.key.measure, metric: m.spec.metric,
                better: m.spec.better, value: m.estimate?.value, lower: m.estimate?.interval.lower,
                upper: m.estimate?.interval.upper, items: m.estimate?.items, trials: m.estimate?.trials, method: m.estimate?.method,
                fingerprint: Fingerprint(
                    suiteHash: m.fingerprint.suiteHash, probeDataHash: m.fingerprint.probeDataHash,
                    scorer: m.fingerprint.scorerVersion, fields: m.fingerprint.fields),
                corrected: result.judgeChecks.lazy.flatMap(\.rates).first { $0.key == m.key && $0.used }.map(Corrected.init))
        }
        judges = result.judgeChecks.isEmpty ? nil : result.judgeChecks.map(Judge.init)
        adaptive = result.adaptive
        counts = result.counts.map { c in
            SlotCount(
                subject: c.slot.subject, condition: c.slot.condition, probe: c.slot.probe, answers: c.answers, empty: c.empty,
                scored: c.scored, unscored: c.unscored, incoherent: c.incoherent, counted: c.counted)
        }
        claims = result.claims.map { c in
            Claim(
                title: c.claim.title, keyword: c.claim.keyword, measure: c.claim.measure, verdict: c.verdict,
                expected: c.claim.expect, meetsExpectation: c.meetsExpectation, estimate: c.estimate,
                lower: c.interval?.lower, upper: c.interval?.upper, threshold: c.threshold, method: c.method, reason: c.reason,
                items: c.items, itemsNeeded: c.itemsNeeded, location: location(c.claim.location))
        }
        diagnoses = result.diagnoses.map { d in
            Diagnosis(
                subject: d.subject, kind: d.kind, expected: suite.subject(named: d.subject)?.expectedDiagnosis,
                evidence: d.evidence.map { Diagnosis.Evidence(claim: $0.keyword, verdict: $0.verdict) })
        }
        comparisons = result.comparisons.map { c in
            Comparison(
                subject: c.key.subject, condition: c.key.condition, measure: c.key.measure, better: c.better,
                status: c.status, failsGate: result.outcome(of: .baseline(c.key))?.passed == false, baseline: c.baseline?.value, current: c.current?.value,
                delta: c.delta, lower: c.difference?.interval.lower, upper: c.difference?.interval.upper, pValue: c.pValue,
                adjustedPValue: c.adjustedPValue, tolerance: c.tolerance, minimumDetectableEffect: c.minimumDetectableEffect,
                method: c.difference?.method, inconsistentBaseline: c.recomputedBaseline,
                fingerprintChanges: c.fingerprintChanges.map(\.description), flippedCount: c.flippedCount,
                flipped: c.flipped.map {
                    Flip(
                        item: $0.itemID, baseline: ComparisonMessage.itemValue($0.baseline, c.metric),
                        current: ComparisonMessage.itemValue($0.current, c.metric), excerpt: ComparisonMessage.excerpt($0.answer, length: 120))
                },
                recorded: result.recorded[c.key] != nil)
        }
        shares = result.shares.map(Share.init)
        cases = result.cases.map { o in
            Case(
                id: o.id, kind: o.id.kind, name: o.name, passed: o.passed, reason: o.reason, failure: o.failure, warning: o.warning,
                location: location(o.location))
        }
    }
}

extension RunDocument.Corrected {
    package init(_ rate: CorrectedRate) {
        value = rate.corrected?.value
        lower = rate.corrected?.interval.lower
        upper = rate.corrected?.interval.upper
        method = rate.method.rawValue
        why = rate.why
    }
}

extension RunDocument.Judge {
    package init(_ check: JudgeCheck) {
        let confidence = check.confidence
        func agreement(_ a: JudgeAgreement, positive: String, slot: Slot? = nil) -> Agreement {
            let tpr = a.truePositiveRate(confidence: confidence), fpr = a.falsePositiveRate(confidence: confidence)
            let kappa = a.kappaEstimate(confidence: confidence)
            return Agreement(
                positive: positive, truePositives: a.truePositives, falsePositives: a.falsePositives, falseNegatives: a.falseNegatives,
                trueNegatives: a.trueNegatives, tpr: tpr?.value, tprLower: tpr?.interval.lower, tprUpper: tpr?.interval.upper,
                fpr: fpr?.value, fprLower: fpr?.interval.lower, fprUpper: fpr?.interval.upper,
                kappa: kappa?.value, kappaLower: kappa?.interval.lower, kappaUpper: kappa?.interval.upper,
                subject: slot?.subject, condition: slot?.condition)
        }
        probe = check.probe
        judge = check.judge
        labelFile = check.labelFile
        labels = check.labels
        sampledRun = check.sampledRun
        minKappa = check.minKappa
        meetsFloor = !check.failsFloor
        misaligned = agreement(check.misaligned, positive: "misaligned")
        coherent = agreement(check.coherent, positive: "coherent")
        slots = check.slots.map { agreement($0.agreement, positive: "misaligned", slot: $0.slot) }
        rates = check.rates.map {
            Rate(
                subject: $0.key.subject, condition: $0.key.condition, measure: $0.key.measure, raw: $0.raw.value,
                rawLower: $0.raw.interval.lower, rawUpper: $0.raw.interval.upper, corrected: RunDocument.Corrected($0), used: $0.used)
        }
    }
}
