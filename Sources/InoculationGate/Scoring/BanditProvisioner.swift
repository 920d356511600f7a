import Foundation

/// Finds the pinned Bandit, installing it on first use.
///
/// Bandit's version is part of every security baseline's fingerprint, so the gate
/// pins one (``pinnedVersion``) and does not depend on what happens to be
/// installed: the interpreter's own Bandit is used when it is that version;
/// otherwise a private virtual environment under the user's cache
/// (`~/.cache/ipgate/bandit-<version>`, or `IPGATE_CACHE`) gets it from the
/// package index once — one line says so, the way pre-commit provisions its hooks.
/// Offline, the scorer falls back to the built-in rules with a fingerprint that
/// says so (`vuln-1+rules-only`) and a message saying why and what to do.
/// `IPGATE_BANDIT=off` chooses rules only on purpose.
package struct BanditProvisioner: Sendable {
    /// The Bandit every baseline in this repository was taken with.
    package static let pinnedVersion = "1.9.4"

    /// Where Bandit runs from, or why it does not.
    package enum Resolution: Sendable, Hashable {
        /// `python -m bandit` works with this interpreter.
        case bandit(python: String, version: String)
        /// The built-in rules only, and why (nil when chosen with `IPGATE_BANDIT=off`).
        case rulesOnly(reason: String?)
    }

    /// The interpreter code probes use (its own Bandit is used when it is the pinned one).
    package let python: String
    package let environment: GateEnvironment
    /// Where the one line about installing (or failing to) goes.
    package let say: @Sendable (String) -> Void

    package init(python: String, environment: GateEnvironment, say: @escaping @Sendable (String) -> Void) {
        self.python = python
        self.environment = environment
        self.say = say
    }

    /// The private environment's folder: `IPGATE_CACHE`, `XDG_CACHE_HOME/ipgate` or `~/.cache/ipgate`, then `bandit-<version>`.
    package var environmentFolder: String {
        let cache = environment["IPGATE_CACHE"]
            ?? environment["XDG_CACHE_HOME"].map { $0 + "/ipgate" }
            ?? (environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/ipgate"
        return cache + "/bandit-" + Self.pinnedVersion
    }

    package func resolve() async -> Resolution {
        if let setting = environment["IPGATE_BANDIT"]?.lowercased(), ["off", "0", "false", "rules-only"].contains(setting) {
            return .rulesOnly(reason: nil)
        }
        let own = await Self.version(of: python)
        if own == Self.pinnedVersion { return .bandit(python: python, version: own!) }
        let privatePython = environmentFolder + "/bin/python"
        if await Self.version(of: privatePython) == Self.pinnedVersion {
            return .bandit(python: privatePython, version: Self.pinnedVersion)
        }
        return await install(replacing: own)
    }

    /// Installs the pinned Bandit into the private environment, one process at a time.
    private func install(replacing other: String?) async -> Resolution {
        let folder = environmentFolder
        let parent = (folder as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            return failed("cannot create \(parent): \(error.localizedDescription)")
        }
        // Another run may be installing right now: wait for its lock, then look again.
        let lock = open(folder + ".lock", O_CREAT | O_RDWR, 0o644)
        guard lock >= 0 else { return failed("cannot create \(folder).lock") }
        defer { close(lock) }
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        defer { flock(lock, LOCK_UN) }
        if await Self.version(of: folder + "/bin/python") == Self.pinnedVersion {
            return .bandit(python: folder + "/bin/python", version: Self.pinnedVersion)
        }
        let found = other.map { "found Bandit \($0) for \(python), but " } ?? ""
        say("\(found)the vulnerability scorer pins Bandit \(Self.pinnedVersion) (its version is part of the baselines' fingerprint): installing it into \(folder) — once per machine")
        let staging = folder + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        var childEnvironment = environment.variables
        childEnvironment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        childEnvironment.removeValue(forKey: "PYTHONPATH")
        do {
            let venv = try await HelperProcess.run(python, ["-m", "venv", staging], environment: childEnvironment)
            guard venv.succeeded else {
                return failed("`\(python) -m venv` failed (\(Self.lastLine(venv.stderr))); on Debian or Ubuntu install python3-venv")
            }
            let pip = try await HelperProcess.run(
                staging + "/bin/python", ["-m", "pip", "install", "--quiet", "bandit==\(Self.pinnedVersion)"], environment: childEnvironment)
            guard pip.succeeded else {
                try? FileManager.default.removeItem(atPath: staging)
                return failed("pip could not install bandit==\(Self.pinnedVersion) (\(Self.lastLine(pip.stderr)))")
            }
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.moveItem(atPath: staging, toPath: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            return failed("\(error)")
        }
        // A virtual environment's interpreter records its own path, so it is checked where it now lives.
        guard await Self.version(of: folder + "/bin/python") == Self.pinnedVersion else {
            return failed("the environment at \(folder) does not import bandit \(Self.pinnedVersion) after installing")
        }
        return .bandit(python: folder + "/bin/python", version: Self.pinnedVersion)
    }

    private func failed(_ why: String) -> Resolution {
        let reason = "could not provide Bandit \(Self.pinnedVersion): \(why). Vulnerability probes are scored by the built-in rules only "
            + "(fingerprint \(VulnerabilityScorer.versionString(bandit: nil))), which no baseline taken with Bandit is compared with. "
            + "To fix: run again with the package index reachable (pip's own settings, e.g. PIP_INDEX_URL, apply), "
            + "or install bandit==\(Self.pinnedVersion) for \(python) (IPGATE_PYTHON picks the interpreter); "
            + "IPGATE_BANDIT=off chooses rules only on purpose"
        say(reason)
        return .rulesOnly(reason: reason)
    }

    /// Bandit's version as `python` imports it, or nil.
    static func version(of python: String) async -> String? {
        guard FileManager.default.isExecutableFile(atPath: python),
              let output = try? await HelperProcess.run(python, ["-c", "import bandit; print(bandit.__version__)"]),
              output.succeeded else { return nil }
        let text = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static func lastLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "no output"
    }
}
