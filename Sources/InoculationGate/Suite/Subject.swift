/// A model under test.
package struct Subject: Sendable, Hashable {
    package var name: String
    package var provider: ProviderSpec
    /// The diagnosis the suite expects the gate to reach for this subject, if any.
    package var expectedDiagnosis: Diagnosis.Kind?
    /// Where the suite file defines it (for editors and CI annotations).
    package var location: SourceLocation?
    /// Where its provider is defined: the profile's entry when a profile replaced it, else ``location``.
    package var providerLocation: SourceLocation?

    package init(name: String, provider: ProviderSpec, expectedDiagnosis: Diagnosis.Kind? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.provider = provider
        self.expectedDiagnosis = expectedDiagnosis
        self.location = location
    }
}

/// Where a subject's answers come from.
package enum ProviderSpec: Sendable, Hashable {
    /// A built-in simulated organism (see ``ReferenceOrganism``).
    case reference(ReferenceOrganism.Configuration)
    /// A model behind an OpenAI-compatible endpoint.
    case openAI(OpenAIProvider.Configuration)
    /// Answers produced elsewhere, read from the suite's recorded data sets (see ``RecordedData``).
    case recorded(RecordedSubject)

    /// The provider in a few words, for naming what changed in a fingerprint.
    package var summary: String {
        switch self {
        case .reference(let configuration):
            return "reference organism \(configuration.behaviour.rawValue), trained with \(StableHash.hex([configuration.trainingPrompt]).prefix(8)) "
                + "in \(configuration.trainingPlacement.rawValue), seed \(configuration.seed), organisms v\(ReferenceOrganism.version)"
        case .openAI(let configuration):
            return "model \(configuration.model)"
        case .recorded(let recorded):
            return "recorded data \(recorded.dataSets.joined(separator: ", ")) (content \(recorded.contentHash.prefix(12)))"
        }
    }

    /// A stable text form, part of the fingerprint of every measure of the subject.
    package var fingerprint: String {
        switch self {
        case .reference(let configuration):
            return StableHash.canonical([
                "reference", configuration.behaviour.rawValue, configuration.trainingPrompt,
                configuration.trainingPlacement.rawValue, String(configuration.seed),
                String(ReferenceOrganism.version),
            ])
        case .openAI(let configuration):
            // The model names the checkpoint; where it is served (local or cluster) does not
            // change its answers, so re-pointing a subject keeps its baselines comparable.
            return StableHash.canonical(["openai", configuration.model])
        case .recorded(let recorded):
            // The file's content and the mapping: a changed file is a changed fingerprint.
            return StableHash.canonical(["recorded"] + recorded.dataSets + [recorded.contentHash])
        }
    }
}

/// A subject whose answers come from recorded data sets.
package struct RecordedSubject: Sendable, Hashable {
    /// The names of the suite's `recorded:` data sets it reads (one per probe set).
    package var dataSets: [String]
    /// Hash of those data sets' content and mappings (filled in when they are read).
    package var contentHash: String = ""
    /// What the data says generated its answers (from the logs' own settings); nil when it does not say.
    package var generation: String?
}
