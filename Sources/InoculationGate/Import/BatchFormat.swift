import Foundation

/// The OpenAI batch file formats, which vLLM's batch runner (`run_batch`) and
/// hosted batch APIs read and write: one JSON object per line.
enum BatchFormat {
    /// A line of the input file.
    struct InputLine: Encodable {
        var custom_id: String
        var method = "POST"
        var url = "/v1/chat/completions"
        var body: ChatCompletion.Request
    }

    /// A line of the output (or error) file.
    struct OutputLine: Decodable {
        struct Response: Decodable {
            var status_code: Int?
            var request_id: String?
        }
        struct Failure: Decodable {
            var code: String?
            var message: String?
        }
        var id: String?
        var custom_id: String?
        var response: Response?
        var error: Failure?
    }

    /// Only the response body, decoded on its own so a body we cannot read is an error of that line.
    struct OutputBody: Decodable {
        struct Response: Decodable { var body: ChatCompletion.Response? }
        var response: Response?
    }

    /// An input line's bytes: sorted keys, so `body` is byte for byte the live request's payload.
    static func encode(_ line: InputLine) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(line)
    }

    /// `suite|subject|condition|probe|item|s3+2` (samples 3 and 4): readable, and unique per
    /// line; `|` and `%` inside names are percent-encoded so the parts never run together.
    static func customID(_ parts: [String]) -> String {
        parts.map { $0.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "|", with: "%7C") }.joined(separator: "|")
    }
}
