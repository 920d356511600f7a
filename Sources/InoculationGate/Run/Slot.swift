/// One subject under one condition on one probe set: the cell that samples are
/// grouped by before they become a measure.
public struct Slot: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var subject: String
    public var condition: String
    public var probe: String

    public init(subject: String, condition: String, probe: String) {
        self.subject = subject
        self.condition = condition
        self.probe = probe
    }

    public var description: String { "\(subject) › \(condition) › \(probe)" }

    public static func < (lhs: Slot, rhs: Slot) -> Bool {
        (lhs.subject, lhs.condition, lhs.probe) < (rhs.subject, rhs.condition, rhs.probe)
    }
}

/// One item of one slot: what a baseline comparison pairs on.
public struct SlotItem: Sendable, Hashable {
    public var slot: Slot
    public var itemID: String

    public init(slot: Slot, itemID: String) {
        self.slot = slot
        self.itemID = itemID
    }
}

extension SampleRecord {
    /// The slot this sample belongs to.
    public var slot: Slot { Slot(subject: subject, condition: condition, probe: probe) }
}

extension GenerationRequest {
    /// The slot this request fills.
    public var slot: Slot { Slot(subject: subject, condition: condition.name, probe: probe) }
}
