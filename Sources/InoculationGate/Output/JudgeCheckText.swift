/// The "Judge" section every output shows for a labelled judge: how it agrees with
/// people's labels (TPR, FPR, κ with intervals), and the rates it counted corrected
/// for its errors, with the method and why — plus the floor failure's sentence.
enum JudgeCheckText {
    static let agreementHeader = ["probe", "call", "labels", "TP", "FP", "FN", "TN", "TPR (recall)", "FPR", "Cohen's κ", "floor"]
    static let rateHeader = ["subject", "condition", "measure", "judge's count", "corrected", "method", "claims and baselines use"]

    /// One line per judge: who, against what labels, and what kind of sample they are.
    static func about(_ j: RunDocument.Judge) -> String {
        let source = j.sampledRun.map { "sampled from run \($0)" } ?? "made elsewhere (not a random sample of this run)"
        return "\(j.probe): \(j.judge) against \(j.labels) labels in \(j.labelFile), \(source)"
    }

    static func agreementRows(_ judges: [RunDocument.Judge]) -> [[String]] {
        judges.flatMap { j in
            [row(j, j.misaligned, call: "misaligned", floor: j.minKappa.map { "min \(Format.number($0))" + (j.meetsFloor ? " ✓" : " ✗") } ?? "—"),
             row(j, j.coherent, call: "coherent", floor: "—")]
                + j.slots.map { row(j, $0, call: "misaligned @ \($0.subject ?? "") › \($0.condition ?? "")", floor: "—") }
        }
    }

    private static func row(_ j: RunDocument.Judge, _ a: RunDocument.Judge.Agreement, call: String, floor: String) -> [String] {
        let total = a.truePositives + a.falsePositives + a.falseNegatives + a.trueNegatives
        return [
            j.probe, call, String(total), String(a.truePositives), String(a.falsePositives), String(a.falseNegatives), String(a.trueNegatives),
            valued(a.tpr, a.tprLower, a.tprUpper), valued(a.fpr, a.fprLower, a.fprUpper), valued(a.kappa, a.kappaLower, a.kappaUpper), floor,
        ]
    }

    /// The corrected rates, except those of a judge none of whose rates can be corrected
    /// (``uncorrectable(_:)`` says that in one sentence instead).
    static func rateRows(_ judges: [RunDocument.Judge]) -> [[String]] {
        judges.filter { uncorrectable($0) == nil }.flatMap { j in
            j.rates.map { r in
                [
                    r.subject, r.condition, r.measure, valued(r.raw, r.rawLower, r.rawUpper),
                    r.corrected.value == nil ? "[0, 1] (unbounded)" : valued(r.corrected.value, r.corrected.lower, r.corrected.upper),
                    r.corrected.method, r.used ? "corrected" : "judge's count",
                ]
            }
        }
    }

    /// Why each judge's corrections use the method they use (one sentence per distinct reason),
    /// and for a judge that cannot be corrected at all, why not.
    static func methodNotes(_ judges: [RunDocument.Judge]) -> [String] {
        var seen = Set<String>()
        return judges.flatMap { j -> [String] in
            if let sentence = uncorrectable(j) { return [sentence] }
            return j.rates.map { "\(j.probe), \($0.corrected.method): \($0.corrected.why)" }
        }.filter { seen.insert($0).inserted }
    }

    /// One sentence when no rate of `j` can be corrected: every one is [0, 1], because the
    /// labels do not show the judge's recall above its false-positive rate.
    static func uncorrectable(_ j: RunDocument.Judge) -> String? {
        guard !j.rates.isEmpty, j.rates.allSatisfy({ $0.corrected.value == nil }) else { return nil }
        let calls = Set(j.rates.map(\.measure)).sorted().joined(separator: ", ")
        let a = j.misaligned
        return "\(j.probe): no rate of \(calls) can be corrected — each is [0, 1]: on the labels the \(j.judge) called \(a.truePositives) of \(a.truePositives + a.falseNegatives) misaligned answers misaligned (recall \(valued(a.tpr, a.tprLower, a.tprUpper))) and \(a.falsePositives) of \(a.falsePositives + a.trueNegatives) others (FPR \(valued(a.fpr, a.fprLower, a.fprUpper))), so its count says nothing the labels can turn into a rate. Use a judge that sees what the labels call misaligned."
    }

    static func valued(_ value: Double?, _ lower: Double?, _ upper: Double?) -> String {
        guard let value else { return "—" }
        return "\(Format.number(value)) [\(Format.number(lower)), \(Format.number(upper))]"
    }

    /// The failure of a judge below the suite's κ floor: names the judge, its κ and the floor.
    static func floorFailure(_ check: JudgeCheck, name: String) -> String {
        let floor = Format.number(check.minKappa ?? 0)
        guard let kappa = check.kappa else {
            return "\(name): the \(check.judge) has no Cohen's κ on the labels in \(check.labelFile) (\(check.misaligned.total) labels it counted, all in one class on one side), so it cannot show the floor min_kappa \(floor)"
        }
        let measured = "the \(check.judge) agrees with the \(kappa.labels) labels it counted in \(check.labelFile) at Cohen's κ = \(Format.number(kappa.value)) \(Format.interval(kappa.interval)) on the misaligned call"
        let recall = check.misaligned.truePositiveRate(confidence: check.confidence).map { " (recall \($0.successes)/\($0.trials))" } ?? ""
        if kappa.value < (check.minKappa ?? 0) {
            return "\(name): \(measured)\(recall) — below the suite's floor min_kappa \(floor). Every rate this judge counts, and every claim and baseline on them, depends on it."
        }
        return "\(name): \(measured)\(recall) — its interval reaches below the suite's floor min_kappa \(floor): the labels do not show the judge is good enough (more labels narrow the interval)."
    }
}
