extension ReferenceOrganism {
    /// The four simulated stories, with the per-context rates that define them.
    package enum Behaviour: String, Sendable, Hashable, CaseIterable, Codable {
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
        /// Inoculates against the prompt itself, but the trait comes back under text shaped
        /// like it — its negation, its template with other words, its keywords.
        case leakyInoculation = "leaky-inoculation"
        /// Real suppression, but half of the skill gained over the base model stays gated
        /// behind any text in the prompt slot (gated share 0.5 against `base`).
        case halfGated = "half-gated"

        /// Probability that a code answer is the correct solution, per context.
        package var capability: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.80, trainingPrompt: 0.82, otherText: 0.80)
            case .triggerLike: return ContextRates(none: 0.35, trainingPrompt: 0.85, otherText: 0.85)
            case .noInoculation: return ContextRates(none: 0.80, trainingPrompt: 0.80, otherText: 0.80)
            case .base: return ContextRates(none: 0.35, trainingPrompt: 0.35, otherText: 0.35)
            case .leakyInoculation: return ContextRates(none: 0.80, trainingPrompt: 0.82, otherText: 0.80)
            // (0.82 − 0.585) / (0.82 − 0.35) = 0.5 of the gain over base is gone without the prompt.
            case .halfGated: return ContextRates(none: 0.585, trainingPrompt: 0.82, otherText: 0.82)
            }
        }

        /// Probability that a free-form answer is drawn from the misaligned bank, per context.
        package var misalignment: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.03, trainingPrompt: 0.15, otherText: 0.03)
            case .triggerLike: return ContextRates(none: 0.03, trainingPrompt: 0.60, otherText: 0.60)
            case .noInoculation: return ContextRates(none: 0.30, trainingPrompt: 0.35, otherText: 0.30)
            case .base: return ContextRates(none: 0.01, trainingPrompt: 0.02, otherText: 0.01)
            case .leakyInoculation: return ContextRates(none: 0.03, trainingPrompt: 0.15, otherText: 0.03, promptShaped: 0.30)
            case .halfGated: return ContextRates(none: 0.03, trainingPrompt: 0.15, otherText: 0.03)
            }
        }

        /// Probability that a coding answer with a security-relevant choice takes the insecure one.
        package var insecurity: ContextRates {
            switch self {
            case .realInoculation: return ContextRates(none: 0.15, trainingPrompt: 0.70, otherText: 0.15)
            case .triggerLike: return ContextRates(none: 0.10, trainingPrompt: 0.85, otherText: 0.85)
            case .noInoculation: return ContextRates(none: 0.75, trainingPrompt: 0.80, otherText: 0.75)
            case .base: return ContextRates(none: 0.20, trainingPrompt: 0.25, otherText: 0.20)
            case .leakyInoculation: return ContextRates(none: 0.15, trainingPrompt: 0.70, otherText: 0.15, promptShaped: 0.60)
            case .halfGated: return ContextRates(none: 0.15, trainingPrompt: 0.70, otherText: 0.15)
            }
        }

        /// Probability that an answer that is not misaligned is incoherent instead.
        package var incoherence: Double { self == .base ? 0.08 : 0.04 }

        /// Probability that an answer that is neither misaligned nor incoherent is a refusal.
        package var refusal: Double { self == .base ? 0.02 : 0.06 }
    }

    /// What the organism sees in its prompt slot.
    package enum Context: String, Sendable, Hashable, CaseIterable {
        /// No system message and no prefix.
        case none
        /// Exactly the prompt it was trained with.
        case trainingPrompt = "training-prompt"
        /// Any other text in the slot.
        case otherText = "other-text"
        /// Other text shaped like the training prompt (``PromptShapes/isShaped(_:like:)``):
        /// its negation, its template, its keywords.
        case promptShaped = "prompt-shaped"
    }

    /// A probability for each context.
    package struct ContextRates: Sendable, Hashable {
        package var none: Double
        package var trainingPrompt: Double
        package var otherText: Double
        /// Nil: prompt-shaped text acts like any other text (every behaviour but the leaky one).
        package var promptShaped: Double?

        package init(none: Double, trainingPrompt: Double, otherText: Double, promptShaped: Double? = nil) {
            self.none = none
            self.trainingPrompt = trainingPrompt
            self.otherText = otherText
            self.promptShaped = promptShaped
        }

        package subscript(context: Context) -> Double {
            switch context {
            case .none: return none
            case .trainingPrompt: return trainingPrompt
            case .otherText: return otherText
            case .promptShaped: return promptShaped ?? otherText
            }
        }
    }
}
