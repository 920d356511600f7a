extension SuiteLoader {
    static let conditionKeys = ["system", "prefix", "random", "neutral", "negated", "structure", "keyword", "irrelevant"]

    /// Conditions, in file order. `random` and `negated` may refer to any
    /// condition with text, wherever it is defined.
    func readConditions(_ reader: YAMLReader) throws(SuiteError) -> [Condition] {
        let entries = try reader.entries(what: "'conditions'")
        guard !entries.isEmpty else { throw reader.error("'conditions' is empty; define at least one condition (e.g. none: {})") }
        var direct: [String: Condition] = [:]
        for (name, value) in entries {
            if let condition = try directCondition(name: name, value) { direct[name] = condition }
        }
        var result: [Condition] = []
        for (name, value) in entries {
            var condition: Condition
            if let known = direct[name] {
                condition = known
            } else {
                condition = try derivedCondition(name: name, value, direct: direct, all: entries.map(\.key))
            }
            condition.location = value.location
            result.append(condition)
        }
        return result
    }

    /// `none: {}`, `{system: TEXT}`, `{prefix: TEXT}`, `{neutral: {...}}`; nil for derived kinds.
    private func directCondition(name: String, _ value: YAMLReader) throws(SuiteError) -> Condition? {
        if value.isNull { return Condition(name: name, kind: .none, text: "", placement: .system) }
        let entries = try value.entries(allowed: Self.conditionKeys, what: "condition '\(name)'")
        guard entries.count <= 1 else {
            throw entries[1].value.error("condition '\(name)' must have exactly one of: \(Self.conditionKeys.joined(separator: ", "))")
        }
        guard let (kind, body) = entries.first else {
            return Condition(name: name, kind: .none, text: "", placement: .system)
        }
        switch kind {
        case "system", "prefix":
            // One text, or a family of texts (a list): each item and sample gets one of them.
            let readers = body.isSequence ? try body.items(what: kind) : [body]
            guard !readers.isEmpty else { throw body.error("condition '\(name)' lists no texts") }
            var texts: [String] = []
            for reader in readers {
                let text = try reader.string(what: kind)
                guard !text.isEmpty else { throw reader.error("the text of condition '\(name)' is empty; use `\(name): {}` for no prompt") }
                guard !texts.contains(text) else { throw reader.error("condition '\(name)' lists this text twice") }
                texts.append(text)
            }
            let placement: Condition.Placement = kind == "system" ? .system : .prefix
            return Condition(name: name, kind: kind == "system" ? .system : .prefix, text: texts[0], placement: placement, variants: Array(texts.dropFirst()))
        case "neutral":
            let fields = try body.isNull ? nil : body.fields(allowed: ["text", "placement"], what: "neutral condition '\(name)'")
            let text = try fields?.optionalString("text") ?? Condition.neutralText
            return Condition(name: name, kind: .neutral, text: text, placement: try placement(fields))
        default:
            return nil
        }
    }

    private func derivedCondition(name: String, _ value: YAMLReader, direct: [String: Condition], all: [String]) throws(SuiteError) -> Condition {
        let (kind, body) = try value.entries(allowed: Self.conditionKeys, what: "condition '\(name)'")[0]
        if kind == "random" {
            let fields = try body.fields(allowed: ["like", "seed", "placement"], what: "random condition '\(name)'")
            let target = try referenced(fields.require("like"), direct: direct, all: all, from: name)
            let seed = try fields.optionalInt("seed") ?? 0
            let text = RandomText.make(length: target.text.count, seed: UInt64(bitPattern: Int64(seed)))
            let placement = try fields["placement"] == nil ? target.placement : placement(fields)
            return Condition(name: name, kind: .random, text: text, placement: placement)
        }
        if kind == "structure" || kind == "keyword" || kind == "irrelevant" {
            return try shapedCondition(name: name, kind: kind, body, direct: direct, all: all)
        }
        // negated
        let fields = try body.fields(allowed: ["of", "text", "placement"], what: "negated condition '\(name)'")
        if let explicit = try fields.optionalString("text") {
            return Condition(name: name, kind: .negated, text: explicit, placement: try placement(fields))
        }
        guard let of = fields["of"] else { throw body.error("negated condition '\(name)' needs 'of' (a condition) or 'text'") }
        let target = try referenced(of, direct: direct, all: all, from: name)
        let placement = try fields["placement"] == nil ? target.placement : placement(fields)
        return Condition(name: name, kind: .negated, text: "Please do not follow this instruction: \(target.text)", placement: placement)
    }

    /// `structure: {of: ip, seed: 1}` (or `seeds: [1, 2]`, a family), `keyword: {of: ip}`,
    /// `irrelevant: {like: ip, seed: 1}` (or `seeds:`): prompt-shaped texts made from another
    /// condition's text (see ``PromptShapes``).
    private func shapedCondition(name: String, kind: String, _ body: YAMLReader, direct: [String: Condition], all: [String]) throws(SuiteError) -> Condition {
        let source = kind == "irrelevant" ? "like" : "of"
        let allowed = kind == "keyword" ? [source, "placement"] : [source, "seed", "seeds", "placement"]
        let fields = try body.fields(allowed: allowed, what: "\(kind) condition '\(name)'")
        let target = try referenced(fields.require(source), direct: direct, all: all, from: name)
        var seeds: [Int] = [try fields.optionalInt("seed") ?? 0]
        if let list = fields["seeds"] {
            guard fields["seed"] == nil else { throw list.error("give 'seed' or 'seeds', not both") }
            seeds = try list.items(what: "'seeds'").map { reader throws(SuiteError) in try reader.int(what: "a seed") }
            guard !seeds.isEmpty, Set(seeds).count == seeds.count else { throw list.error("'seeds' must list different seeds") }
        }
        let texts: [String]
        switch kind {
        case "structure": texts = seeds.map { PromptShapes.structure(of: target.text, seed: UInt64(bitPattern: Int64($0))) }
        case "keyword":
            let words = PromptShapes.keywords(of: target.text)
            guard !words.isEmpty else { throw fields.owner.error("condition '\(target.name)' has no content words to keep") }
            texts = [words]
        default: texts = seeds.map { PromptShapes.irrelevant(length: target.text.count, seed: UInt64(bitPattern: Int64($0))) }
        }
        let placement = try fields["placement"] == nil ? target.placement : placement(fields)
        return Condition(name: name, kind: Condition.Kind(rawValue: kind)!, text: texts[0], placement: placement, variants: Array(texts.dropFirst()))
    }

    private func referenced(_ reader: YAMLReader, direct: [String: Condition], all: [String], from name: String) throws(SuiteError) -> Condition {
        let target = try reader.string(what: "condition reference")
        guard all.contains(target) else { throw reader.error(Self.dangling("condition", target, known: all)) }
        guard let condition = direct[target] else {
            throw reader.error("condition '\(name)' refers to '\(target)', which is itself derived; refer to a condition with literal text")
        }
        guard !condition.text.isEmpty else { throw reader.error("condition '\(name)' refers to '\(target)', which has no text") }
        return condition
    }

    private func placement(_ fields: YAMLReader.Fields?) throws(SuiteError) -> Condition.Placement {
        guard let reader = fields?["placement"] else { return .system }
        let text = try reader.string(what: "placement")
        guard let placement = Condition.Placement(rawValue: text) else {
            throw reader.error("unknown placement '\(text)'; expected system or prefix")
        }
        return placement
    }
}
