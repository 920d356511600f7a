/// The OpenAI chat-completions wire format, as far as we use it.
enum ChatCompletion {
    struct Request: Encodable {
        var model: String
        var messages: [ChatMessage]
        var temperature: Double
        var max_tokens: Int
        var seed: Int?
        var n: Int?
        var top_p: Double?
        var stop: [String]?
        var logprobs: Bool?
        var top_logprobs: Int?
    }

    struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            struct Logprobs: Decodable {
                struct Token: Decodable {
                    struct Alternative: Decodable {
                        var token: String
                        var logprob: Double
                    }
                    var token: String
                    var logprob: Double
                    var top_logprobs: [Alternative]?
                }
                var content: [Token]?
            }
            var index: Int?
            var message: Message?
            var logprobs: Logprobs?
        }
        /// Optional entries: a server (or a batch file) may put `null` where a choice failed.
        var choices: [Choice?]

        /// The text of sample k at position k, for the first `n` samples: placed by each
        /// choice's `index` where the server gives one (servers may send choices in any
        /// order), else by position; nil where a choice is missing or has no content.
        /// A choice without content leaves a gap — the samples after it are not moved up.
        func contents(n: Int) -> [String?] {
            var placed = [String?](repeating: nil, count: n)
            for (position, choice) in choices.enumerated() {
                guard let choice else { continue }
                let k = choice.index ?? position
                guard k >= 0, k < n, placed[k] == nil else { continue }
                placed[k] = choice.message?.content
            }
            return placed
        }
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }
}
