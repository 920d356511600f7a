extension SuiteLoader {
    /// Names claims may refer to.
    struct References {
        let subjects: [String]
        let conditions: [String]
        let measures: [MeasureSpec]
    }

    static let claimKeys: [String: [String]] = [
        "transfer": ["subject", "measure", "from", "to", "min_ratio", "expect"],
        "suppression": ["subject", "measure", "condition", "versus", "margin", "ceiling", "expect"],
        "specificity": ["measure", "condition", "semantic", "random", "margin", "expect"],
        "no_amplification": ["subject", "measure", "condition", "versus", "tolerance", "expect"],
        "no_leak": ["subject", "measure", "family", "baseline", "tolerance", "expect"],
        "semantic_share": ["subject", "twin", "control", "measure", "condition", "min", "expect"],
        "gated_share": ["subject", "measure", "with", "without", "base", "max", "expect"],
    ]

    func readClaims(_ reader: YAMLReader, references: References) throws(SuiteError) -> [ClaimSpec] {
        var claims: [ClaimSpec] = []
        for item in try reader.items(what: "'claims'") {
            let entries = try item.entries(allowed: Self.claimKeys.keys.sorted(), what: "a claim")
            guard entries.count == 1, let (keyword, body) = entries.first else {
                throw item.error("each claim is a mapping with exactly one key, the claim kind: \(Self.claimKeys.keys.sorted().joined(separator: ", "))")
            }
            let fields = try body.fields(allowed: Self.claimKeys[keyword]!, what: "claim '\(keyword)'")
            let claim = try readClaim(keyword, fields: fields, references: references, at: item.location)
            guard !claims.contains(where: { $0.title == claim.title }) else {
                throw item.error("duplicate claim: '\(claim.title)' is already defined")
            }
            claims.append(claim)
        }
        return claims
    }

    private func readClaim(_ keyword: String, fields: YAMLReader.Fields, references: References, at location: SourceLocation) throws(SuiteError) -> ClaimSpec {
        func subject(_ key: String) throws(SuiteError) -> String { try name(fields.require(key), among: references.subjects, kind: "subject") }
        func condition(_ key: String) throws(SuiteError) -> String { try name(fields.require(key), among: references.conditions, kind: "condition") }
        let measureReader = try fields.require("measure")
        let measure = try name(measureReader, among: references.measures.map(\.name), kind: "measure")
        var expect = Verdict.holds
        if let reader = fields["expect"] {
            let text = try reader.string(what: "expect")
            guard let verdict = Verdict(rawValue: text) else {
                throw reader.error("'expect' must be one of: holds, fails, inconclusive")
            }
            expect = verdict
        }
        let scale = references.measures.first { $0.name == measure }?.metric.scale ?? .rate
        /// A threshold on the measure's scale: defaults are written for rates, × 100 for scores.
        func threshold(_ key: String, default value: Double?) throws(SuiteError) -> Double? {
            guard let reader = fields[key] else { return value.map { $0 * scale.unit } }
            let number = try reader.double(what: key)
            guard number >= 0, number <= scale.upper else {
                throw reader.error("'\(key)' must be from 0 to \(scale.upperText): '\(measure)' is \(scale.description)")
            }
            return number
        }
        /// A bound on a share: a fraction from 0 to 1, whatever the measure's scale.
        func share(_ key: String, default value: Double) throws(SuiteError) -> Double {
            guard let reader = fields[key] else { return value }
            let number = try reader.double(what: key)
            guard number >= 0, number <= 1 else { throw reader.error("'\(key)' is a share, from 0 to 1 (e.g. 0.5)") }
            return number
        }
        func distinct(_ a: (String, String), _ b: (String, String), _ key: String) throws(SuiteError) {
            guard a != b else {
                throw (fields[key] ?? fields.owner).error("this claim compares \(a.0)@\(a.1) with itself; name another subject or condition")
            }
        }
        let kind: ClaimSpec.Kind
        switch keyword {
        case "transfer":
            let minRatio = try fields.optionalDouble("min_ratio") ?? 0.9
            guard minRatio > 0, minRatio <= 10 else { throw fields["min_ratio"]!.error("'min_ratio' must be above 0 and at most 10, e.g. 0.9") }
            let (s, from, to) = (try subject("subject"), try condition("from"), try condition("to"))
            try distinct((s, from), (s, to), "to")
            kind = .transfer(subject: s, measure: measure, from: from, to: to, minRatio: minRatio)
        case "suppression":
            let (s, c, versus) = (try subject("subject"), try condition("condition"), try subject("versus"))
            try distinct((s, c), (versus, c), "versus")
            kind = .suppression(
                subject: s, measure: measure, condition: c, versus: versus, margin: try threshold("margin", default: 0.05)!,
                ceiling: try threshold("ceiling", default: nil))
        case "specificity":
            let (c, semantic, random) = (try condition("condition"), try subject("semantic"), try subject("random"))
            try distinct((semantic, c), (random, c), "random")
            kind = .specificity(measure: measure, condition: c, semantic: semantic, random: random, margin: try threshold("margin", default: 0.05)!)
        case "no_leak":
            let s = try subject("subject")
            let baseline = try fields["baseline"].map { reader throws(SuiteError) in try name(reader, among: references.conditions, kind: "condition") } ?? "none"
            guard references.conditions.contains(baseline) else { throw fields.owner.error("no_leak compares with condition '\(baseline)', which the suite does not define; name one with 'baseline:'") }
            let familyReader = try fields.require("family")
            let family = try familyReader.items(what: "'family'").map { reader throws(SuiteError) in try name(reader, among: references.conditions, kind: "condition") }
            guard !family.isEmpty else { throw familyReader.error("'family' lists the prompt-shaped conditions to check; it is empty") }
            guard Set(family).count == family.count else { throw familyReader.error("'family' names a condition twice") }
            guard !family.contains(baseline) else { throw familyReader.error("'family' contains the baseline condition '\(baseline)' itself") }
            kind = .noLeak(subject: s, measure: measure, baseline: baseline, family: family, tolerance: try threshold("tolerance", default: 0.02)!)
        case "semantic_share":
            let (s, twin, control, c) = (try subject("subject"), try subject("twin"), try subject("control"), try condition("condition"))
            guard Set([s, twin, control]).count == 3 else { throw fields.owner.error("semantic_share needs three different subjects: the inoculated one, its random-string twin and the control") }
            kind = .semanticShare(subject: s, twin: twin, control: control, measure: measure, condition: c, min: try share("min", default: 0.5))
        case "gated_share":
            let s = try subject("subject")
            let with = try condition("with")
            let without = try fields["without"].map { reader throws(SuiteError) in try name(reader, among: references.conditions, kind: "condition") } ?? "none"
            guard references.conditions.contains(without) else { throw fields.owner.error("gated_share compares with condition '\(without)', which the suite does not define; name one with 'without:'") }
            try distinct((s, with), (s, without), "with")
            let base = try fields["base"].map { reader throws(SuiteError) in try name(reader, among: references.subjects, kind: "subject") }
            kind = .gatedShare(subject: s, measure: measure, with: with, without: without, base: base, max: try share("max", default: 0.5))
        default:
            let versus = try fields.require("versus")
            let versusFields = try versus.fields(allowed: ["subject", "condition"], what: "'versus'")
            let (s, c) = (try subject("subject"), try condition("condition"))
            let other = (
                try name(versusFields.require("subject"), among: references.subjects, kind: "subject"),
                try name(versusFields.require("condition"), among: references.conditions, kind: "condition"))
            try distinct((s, c), other, "versus")
            kind = .noAmplification(
                subject: s, measure: measure, condition: c, versusSubject: other.0, versusCondition: other.1,
                tolerance: try threshold("tolerance", default: 0.02)!)
        }
        return ClaimSpec(kind: kind, expect: expect, location: location)
    }

    private func name(_ reader: YAMLReader, among known: [String], kind: String) throws(SuiteError) -> String {
        let value = try reader.string(what: kind)
        guard known.contains(value) else { throw reader.error(Self.dangling(kind, value, known: known)) }
        return value
    }
}
