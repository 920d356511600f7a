import Foundation

/// Number formatting shared by every report, fixed-precision so that reports
/// are stable across runs and platforms.
package enum Format {
    /// A rate or difference with three decimals; `—` for a missing value.
    package static func number(_ value: Double?, decimals: Int = 3) -> String {
        guard let value else { return "—" }
        guard value.isFinite else { return value.isNaN ? "undefined" : (value > 0 ? "∞" : "−∞") }
        return String(format: "%.\(decimals)f", value)
    }

    /// A signed difference: `+0.120` / `-0.050`.
    package static func signed(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return number(value, decimals: decimals) }
        let text = String(format: "%.\(decimals)f", abs(value))
        return (value < 0 ? "-" : "+") + text
    }

    /// A p-value: three significant decimals, `<0.001` below that.
    package static func pValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return number(value) }
        return value < 0.001 ? "<0.001" : String(format: "%.3f", value)
    }

    package static func interval(_ interval: Interval?) -> String {
        guard let interval else { return "—" }
        return "[\(number(interval.lower)), \(number(interval.upper))]"
    }
}
