import Foundation

/// Minimum detectable effects and the sample sizes that would reach them.
///
/// For a test at two-sided level α with power 1−β and standard error SE, the
/// smallest true effect detected with that power is `(z₁₋α/₂ + z₁₋β)·SE`.
/// SE shrinks as `1/√n`, so reaching an effect `δ` needs about
/// `n·(MDE/δ)²` items.
package enum Power {
    package static func minimumDetectableEffect(standardError: Double, alpha: Double = 0.05, power: Double = 0.8) -> Double {
        (Normal.criticalValue(alpha: alpha) + Normal.quantile(power)) * standardError
    }

    /// The unrounded `n·(MDE/δ)²`, for comparison with other tools.
    package static func exactItemsNeeded(currentItems: Int, currentEffect: Double, targetEffect: Double) -> Double? {
        guard targetEffect > 0, currentEffect.isFinite, currentEffect > 0, currentItems > 0 else { return nil }
        return Double(currentItems) * pow(currentEffect / targetEffect, 2)
    }

    /// Items needed for the minimum detectable effect to reach `effect`, given
    /// the current `items` and minimum detectable effect; nil when not computable.
    package static func itemsNeeded(currentItems: Int, currentEffect: Double, targetEffect: Double) -> Int? {
        exactItemsNeeded(currentItems: currentItems, currentEffect: currentEffect, targetEffect: targetEffect)
            .map { Int(($0 - 1e-9).rounded(.up)) }
    }
}
