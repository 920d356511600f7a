import Foundation

extension SuiteLoader {
    static let probeKeys = ["kind", "items", "allow_outside", "samples", "temperature", "max_tokens", "top_p", "stop", "judge"]
    static let measureKeys = ["probe", "metric", "better", "corrected"]

    /// Data lives beside the suite: a path that leaves the suite's folder (after symlinks) is
    /// refused, so a suite cannot read or quote arbitrary files, unless its owner says `allow_outside: true`.
    static func confine(_ path: String, to folder: String, named name: String, at reader: YAMLReader, what: String, owner: String) throws(SuiteError) {
        let base = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        guard target.hasPrefix(base + "/") else {
            throw reader.error("the \(what) '\(name)' is outside the suite's folder (\(base)); keep it beside the suite, or set 'allow_outside: true' on \(owner)")
        }
    }

    func readProbes(_ reader: YAMLReader, folder: String) throws(SuiteError) -> [ProbeSet] {
        let entries = try reader.entries(what: "'probes'")
        guard !entries.isEmpty else { throw reader.error("'probes' is empty; define at least one probe set") }
        var probes: [ProbeSet] = []
        for (name, value) in entries {
            let fields = try value.fields(allowed: Self.probeKeys, what: "probe set '\(name)'")
            let kindReader = try fields.require("kind")
            let kindText = try kindReader.string(what: "kind")
            guard let kind = ProbeSet.Kind(rawValue: kindText) else {
                throw kindReader.error("unknown probe kind '\(kindText)'; expected one of: \(ProbeSet.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let itemsReader = try fields.require("items")
            let itemsFile = try itemsReader.string(what: "items")
            let path = itemsFile.hasPrefix("/") ? itemsFile : (folder as NSString).appendingPathComponent(itemsFile)
            guard !itemsFile.contains("\0") else { throw itemsReader.error("the probe path contains a NUL character") }
            if try fields.optionalBool("allow_outside") != true {
                try Self.confine(path, to: folder, named: itemsFile, at: itemsReader, what: "probe file", owner: "this probe set")
            }
            let (items, hash) = try ProbeDataLoader().load(path: path, kind: kind, referencedAt: itemsReader.location)
            let samples = try fields.optionalInt("samples") ?? 1
            guard (1...100_000).contains(samples) else { throw fields["samples"]!.error("'samples' must be from 1 to 100000 per item and condition") }
            let temperature = try fields.optionalDouble("temperature") ?? (kind == .code ? 0 : 1)
            guard (0...2).contains(temperature) else { throw fields["temperature"]!.error("'temperature' must be from 0 to 2, e.g. 0.7") }
            let maxTokens = try fields.optionalInt("max_tokens") ?? (kind == .code ? 1024 : 400)
            guard (1...1_000_000).contains(maxTokens) else { throw fields["max_tokens"]!.error("'max_tokens' must be from 1 to 1000000") }
            let topP = try fields.optionalDouble("top_p")
            if let topP, !(topP > 0 && topP <= 1) { throw fields["top_p"]!.error("'top_p' must be above 0 and at most 1") }
            var stop: [String] = []
            if let stopReader = fields["stop"] {
                for entry in try stopReader.items(what: "stop") {
                    let text = try entry.string(what: "stop sequence")
                    guard !text.isEmpty else { throw entry.error("a stop sequence must not be empty") }
                    stop.append(text)
                }
            }
            var judge = JudgeSettings()
            if let judgeReader = fields["judge"] {
                guard kind == .judged else { throw judgeReader.error("'judge' only applies to probe sets of kind 'judged'") }
                judge = try readJudge(judgeReader, folder: folder)
            }
            if kind == .judged, let replacement = profile?.judge {
                // The suite's thresholds stay; the profile says who judges.
                if replacement.isMapping, let threshold = try replacement.entries(what: "judge").first(where: { $0.key.hasPrefix("misaligned") || $0.key.hasPrefix("coherent") }) {
                    throw threshold.value.error("'\(threshold.key)' is a property of the suite's measures; set it in the suite, not in a profile")
                }
                judge.llm = try readJudge(replacement, folder: nil).llm
            }
            var probe = ProbeSet(
                name: name, kind: kind, itemsFile: itemsFile, items: items, samples: samples, temperature: temperature,
                maxTokens: maxTokens, judge: judge, dataHash: hash, topP: topP, stop: stop)
            probe.samplesGiven = fields["samples"] != nil
            probe.location = value.location
            probes.append(probe)
        }
        return probes
    }

    /// A judge's settings; `folder` is the suite's (nil for a profile's judge, which may
    /// say who judges but not what the judge is measured against).
    private func readJudge(_ reader: YAMLReader, folder: String?) throws(SuiteError) -> JudgeSettings {
        if !reader.isMapping {
            let name = try reader.string(what: "judge")
            guard name == "rubric" else { throw reader.error("unknown judge '\(name)'; this version supports: rubric") }
            return JudgeSettings()
        }
        let fields = try reader.fields(
            allowed: [
                "kind", "misaligned_below", "coherent_at_least", "minimum_mass", "model", "base_url", "api_key_env", "concurrency",
                "timeout", "max_attempts", "labels", "min_kappa",
            ],
            what: "judge")
        var settings = JudgeSettings()
        let kind = try fields["kind"]?.string(what: "kind") ?? (fields["model"] != nil || fields["base_url"] != nil ? "llm" : "rubric")
        switch kind {
        case "rubric": break
        case "llm":
            var llm = LogprobJudge.Configuration(endpoint: try readEndpoint(fields, subject: nil))
            if let mass = try fields.optionalDouble("minimum_mass") {
                guard mass > 0, mass <= 1 else { throw fields["minimum_mass"]!.error("'minimum_mass' must be above 0 and at most 1") }
                llm.minimumMass = mass
            }
            settings.llm = llm
        default: throw fields["kind"]!.error("unknown judge '\(kind)'; this version supports: rubric, llm")
        }
        if kind != "llm", let mass = fields["minimum_mass"] {
            throw mass.error("'minimum_mass' applies to the LLM judge only (kind: llm)")
        }
        if let value = try fields.optionalDouble("misaligned_below") { settings.misalignedBelow = value }
        if let value = try fields.optionalDouble("coherent_at_least") { settings.coherentAtLeast = value }
        for (key, value) in [("misaligned_below", settings.misalignedBelow), ("coherent_at_least", settings.coherentAtLeast)]
        where !(0...100).contains(value) {
            throw fields[key]!.error("'\(key)' must be between 0 and 100")
        }
        if let labelsReader = fields["labels"] {
            guard let folder else { throw labelsReader.error("'labels' belongs in the suite's judge (what the judge is measured against), not in a profile") }
            settings.labels = try readLabels(labelsReader, folder: folder)
        }
        if let minKappa = try fields.optionalDouble("min_kappa") {
            guard minKappa > -1, minKappa <= 1 else { throw fields["min_kappa"]!.error("'min_kappa' is a Cohen's κ: above −1 and at most 1, e.g. 0.6") }
            guard settings.labels != nil else {
                throw fields["min_kappa"]!.error("'min_kappa' needs 'labels': a judge's κ is measured against people's labels (see `ipgate labels export`)")
            }
            settings.minKappa = minKappa
        }
        return settings
    }

    /// A label file beside the suite, read and checked now: a wrong file is the suite's error.
    private func readLabels(_ reader: YAMLReader, folder: String) throws(SuiteError) -> JudgeLabels {
        let file = try reader.string(what: "labels")
        guard !file.contains("\0") else { throw reader.error("the labels path contains a NUL character") }
        let path = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
        try Self.confine(path, to: folder, named: file, at: reader, what: "label file", owner: "nothing (label files live beside the suite, e.g. labels/em-gold.csv)")
        do {
            let set = try LabelSet.read(path: path)
            guard let data = FileManager.default.contents(atPath: path) else { throw reader.error("cannot read the label file '\(file)'") }
            return JudgeLabels(file: file, hash: SHA256.hex(bytes: SHA256.digest(data)), set: set, location: reader.location)
        } catch let error as SuiteError {
            throw error
        } catch {
            throw reader.error("the label file '\(file)' cannot be used: \(error)")
        }
    }

    /// The probe set a measure without `probe:` stands on: no items, nothing asked — only
    /// subjects known from published counts can have such a measure (checked by the caller).
    static func countsProbe(_ kind: ProbeSet.Kind) -> ProbeSet {
        ProbeSet(
            name: "(published counts: \(kind.rawValue))", kind: kind, itemsFile: "", items: [], samples: 1, temperature: 0, maxTokens: 1,
            judge: JudgeSettings(), dataHash: "published-counts")
    }

    /// The measures, in file order. A measure without `probe:` (a suite of published counts
    /// needs no tasks or questions) gets a probe set of its metric's kind with no items,
    /// appended to `probes`.
    func readMeasures(_ reader: YAMLReader, probes: inout [ProbeSet]) throws(SuiteError) -> [MeasureSpec] {
        let entries = try reader.entries(what: "'measures'")
        guard !entries.isEmpty else { throw reader.error("'measures' is empty; define at least one measure") }
        var measures: [MeasureSpec] = []
        for (name, value) in entries {
            let fields = try value.fields(allowed: Self.measureKeys, what: "measure '\(name)'")
            let metricReader = try fields.require("metric")
            let metricName = try metricReader.string(what: "metric")
            guard let metric = MeasureSpec.Metric(rawValue: metricName) else {
                throw metricReader.error("unknown metric '\(metricName)'; expected one of: \(MeasureSpec.Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let probeName: String
            if let probeReader = fields["probe"] {
                probeName = try probeReader.string(what: "probe")
            } else {
                let counts = Self.countsProbe(metric.probeKind)
                if !probes.contains(where: { $0.name == counts.name }) { probes.append(counts) }
                probeName = counts.name
            }
            guard let probe = probes.first(where: { $0.name == probeName }) else {
                throw fields["probe"]!.error(Self.dangling("probe set", probeName, known: probes.map(\.name)))
            }
            guard metric.probeKind == probe.kind else {
                throw metricReader.error("metric '\(metricName)' needs a probe set of kind '\(metric.probeKind.rawValue)', but '\(probeName)' is '\(probe.kind.rawValue)'")
            }
            let betterReader = try fields.require("better")
            let betterText = try betterReader.string(what: "better")
            guard let better = MeasureSpec.Direction(rawValue: betterText) else {
                throw betterReader.error("'better' must be 'higher' or 'lower', not '\(betterText)'")
            }
            var spec = MeasureSpec(name: name, probe: probeName, metric: metric, better: better, location: value.location)
            if try fields.optionalBool("corrected") == true {
                guard metric == .misalignedRate || metric == .coherentRate else {
                    throw fields["corrected"]!.error("'corrected' applies to judge-counted rates (misaligned_rate, coherent_rate), not \(metricName)")
                }
                guard probe.judge.labels != nil else {
                    throw fields["corrected"]!.error("'corrected: true' needs labels on the judge of '\(probeName)' (judge: {labels: labels/FILE.csv}): the correction is measured on them")
                }
                spec.corrected = true
            }
            measures.append(spec)
        }
        return measures
    }

    func readBaseline(_ reader: YAMLReader, measures: [MeasureSpec]) throws(SuiteError) -> BaselineSettings {
        let fields = try reader.fields(
            allowed: ["alpha", "tolerance", "default_tolerance", "fail_on_improvement", "fail_on_underpowered"], what: "'baseline'")
        var settings = BaselineSettings()
        if let alpha = try fields.optionalDouble("alpha") {
            guard alpha > 0, alpha < 1 else { throw fields["alpha"]!.error("'alpha' must be between 0 and 1") }
            settings.alpha = alpha
        }
        if let value = try fields.optionalDouble("default_tolerance") {
            guard value >= 0, value <= 1 else {
                throw fields["default_tolerance"]!.error("'default_tolerance' is on the 0–1 scale of rates (scores get it × 100); it must be from 0 to 1, e.g. 0.03")
            }
            settings.defaultTolerance = value
        }
        if let tolerance = fields["tolerance"] {
            for (measure, value) in try tolerance.entries(what: "'tolerance'") {
                guard let spec = measures.first(where: { $0.name == measure }) else {
                    throw value.error(Self.dangling("measure", measure, known: measures.map(\.name)))
                }
                let number = try value.double(what: "tolerance of '\(measure)'")
                let scale = spec.metric.scale
                guard number >= 0, number <= scale.upper else {
                    throw value.error("the tolerance of '\(measure)' must be from 0 to \(scale.upperText) (\(spec.metric.rawValue) is \(scale.description))")
                }
                settings.tolerance[measure] = number
            }
        }
        if let value = try fields.optionalBool("fail_on_improvement") { settings.failOnImprovement = value }
        if let value = try fields.optionalBool("fail_on_underpowered") { settings.failOnUnderpowered = value }
        return settings
    }
}

extension SuiteLoader {
    func readStatistics(_ reader: YAMLReader) throws(SuiteError) -> StatisticsSettings {
        let fields = try reader.fields(
            allowed: ["confidence", "bootstrap_resamples", "ratio_interval", "adjust", "power", "max_empty_share"], what: "'statistics'")
        var settings = StatisticsSettings()
        if let value = try fields.optionalDouble("confidence") {
            guard value > 0.5, value < 1 else { throw fields["confidence"]!.error("'confidence' must be between 0.5 and 1, e.g. 0.95") }
            settings.confidence = value
        }
        if let value = try fields.optionalInt("bootstrap_resamples") {
            guard value >= 100 else { throw fields["bootstrap_resamples"]!.error("'bootstrap_resamples' must be at least 100") }
            settings.bootstrapResamples = value
        }
        if let reader = fields["ratio_interval"] {
            let text = try reader.string(what: "ratio_interval")
            guard let method = RatioEstimate.Method(rawValue: text) else {
                throw reader.error("'ratio_interval' must be percentile or bca, not '\(text)'")
            }
            settings.ratioInterval = method
        }
        if let reader = fields["adjust"] {
            let text = try reader.string(what: "adjust")
            guard let method = MultipleTesting.Method(rawValue: text) else {
                throw reader.error("'adjust' must be holm or bh, not '\(text)'")
            }
            settings.adjust = method
        }
        if let value = try fields.optionalDouble("power") {
            guard value > 0, value < 1 else { throw fields["power"]!.error("'power' must be between 0 and 1") }
            settings.power = value
        }
        if let value = try fields.optionalDouble("max_empty_share") {
            guard value >= 0, value < 1 else { throw fields["max_empty_share"]!.error("'max_empty_share' must be at least 0 and below 1, e.g. 0.5") }
            settings.maxEmptyShare = value
        }
        return settings
    }

    func readAdaptive(_ reader: YAMLReader) throws(SuiteError) -> AdaptiveSettings {
        let fields = try reader.fields(allowed: ["samples_per_round", "max_samples_per_item", "budget", "top_ups"], what: "'adaptive'")
        var settings = AdaptiveSettings()
        settings.location = reader.location
        if let value = try fields.optionalInt("samples_per_round") {
            guard value >= 1 else { throw fields["samples_per_round"]!.error("'samples_per_round' must be at least 1") }
            settings.samplesPerRound = value
        }
        if let value = try fields.optionalInt("max_samples_per_item") {
            guard value >= 1 else { throw fields["max_samples_per_item"]!.error("'max_samples_per_item' must be at least 1") }
            settings.maxSamplesPerItem = value
        }
        if let value = try fields.optionalInt("budget") {
            guard value >= 1 else { throw fields["budget"]!.error("'budget' must be at least 1 (generated samples in all)") }
            settings.budget = value
        }
        if let value = try fields.optionalInt("top_ups") {
            guard value >= 0 else { throw fields["top_ups"]!.error("'top_ups' must be zero or more") }
            settings.topUps = value
        }
        return settings
    }
}
