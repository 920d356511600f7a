/// Names one measured number: suite › subject › condition › measure.
public struct MeasureKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var suite: String
    public var subject: String
    public var condition: String
    public var measure: String

    public init(suite: String, subject: String, condition: String, measure: String) {
        self.suite = suite
        self.subject = subject
        self.condition = condition
        self.measure = measure
    }

    public var description: String { "\(suite) › \(subject) › \(condition) › \(measure)" }

    public static func < (lhs: MeasureKey, rhs: MeasureKey) -> Bool {
        (lhs.suite, lhs.subject, lhs.condition, lhs.measure) < (rhs.suite, rhs.subject, rhs.condition, rhs.measure)
    }
}
