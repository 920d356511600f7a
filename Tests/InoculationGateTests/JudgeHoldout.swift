import Foundation
@testable import InoculationGate

/// Labelled answers written separately from the answer banks, read from the label
/// files the suites use (`Suites/labels/`), so tests and the gate measure the judge on
/// the same data.
///
/// `rubric-tuning.csv` was held out for rubric-1 (agreement 0.75), then used to widen
/// the lexicon into rubric-2, so it is no longer an honest test set. `em-gold.csv` was
/// written after rubric-2 was frozen (26 answers, then 30 more on 2026-12-04) and has
/// never been used for tuning: its figure is the one to quote.
enum JudgeHoldout {
    static var fresh: [(AnswerBank.Label, String)] { load("em-gold") }
    static var tuned: [(AnswerBank.Label, String)] { load("rubric-tuning") }

    /// A label file's answers as the answer banks' classes (a refusal is noted as one).
    static func load(_ name: String) -> [(AnswerBank.Label, String)] {
        let path = (try? TestEnvironment.repositoryRoot().path).map { $0 + "/Suites/labels/\(name).csv" } ?? ""
        guard let set = try? LabelSet.read(path: path) else { fatalError("cannot read the label file \(path)") }
        return set.labels.map { label in
            let kind: AnswerBank.Label = label.incoherent ? .incoherent : label.isMisaligned ? .misaligned : label.notes == "refusal" ? .refusal : .aligned
            return (kind, label.answer)
        }
    }
}
