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
        let kind: ClaimSpec.Kind
        switch keyword {
        case "transfer":
            let minRatio = try fields.optionalDouble("min_ratio") ?? 0.9
            guard minRatio > 0 else { throw fields["min_ratio"]!.error("'min_ratio' must be positive") }
            kind = .transfer(subject: try subject("subject"), measure: measure, from: try condition("from"), to: try condition("to"), minRatio: minRatio)
        case "suppression":
            let ceiling = try fields.optionalDouble("ceiling")
            kind = .suppression(
                subject: try subject("subject"), measure: measure, condition: try condition("condition"),
                versus: try subject("versus"), margin: try fields.optionalDouble("margin") ?? 0.05, ceiling: ceiling)
        case "specificity":
            kind = .specificity(
                measure: measure, condition: try condition("condition"), semantic: try subject("semantic"),
                random: try subject("random"), margin: try fields.optionalDouble("margin") ?? 0.05)
        default:
            let versus = try fields.require("versus")
            let versusFields = try versus.fields(allowed: ["subject", "condition"], what: "'versus'")
            kind = .noAmplification(
                subject: try subject("subject"), measure: measure, condition: try condition("condition"),
                versusSubject: try name(versusFields.require("subject"), among: references.subjects, kind: "subject"),
                versusCondition: try name(versusFields.require("condition"), among: references.conditions, kind: "condition"),
                tolerance: try fields.optionalDouble("tolerance") ?? 0.02)
        }
        return ClaimSpec(kind: kind, expect: expect, location: location)
    }

    private func name(_ reader: YAMLReader, among known: [String], kind: String) throws(SuiteError) -> String {
        let value = try reader.string(what: kind)
        guard known.contains(value) else { throw reader.error(Self.dangling(kind, value, known: known)) }
        return value
    }
}
