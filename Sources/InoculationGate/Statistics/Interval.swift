/// A closed interval with the confidence level it was built for.
package struct Interval: Sendable, Hashable, Codable, CustomStringConvertible {
    package var lower: Double
    package var upper: Double
    package var confidence: Double

    package init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    package var width: Double { upper - lower }
    package func contains(_ x: Double) -> Bool { x >= lower && x <= upper }

    package var description: String { "[\(Format.number(lower)), \(Format.number(upper))]" }
}
