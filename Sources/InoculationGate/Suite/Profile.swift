import Foundation

/// A named way of running suites somewhere else — a local server, a cluster
/// endpoint — without editing them: replacement providers for subjects (by name,
/// or `"*"` for every subject not named) and a replacement judge.
///
/// Profiles live in `profiles.yaml` beside the suites:
///
/// ```yaml
/// profiles:
///   local:
///     about: llama.cpp or vLLM on this machine
///     subjects:
///       "*": {provider: openai, base_url: http://127.0.0.1:8000/v1, model: "{subject}"}
///     judge: {base_url: http://127.0.0.1:8001/v1, model: judge}
/// ```
///
/// `{subject}` in a model name becomes the subject's name, so LoRA adapters
/// served by one vLLM server under the subjects' names need a single line.
package struct Profile {
    package var name: String
    package var about: String
    var subjects: [String: YAMLReader]
    var everySubject: YAMLReader?
    var judge: YAMLReader?

    static let keys = ["about", "subjects", "judge"]

    /// The profile `name` from the profiles file at `path`.
    package static func load(name: String, path: String) throws(SuiteError) -> Profile {
        let text = try SuiteLoader.readText(
            path, what: "the profiles file (profile '\(name)' was asked for)", at: SourceLocation(file: path, line: 1, column: 1))
        let root = try YAMLReader.parse(text, file: path)
        let profiles = try root.fields(allowed: ["profiles"], what: "the profiles file").require("profiles")
        let entries = try profiles.entries(what: "'profiles'")
        guard let entry = entries.first(where: { $0.key == name }) else {
            let hint = YAMLReader.nearest(name, in: entries.map(\.key)).map { " — did you mean '\($0)'?" } ?? ""
            throw profiles.error("no profile named '\(name)'; defined profiles: \(entries.map(\.key).joined(separator: ", "))\(hint)")
        }
        let fields = try entry.value.fields(allowed: keys, what: "profile '\(name)'")
        var profile = Profile(name: name, about: try fields.optionalString("about") ?? "", subjects: [:])
        if let subjects = fields["subjects"] {
            for (subject, value) in try subjects.entries(what: "'subjects' of profile '\(name)'") {
                if subject == "*" { profile.everySubject = value } else { profile.subjects[subject] = value }
            }
        }
        profile.judge = fields["judge"]
        return profile
    }

    /// Where a subject's provider comes from under this profile, if it is replaced.
    func provider(for subject: String) -> YAMLReader? { subjects[subject] ?? everySubject }

    /// Subjects the profile names that the suite does not have but nearly does
    /// (likely typos). Other unknown names are subjects of other suites.
    func misspelledSubjects(in suite: [String]) -> [(name: String, nearest: String, reader: YAMLReader)] {
        subjects.keys.sorted().compactMap { name in
            guard !suite.contains(name), let nearest = YAMLReader.nearest(name, in: suite) else { return nil }
            return (name, nearest, subjects[name]!)
        }
    }
}
