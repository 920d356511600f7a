/// One subject under one condition on one probe set: the cell that samples are
/// grouped by before they become a measure.
package struct Slot: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    package var subject: String
    package var condition: String
    package var probe: String

    package init(subject: String, condition: String, probe: String) {
        self.subject = subject
        self.condition = condition
        self.probe = probe
    }

    package var description: String { "\(subject) › \(condition) › \(probe)" }

    package static func < (lhs: Slot, rhs: Slot) -> Bool {
        (lhs.subject, lhs.condition, lhs.probe) < (rhs.subject, rhs.condition, rhs.probe)
    }
}

/// One item of one slot: what a baseline comparison pairs on.
package struct SlotItem: Sendable, Hashable {
    package var slot: Slot
    package var itemID: String

    package init(slot: Slot, itemID: String) {
        self.slot = slot
        self.itemID = itemID
    }
}

extension SampleRecord {
    /// The slot this sample belongs to.
    package var slot: Slot { Slot(subject: subject, condition: condition, probe: probe) }
}

extension GenerationRequest {
    /// The slot this request fills.
    package var slot: Slot { Slot(subject: subject, condition: condition.name, probe: probe) }
}
