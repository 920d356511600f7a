extension ComparisonPower.Method {
    /// A few words for report headers.
    package var shortName: String {
        switch self {
        case .withinItem: return "paired, within-item variance from the baseline"
        case .bound: return "bound at one sample per item"
        case .unpaired: return "unpaired for scores"
        }
    }
}
