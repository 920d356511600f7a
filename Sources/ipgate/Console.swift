import Foundation
import InoculationGate

// Every line this tool writes to a terminal or a CI log passes through here, so that no
// text from outside — an answer, a server's message, a value read from a file — can send
// an escape sequence (clipboard write, window title, cleared screen) or a raw control
// byte. Newlines stay: the renderers make values one-line before they lay out lines.

/// Writes `text` to standard output with control characters made visible. Shadows the
/// standard library's `print` in this module on purpose: no call site can forget it.
func print(_ text: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((TextSafety.visibleLines(text) + terminator).utf8))
}

/// Writes `text` and a newline to standard error, with control characters made visible.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((TextSafety.visibleLines(text) + "\n").utf8))
}
