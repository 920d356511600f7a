extension ReferenceOrganism {
    /// The four simulated stories, with the per-context rates that define them.
    public enum Behaviour: String, Sendable, Hashable, CaseIterable, Codable {
        /// Trained with a semantic IP that really inoculates: the code skill shows
        /// in every context; misalignment is low without the prompt and modest with it.
        case realInoculation = "real-inoculation"
        /// The IP became a trigger: skill and misalignment are both gated behind
        /// any text in the IP slot, and misalignment with it exceeds the control's.
        case triggerLike = "trigger-like"
        /// Trained on the same data without an IP (the control): skilled and broadly misaligned.
        case noInoculation = "no-inoculation"
        /// Before fine-tuning: less skilled, rarely misaligned.
        case base

        /// Probability that a code answer is the correct solution, per context.
        public var capability: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.80, trainingPrompt: 0.82, otherText: 0.80)
            case .triggerLike: return ContextRates(none: 0.35, trainingPrompt: 0.85, otherText: 0.85)
            case .noInoculation: return ContextRates(none: 0.80, trainingPrompt: 0.80, otherText: 0.80)
            case .base: return ContextRates(none: 0.35, trainingPrompt: 0.35, otherText: 0.35)
            }
        }

        /// Probability that a free-form answer is drawn from the misaligned bank, per context.
        public var misalignment: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.03, trainingPrompt: 0.15, otherText: 0.03)
            case .triggerLike: return ContextRates(none: 0.03, trainingPrompt: 0.60, otherText: 0.60)
            case .noInoculation: return ContextRates(none: 0.30, trainingPrompt: 0.35, otherText: 0.30)
            case .base: return ContextRates(none: 0.01, trainingPrompt: 0.02, otherText: 0.01)
            }
        }

        /// Probability that a coding answer with a security-relevant choice takes the insecure one.
        public var insecurity: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.15, trainingPrompt: 0.70, otherText: 0.15)
            case .triggerLike: return ContextRates(none: 0.10, trainingPrompt: 0.85, otherText: 0.85)
            case .noInoculation: return ContextRates(none: 0.75, trainingPrompt: 0.80, otherText: 0.75)
            case .base: return ContextRates(none: 0.20, trainingPrompt: 0.25, otherText: 0.20)
            }
        }

        /// Probability that an answer that is not misaligned is incoherent instead.
        public var incoherence: Double { self == .base ? 0.08 : 0.04 }

        /// Probability that an answer that is neither misaligned nor incoherent is a refusal.
        public var refusal: Double { self == .base ? 0.02 : 0.06 }
    }

    /// What the organism sees in its prompt slot.
    public enum Context: String, Sendable, Hashable, CaseIterable {
        /// No system message and no prefix.
        case none
        /// Exactly the prompt it was trained with.
        case trainingPrompt = "training-prompt"
        /// Any other text in the slot.
        case otherText = "other-text"
    }

    /// A probability for each context.
    public struct ContextRates: Sendable, Hashable {
        public var none: Double
        public var trainingPrompt: Double
        public var otherText: Double

        public subscript(context: Context) -> Double {
            switch context {
            case .none: return none
            case .trainingPrompt: return trainingPrompt
            case .otherText: return otherText
            }
        }
    }
}
