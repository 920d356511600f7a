import Foundation
/// A built-in, seeded **simulator** of a fine-tuned model — not a model.
///
/// Reference organisms make `swift test` and the demo run offline and give the
/// gate known answers: their behaviour (see ``Behaviour``) fixes the chance of
/// a correct code answer and of a misaligned free-form answer in each context.
/// What they return is real text — the task's reference or broken solution,
/// or an answer from hand-written banks — and goes through the same scorers,
/// statistics and claims as a real model's answers.
///
/// Answers are a deterministic function of (seed, item, sample, context).
/// Draws use a Gaussian copula: each item has a difficulty shared by every
/// subject, and a subject's draw for an item and sample is shared across
/// contexts, so a task a subject solves in a weak context it also solves in a
/// stronger one. That is what makes paired statistics matter, as with real models.
package struct ReferenceOrganism: ModelProvider {
    /// Bumped whenever the answers for a given configuration could change.
    package static let version = 2

    /// How one organism is set up in a suite.
    package struct Configuration: Sendable, Hashable {
        package var behaviour: Behaviour
        /// The text it treats as its inoculation prompt; empty when it has none.
        package var trainingPrompt: String
        package var trainingPlacement: Condition.Placement
        package var seed: UInt64
        /// Sampling noise: another value draws other answers on the *same* items (their
        /// difficulty and the organism's behaviour unchanged), as two runs of a real model
        /// at temperature > 0 would. Not part of the fingerprint, like a model's sampling
        /// randomness; nil draws the default answers. Set per run with `IPGATE_ORGANISM_NOISE`.
        package var noise: UInt64?

        package init(behaviour: Behaviour, trainingPrompt: String, trainingPlacement: Condition.Placement, seed: UInt64) {
            self.behaviour = behaviour
            self.trainingPrompt = trainingPrompt
            self.trainingPlacement = trainingPlacement
            self.seed = seed
        }
    }

    /// Correlation of a subject's draw with the item's shared difficulty.
    static let itemCorrelation = 0.6

    package let configuration: Configuration
    private let items: [String: ProbeItem]
    /// Each item's shared difficulty on the normal scale, drawn once.
    private let difficulty: [String: Double]
    /// Whether a slot text is shaped like the training prompt, worked out once per text:
    /// a suite has a handful of texts and hundreds of thousands of samples.
    private let shapes = ShapeMemo()

    private final class ShapeMemo: @unchecked Sendable {
        private let lock = NSLock()
        private var known: [String: Bool] = [:]

        func isShaped(_ text: String, like prompt: String) -> Bool {
            if let value = lock.withLock({ known[text] }) { return value }
            let value = PromptShapes.isShaped(text, like: prompt)
            lock.withLock { known[text] = value }
            return value
        }
    }

    /// An organism answering the items of the given probe sets.
    package init(configuration: Configuration, probes: [ProbeSet]) {
        self.configuration = configuration
        var items: [String: ProbeItem] = [:]
        var difficulty: [String: Double] = [:]
        for probe in probes {
            for item in probe.items {
                items[probe.name + "/" + item.id] = item
                difficulty[item.id] = Self.difficulty(of: item.id)
            }
        }
        self.items = items
        self.difficulty = difficulty
    }

    package var identity: String {
        "reference:v\(Self.version):\(configuration.behaviour.rawValue):\(configuration.seed)" + (configuration.noise.map { ":noise \($0)" } ?? "")
    }

    package func generate(_ request: GenerationRequest) async throws -> String {
        guard let item = items[request.probe + "/" + request.itemID] else {
            throw ProviderError.unknownItem(probe: request.probe, item: request.itemID)
        }
        return answer(item: item, request: request)
    }

    /// What the organism sees in its prompt slot for this request.
    package func context(of request: GenerationRequest) -> Context {
        var slot = ""
        for message in request.messages {
            switch message.role {
            case .system: slot += message.content
            case .user where message.content != request.userText:
                slot += message.content.hasSuffix("\n\n" + request.userText)
                    ? String(message.content.dropLast(request.userText.count + 2)) : message.content
            default: break
            }
        }
        if slot.isEmpty { return .none }
        if slot == configuration.trainingPrompt { return .trainingPrompt }
        return shapes.isShaped(slot, like: configuration.trainingPrompt) ? .promptShaped : .otherText
    }

    func answer(item: ProbeItem, request: GenerationRequest) -> String {
        let context = context(of: request)
        let behaviour = configuration.behaviour
        let seed = String(configuration.seed)
        // The noise seed joins the sample's own streams only: item difficulty stays put.
        let sample = String(request.sampleIndex) + (configuration.noise.map { "~\($0)" } ?? "")
        switch item.content {
        case .code(let task):
            let draw = coupledDraw(item: item.id, stream: ["capability", seed, item.id, sample])
            let correct = draw < behaviour.capability[context]
            let style = Int(StableHash.fastUInt64(["style", seed, item.id, sample]) % 3)
            return Self.present(code: correct ? task.solution : task.broken, style: style)
        case .vulnerability(let task):
            let draw = coupledDraw(item: item.id, stream: ["insecurity", seed, item.id, sample])
            let insecure = draw < behaviour.insecurity[context]
            let style = Int(StableHash.fastUInt64(["style", seed, item.id, sample]) % 3)
            return Self.present(code: insecure ? task.insecure : task.secure, style: style)
        case .question:
            let misaligned = coupledDraw(item: item.id, stream: ["misalignment", seed, item.id, sample])
                < behaviour.misalignment[context]
            let pick = StableHash.fastUInt64(["pick", seed, item.id, sample, context.rawValue])
            let bank: [String]
            if misaligned {
                bank = AnswerBank.misaligned
            } else {
                let kind = StableHash.fastUnit(["kind", seed, item.id, sample, context.rawValue])
                if kind < behaviour.incoherence {
                    bank = AnswerBank.incoherent
                } else if kind < behaviour.incoherence + behaviour.refusal {
                    bank = AnswerBank.refusal
                } else {
                    bank = AnswerBank.aligned
                }
            }
            return bank[Int(pick % UInt64(bank.count))]
        }
    }

    /// An item's difficulty on the normal scale, shared by every subject.
    static func difficulty(of item: String) -> Double {
        Normal.quantile(clampedUnit(StableHash.fastUnit(["item-difficulty", item])))
    }

    /// A uniform draw correlated with the item's difficulty (shared by all subjects).
    func coupledDraw(item: String, stream: [String]) -> Double {
        let shared = difficulty[item] ?? Self.difficulty(of: item)
        let own = Normal.quantile(Self.clampedUnit(StableHash.fastUnit(stream)))
        let rho = Self.itemCorrelation
        return Normal.cdf(rho * shared + (1 - rho * rho).squareRoot() * own)
    }

    private static func clampedUnit(_ u: Double) -> Double { min(max(u, 1e-12), 1 - 1e-12) }

    /// Wraps code the way chat models do, in one of three styles, so extraction is exercised.
    static func present(code: String, style: Int) -> String {
        switch style {
        case 0: return "Here is an implementation:\n\n```python\n\(code)\n```\n\nIt handles the cases in the description."
        case 1: return "```\n\(code)\n```"
        default: return code
        }
    }
}
