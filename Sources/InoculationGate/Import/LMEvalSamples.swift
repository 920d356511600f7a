/// lm-evaluation-harness `--log_samples` files: one JSON object per document
/// (`doc_id`, `doc`, `arguments`, `resps`, `filtered_resps`, and the task's metric
/// fields), every response to it in `resps`. Read as one record per response.
enum LMEvalSamples {
    /// The records of one sample line: `model`, `doc_id`, `sample` (the response's
    /// index), `response`, `prompt`, the document's scalar fields as `doc.<name>`,
    /// and the line's other scalar fields (the metrics) under their own names.
    static func records(_ object: [String: Any], model: String) -> [[String: Any]] {
        var common: [String: Any] = ["model": model]
        for (key, value) in object where !["doc", "arguments", "resps", "filtered_resps"].contains(key) && isScalar(value) {
            common[key] = value
        }
        if let docID = object["doc_id"] { common["doc_id"] = RecordedDataReader.text(docID) ?? "" }
        if let doc = object["doc"] as? [String: Any] {
            for (key, value) in doc where isScalar(value) { common["doc." + key] = value }
        }
        if let prompt = prompt(object["arguments"]) { common["prompt"] = prompt }
        if let settings = generation(object["arguments"]) { common[RecordSource.generationColumn] = settings }
        // `resps` holds one list per request of the document; generation tasks have one, with every repeat in it.
        let responses = (object["resps"] as? [Any] ?? []).flatMap { entry -> [String] in
            if let list = entry as? [Any] { return list.compactMap { $0 as? String } }
            return (entry as? String).map { [$0] } ?? []
        }
        return responses.enumerated().map { index, response in
            var record = common
            record["sample"] = index
            record["response"] = response
            return record
        }
    }

    /// The prompt: `arguments[0][0]` in older files, `arguments.gen_args_0.arg_0` in newer ones.
    static func prompt(_ arguments: Any?) -> String? {
        if let list = arguments as? [Any], let first = list.first as? [Any] { return first.first as? String }
        if let named = arguments as? [String: Any], let first = named["gen_args_0"] as? [String: Any] { return first["arg_0"] as? String }
        return nil
    }

    /// The generation settings of the request (`arguments.gen_args_0.arg_1`, or the second
    /// element of `arguments[0]` in older files): temperature and the token limit, as the
    /// gate's fingerprints say them; nil when the file does not carry them.
    static func generation(_ arguments: Any?) -> String? {
        var settings: [String: Any]?
        if let named = arguments as? [String: Any], let first = named["gen_args_0"] as? [String: Any] { settings = first["arg_1"] as? [String: Any] }
        if let list = arguments as? [Any], let first = list.first as? [Any], first.count > 1 { settings = first[1] as? [String: Any] }
        guard let settings else { return nil }
        let parts = [("temperature", "temperature"), ("max_gen_toks", "max_tokens"), ("top_p", "top_p")].compactMap { key, name in
            settings[key].flatMap { RecordedDataReader.text($0) }.map { "\(name) \($0)" }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func isScalar(_ value: Any) -> Bool { value is String || value is Bool || value is Int || value is Double }
}
