/// A closed interval with the confidence level it was built for.
public struct Interval: Sendable, Hashable, Codable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var confidence: Double

    public init(lower: Double, upper: Double, confidence: Double) {
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }

    public var width: Double { upper - lower }
    public func contains(_ x: Double) -> Bool { x >= lower && x <= upper }

    public var description: String { "[\(Format.number(lower)), \(Format.number(upper))]" }
}
