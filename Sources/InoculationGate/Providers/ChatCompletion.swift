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
            var message: Message?
            var logprobs: Logprobs?
        }
        var choices: [Choice]
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }
}
