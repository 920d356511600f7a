import Foundation

/// Reads and checks suite files.
///
/// Every problem — malformed YAML, an unknown key, a wrong type, a dangling
/// reference, a duplicate name, an empty or unreadable probe set — is a
/// ``SuiteError`` naming the file, line and column.
package struct SuiteLoader {
    /// The profile whose subjects and judge replace the suite's, if any.
    package var profile: Profile?
    /// Where `${NAME}` and `IPGATE_<SUBJECT>_BASE_URL` / `_MODEL` are read from.
    package var environment: GateEnvironment

    package init(profile: Profile? = nil, environment: GateEnvironment = GateEnvironment()) {
        self.profile = profile
        self.environment = environment
    }

    /// A loader for the profile `name`, read from `profilesFile` or, when nil,
    /// from `profiles.yaml` beside `suitePath`.
    package static func with(
        profile name: String?, profilesFile: String? = nil, suitePath: String, environment: GateEnvironment = GateEnvironment()
    ) throws(SuiteError) -> SuiteLoader {
        guard let name else { return SuiteLoader(environment: environment) }
        let file = profilesFile ?? ((suitePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("profiles.yaml")
        return SuiteLoader(profile: try Profile.load(name: name, path: file), environment: environment)
    }

    static let topKeys = ["suite", "about", "seed", "subjects", "conditions", "probes", "measures", "claims", "baseline", "statistics", "recorded", "adaptive"]

    /// Loads the suite at `path` and the probe data it points to.
    package func load(path: String) throws(SuiteError) -> Suite {
        var isFolder: ObjCBool = false
        if path.contains("\0") {
            throw SuiteError("the suite path contains a NUL character", at: SourceLocation(file: path.replacingOccurrences(of: "\0", with: "\\0"), line: 1, column: 1))
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw SuiteError("this is a folder, not a suite file; give a suite file such as \(path)/reference.yaml", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return try parse(try Self.readText(path, what: "the suite file", at: SourceLocation(file: path, line: 1, column: 1)), file: path)
    }

    /// Parses suite `text`; probe files are resolved relative to `file`'s folder.
    package func parse(_ text: String, file: String) throws(SuiteError) -> Suite {
        let root = try YAMLReader.parse(text, file: file)
        let fields = try root.fields(allowed: Self.topKeys, what: "the suite")
        let name = try fields.string("suite")
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw try fields.require("suite").error("the suite name must not be empty") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            throw try fields.require("suite").error("the suite name contains a control character; names must be printable")
        }
        let seed = try fields.optionalInt("seed").map { value throws(SuiteError) -> UInt64 in
            guard value >= 0 else { throw fields["seed"]!.error("'seed' must be zero or positive") }
            return UInt64(value)
        } ?? 0

        let conditions = try readConditions(try fields.require("conditions"))
        var subjects = try readSubjects(try fields.require("subjects"), conditions: conditions, suiteSeed: seed)
        if let profile, let typo = profile.misspelledSubjects(in: subjects.map(\.name)).first {
            throw typo.reader.error(
                "profile '\(profile.name)' names subject '\(typo.name)', which suite '\(name)' does not have — did you mean '\(typo.nearest)'?")
        }
        let folder = (file as NSString).deletingLastPathComponent
        // A suite of published counts alone may leave out `probes:` (its measures name none).
        var probes = try fields["probes"].map { reader throws(SuiteError) in try readProbes(reader, folder: folder) } ?? []
        let measures = try readMeasures(try fields.require("measures"), probes: &probes)
        var users: [String: [String]] = [:]
        for subject in subjects { if case .recorded(let recorded) = subject.provider { users[subject.name] = recorded.dataSets } }
        let recorded = try readRecorded(
            fields["recorded"], folder: folder, probes: probes, measures: measures, conditions: conditions, users: users)
        for index in subjects.indices {
            guard case .recorded(var spec) = subjects[index].provider else { continue }
            spec.contentHash = StableHash.hex(spec.dataSets.map { recorded[$0]?.contentHash ?? "" })
            let said = spec.dataSets.flatMap { recorded[$0]?.generation[subjects[index].name] ?? [] }
            spec.generation = said.isEmpty ? nil : said.joined(separator: "; ")
            subjects[index].provider = .recorded(spec)
        }
        // A measure that stands on no probe set has data only where published counts give it.
        let counted = Set(probes.filter { $0.dataHash == "published-counts" && $0.items.isEmpty }.map(\.name))
        if let spec = measures.first(where: { counted.contains($0.probe) }) {
            for subject in subjects {
                guard case .recorded(let spec_) = subject.provider, spec_.dataSets.allSatisfy({ recorded[$0]?.isSummary == true }) else {
                    throw SuiteError(
                        "measure '\(spec.name)' names no probe set, so only subjects known from published counts can have it; subject '\(subject.name)' is asked or has answers — give the measure a probe set (probe: NAME under probes:)",
                        at: spec.location ?? fields.owner.location)
                }
            }
        }
        let references = References(subjects: subjects.map(\.name), conditions: conditions.map(\.name), measures: measures)
        let claims = try fields["claims"].map { reader throws(SuiteError) in try readClaims(reader, references: references) } ?? []
        for claim in claims {
            // A ratio of two corrected rates is not the corrected ratio of the counts: not offered.
            if case .transfer(_, let measure, _, _, _) = claim.kind, measures.first(where: { $0.name == measure })?.corrected == true {
                throw SuiteError("a transfer claim cannot use '\(measure)', which is 'corrected: true' (the ratio of corrected rates is not linear in the judge's counts); use a measure without 'corrected'", at: claim.location)
            }
        }
        var baseline = try fields["baseline"].map { reader throws(SuiteError) in try readBaseline(reader, measures: measures) }
            ?? BaselineSettings()
        // The default tolerance is written on the rate scale; scores (0–100) get it × 100.
        for spec in measures where spec.metric.scale == .score && baseline.tolerance[spec.name] == nil {
            baseline.tolerance[spec.name] = baseline.defaultTolerance * spec.metric.scale.unit
        }
        let statistics = try fields["statistics"].map { reader throws(SuiteError) in try readStatistics(reader) } ?? StatisticsSettings()
        for subject in subjects {
            guard let expected = subject.expectedDiagnosis else { continue }
            let present = Set(claims.filter { $0.subject == subject.name }.map { Diagnosis.Family($0.keyword) })
            if let why = Diagnosis.unreachable(expected, present: present) {
                let location = subject.location ?? fields.owner.location
                throw SuiteError("subject '\(subject.name)' expects diagnosis '\(expected.rawValue)', which the suite's claims can never give: \(why)", at: location)
            }
        }
        var suite = Suite(
            name: name, about: try fields.optionalString("about") ?? "", file: file, seed: seed, subjects: subjects,
            conditions: conditions, probes: probes, measures: measures, claims: claims, baseline: baseline,
            statistics: statistics, profile: profile?.name, recorded: recorded)
        if let reader = fields["adaptive"] {
            suite.adaptive = try readAdaptive(reader)
            if let why = suite.adaptiveRefusal { throw reader.error(why) }
        }
        return suite
    }

    /// The UTF-8 text of a regular file the suite reads (a FIFO or a device is refused,
    /// never read), or a located error naming `what` it is.
    static func readText(_ path: String, what: String, at location: SourceLocation) throws(SuiteError) -> String {
        let data: Data
        do {
            data = try RegularFile.contents(path)
        } catch {
            throw SuiteError("cannot read \(what): \(error)", at: location)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SuiteError("\(what) \(TextSafety.visible(path)) is not UTF-8 text", at: location)
        }
        return text
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }

    // MARK: Subjects

    static let subjectKeys = ["provider", "behaviour", "trained_with", "seed", "expect_diagnosis"]
    static let recordedSubjectKeys = ["provider", "data", "expect_diagnosis"]
    static let openAIKeys = ["provider", "model", "base_url", "api_key_env", "concurrency", "timeout", "max_attempts", "batch_samples", "expect_diagnosis"]

    func readSubjects(_ reader: YAMLReader, conditions: [Condition], suiteSeed: UInt64) throws(SuiteError) -> [Subject] {
        let entries = try reader.entries(what: "'subjects'")
        guard !entries.isEmpty else { throw reader.error("'subjects' is empty; define at least one subject") }
        var subjects: [Subject] = []
        for (name, value) in entries {
            var subject = try readSubject(name, value, conditions: conditions, suiteSeed: suiteSeed)
            if let replacement = profile?.provider(for: name) {
                let replaced = try readSubject(name, replacement, conditions: conditions, suiteSeed: suiteSeed)
                if replaced.expectedDiagnosis != nil {
                    throw replacement.error("'expect_diagnosis' belongs in the suite, not in a profile")
                }
                subject = Subject(name: name, provider: replaced.provider, expectedDiagnosis: subject.expectedDiagnosis)
                subject.providerLocation = replacement.location
            }
            subject.location = value.location
            subjects.append(subject)
        }
        return subjects
    }

    func readSubject(_ name: String, _ value: YAMLReader, conditions: [Condition], suiteSeed: UInt64) throws(SuiteError) -> Subject {
        let providerName = try value.entries(what: "subject '\(name)'").first { $0.key == "provider" }?.value.string(what: "provider")
        if providerName == "openai" {
            let fields = try value.fields(allowed: Self.openAIKeys, what: "subject '\(name)'")
            let configuration = try readEndpoint(fields, subject: name)
            return Subject(name: name, provider: .openAI(configuration), expectedDiagnosis: try expectedDiagnosis(fields))
        }
        if providerName == "recorded" {
            let fields = try value.fields(allowed: Self.recordedSubjectKeys, what: "subject '\(name)'")
            let data = try fields.require("data")
            var dataSets: [String] = []
            if let list = try? data.items(what: "data") {
                for item in list { dataSets.append(try item.string(what: "data set")) }
            } else {
                dataSets = [try data.string(what: "data")]
            }
            guard !dataSets.isEmpty else { throw data.error("'data' names no recorded data set") }
            return Subject(name: name, provider: .recorded(RecordedSubject(dataSets: dataSets)), expectedDiagnosis: try expectedDiagnosis(fields))
        }
        let fields = try value.fields(allowed: Self.subjectKeys, what: "subject '\(name)'")
        let providerReader = try fields.require("provider")
        let provider = try providerReader.string(what: "provider")
        guard provider == "reference" else {
            throw providerReader.error("unknown provider '\(provider)' for subject '\(name)'; this version supports: reference, openai, recorded")
        }
        let behaviourReader = try fields.require("behaviour")
        let behaviourName = try behaviourReader.string(what: "behaviour")
        guard let behaviour = ReferenceOrganism.Behaviour(rawValue: behaviourName) else {
            throw behaviourReader.error("unknown behaviour '\(behaviourName)'; expected one of: \(ReferenceOrganism.Behaviour.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var trainingPrompt = "", placement = Condition.Placement.system
        if let trained = fields["trained_with"] {
            let conditionName = try trained.string(what: "trained_with")
            guard let condition = conditions.first(where: { $0.name == conditionName }) else {
                throw trained.error(Self.dangling("condition", conditionName, known: conditions.map(\.name)))
            }
            guard !condition.text.isEmpty else {
                throw trained.error("'trained_with' names condition '\(conditionName)', which has no text")
            }
            trainingPrompt = condition.text
            placement = condition.placement
        }
        let seed = try fields.optionalInt("seed").map { UInt64(bitPattern: Int64($0)) }
            ?? StableHash.uint64(["subject-seed", String(suiteSeed), name])
        let configuration = ReferenceOrganism.Configuration(
            behaviour: behaviour, trainingPrompt: trainingPrompt, trainingPlacement: placement, seed: seed)
        return Subject(name: name, provider: .reference(configuration), expectedDiagnosis: try expectedDiagnosis(fields))
    }

    func expectedDiagnosis(_ fields: YAMLReader.Fields) throws(SuiteError) -> Diagnosis.Kind? {
        guard let reader = fields["expect_diagnosis"] else { return nil }
        let text = try reader.string(what: "expect_diagnosis")
        guard let kind = Diagnosis.Kind(rawValue: text) else {
            throw reader.error("unknown diagnosis '\(text)'; expected one of: \(Diagnosis.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }

    /// An OpenAI-compatible endpoint. `IPGATE_<SUBJECT>_BASE_URL` and `IPGATE_<SUBJECT>_MODEL`
    /// (the subject's name upper-cased, other characters as `_`) re-point it without editing the suite;
    /// `${NAME}` and `${NAME:-default}` in `base_url` and `model` are read from the environment.
    func readEndpoint(_ fields: YAMLReader.Fields, subject: String?) throws(SuiteError) -> OpenAIProvider.Configuration {
        let baseURL: String, model: String
        if let override = subject.flatMap({ environment.subjectOverride($0, "BASE_URL") }) {
            baseURL = override
        } else {
            baseURL = try Self.expand(try fields.string("base_url"), at: fields.require("base_url"), environment: environment)
        }
        if let override = subject.flatMap({ environment.subjectOverride($0, "MODEL") }) {
            model = override
        } else {
            model = try Self.expand(try fields.string("model"), at: fields.require("model"), environment: environment)
                .replacingOccurrences(of: "{subject}", with: subject ?? "{subject}")
        }
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://"),
              let parts = URLComponents(string: baseURL), let host = parts.host, !host.isEmpty, !baseURL.contains(where: \.isWhitespace) else {
            throw (fields["base_url"] ?? fields.owner).error("'base_url' must be an http:// or https:// address with a host, e.g. http://127.0.0.1:8000/v1 (got '\(TextSafety.visible(baseURL))')")
        }
        // `http://host:/v1` parses with an empty port; a port outside 1…65535 is no port either.
        if let authority = baseURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first,
           authority.hasSuffix(":") || authority.hasSuffix("]:") || (parts.port.map { !(1...65535).contains($0) } ?? false) {
            throw (fields["base_url"] ?? fields.owner).error("'base_url' names no valid port after ':' (got '\(TextSafety.visible(baseURL))'); write one, e.g. http://127.0.0.1:8000/v1, or leave out the ':'")
        }
        var configuration = OpenAIProvider.Configuration(baseURL: baseURL, model: model, apiKeyVariable: try fields.optionalString("api_key_env"))
        if let value = try fields.optionalInt("concurrency") {
            guard (1...1024).contains(value) else { throw fields["concurrency"]!.error("'concurrency' must be from 1 to 1024") }
            configuration.concurrency = value
        }
        if let value = try fields.optionalDouble("timeout") {
            guard value > 0, value <= 86_400 else { throw fields["timeout"]!.error("'timeout' must be above 0 and at most 86400 seconds") }
            configuration.timeout = value
        }
        if let value = try fields.optionalBool("batch_samples") { configuration.batchesSamples = value }
        if let value = try fields.optionalInt("max_attempts") {
            guard (1...100).contains(value) else { throw fields["max_attempts"]!.error("'max_attempts' must be from 1 to 100") }
            configuration.retry.maxAttempts = value
        }
        return configuration
    }

    /// `text` with every `${NAME}` / `${NAME:-default}` replaced from `environment`.
    static func expand(_ text: String, at reader: YAMLReader, environment: GateEnvironment) throws(SuiteError) -> String {
        var result = "", rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw reader.error("unclosed '${' in '\(text)'; write ${NAME} or ${NAME:-default}")
            }
            let inner = rest[open.upperBound..<close]
            let parts = inner.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            if let value = environment[name] {
                result += value
            } else if parts.count == 2 {
                result += parts[1]
            } else {
                throw reader.error("environment variable \(name) is not set (needed by '\(text)'); set it or write ${\(name):-default}")
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func dangling(_ kind: String, _ name: String, known: [String]) -> String {
        let hint = YAMLReader.nearest(name, in: known).map { " — did you mean '\($0)'?" } ?? ""
        return "no \(kind) named '\(name)'; defined \(kind)s: \(known.joined(separator: ", "))\(hint)"
    }
}
