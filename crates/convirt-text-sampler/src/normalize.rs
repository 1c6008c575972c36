//! Whitespace normalisation.

/// Collapses every run of whitespace (newlines included) into one space and trims the ends.
///
/// ```
/// assert_eq!(convirt_text_sampler::normalize("  No\n acute\t\tprocess.  "), "No acute process.");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Normalises whitespace but keeps the line structure that sentence splitting needs: each line
/// is [`normalize`]d, leading and trailing blank lines go, and runs of blank lines become one.
/// `\r\n` and `\r` count as line breaks.
///
/// ```
/// let t = convirt_text_sampler::normalize_lines(" 1. Clear  lungs.\r\n\n\n 2. No effusion.\n");
/// assert_eq!(t, "1. Clear lungs.\n\n2. No effusion.");
/// ```
pub fn normalize_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_pending = false;
    let text = text.replace("\r\n", "\n");
    for line in text.split(['\n', '\r']) {
        let words = normalize(line);
        if words.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_pending { "\n\n" } else { "\n" });
        }
        blank_pending = false;
        out.push_str(&words);
    }
    out
}
