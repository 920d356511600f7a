/// Adjusting p-values for the many comparisons one run makes.
package enum MultipleTesting {
    package enum Method: String, Sendable, Hashable, CaseIterable, Codable {
        /// Holm (1979) step-down: controls the family-wise error rate.
        case holm
        /// Benjamini & Hochberg (1995) step-up: controls the false discovery rate.
        case benjaminiHochberg = "bh"
    }

    /// Adjusted p-values, in the order given.
    package static func adjust(_ pValues: [Double], method: Method) -> [Double] {
        switch method {
        case .holm: return holm(pValues)
        case .benjaminiHochberg: return benjaminiHochberg(pValues)
        }
    }

    /// Holm: the i-th smallest p (1-based) becomes `max over j ≤ i of (m − j + 1)·p₍ⱼ₎`, capped at 1.
    package static func holm(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    /// Benjamini–Hochberg: the i-th smallest p becomes `min over j ≥ i of m·p₍ⱼ₎/j`, capped at 1.
    package static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, Double(m) * pValues[index] / Double(rank + 1))
            adjusted[index] = min(1, running)
        }
        return adjusted
    }
}
