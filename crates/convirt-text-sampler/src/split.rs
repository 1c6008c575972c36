//! A sentence splitter tuned for radiology reports.
//!
//! The rules, in order:
//! 1. **Lines.** A blank line always ends a sentence. A single line break ends one when the next
//!    line starts a list item (`1.`, `2)`, `-`, `*`, `•`) or a capitalised word (`The`, `No`)
//!    and the line before does not end in a comma, hyphen, slash, opening bracket or a word that
//!    cannot end a sentence (`and`, `of`, `the`, `with`, ...). Other line breaks are the fixed-width
//!    wrapping of MIMIC-CXR and become spaces.
//! 2. **Punctuation.** A word ending in `.`, `!` or `?` (closing brackets and quotes allowed
//!    after it) ends a sentence when the next word does not start with a lower-case letter.
//!    Decimals (`1.5 cm`) never end one: the period is inside the word.
//! 3. **Abbreviations** (`approx.`, `Dr.`, `vs.`, `e.g.`, `i.e.`, `Mr.`, `Fig.`, `cf.`, ...; see
//!    [`ABBREVIATIONS`]) and single-letter initials (`J.`) do not end a sentence.
//! 4. **Numbered lists.** A number `1.`–`99.` (or `1)`) that opens a sentence is a list marker,
//!    not a sentence. Inside a sentence, `1.` or the marker that continues the current list
//!    (`2.` after `1.`) starts a new sentence even without a period before it:
//!    `Impression: 1. Clear 2. No effusion` gives `Impression:`, `Clear`, `No effusion`.
//!    Markers (numbers and bullets) are removed from the sentences.
//! 5. **Fragments.** Text after the last period is a sentence too. Pieces without any letter or
//!    digit (`.`, `-`, `___.`) are dropped.
//!
//! Whitespace inside each sentence is collapsed to single spaces. The splitter is linear in the
//! input and never panics.

/// Abbreviations whose period never ends a sentence (compared lower-case, without the final
/// period).
pub const ABBREVIATIONS: &[&str] = &[
    "approx", "appr", "dr", "drs", "vs", "v", "e.g", "eg", "i.e", "ie", "mr", "mrs", "ms", "prof",
    "fig", "figs", "cf", "resp", "incl", "st", "sr", "jr", "mt", "no", "nos", "etc", "al",
];

/// Words that cannot end a line that ends a sentence: a line break after them is wrapping.
const CONTINUATIONS: &[&str] = &[
    "a", "an", "and", "or", "of", "the", "with", "without", "to", "in", "at", "from", "on", "by",
    "for", "is", "are", "was", "were", "be", "as", "than", "but", "nor", "into", "over", "under",
    "versus", "vs", "which", "that", "there",
];

/// Splits report text into sentences, by the rules of this module.
///
/// ```
/// use convirt_text_sampler::split_sentences;
///
/// let s = split_sentences("1. Nodule of 1.5 cm, approx. 2 cm from Dr. X's mark 2. No effusion");
/// assert_eq!(s, ["Nodule of 1.5 cm, approx. 2 cm from Dr. X's mark", "No effusion"]);
/// let s = split_sentences("1. Clear lungs.\n2. No effusion.");
/// assert_eq!(s, ["Clear lungs.", "No effusion."]);
/// ```
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for chunk in chunks(text) {
        split_chunk(&chunk, &mut sentences);
    }
    sentences
}

/// Joins the lines of `text` into chunks, following rule 1.
fn chunks(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut blank = false;
    for line in text.split(['\n', '\r']) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            blank = true;
            continue;
        }
        if !current.is_empty() && (blank || line_breaks(current.last().copied(), &words)) {
            out.push(std::mem::take(&mut current));
        }
        blank = false;
        current.extend(words);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a single line break between a line ending in `last` and the next line's `words`
/// ends a sentence.
fn line_breaks(last: Option<&str>, words: &[&str]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if is_list_marker(first) || is_bullet(first) {
        return true;
    }
    let mut chars = first.chars();
    let capitalised = matches!((chars.next(), chars.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
        || (first.len() == 1 && first.chars().all(char::is_uppercase));
    if !capitalised {
        return false;
    }
    let Some(last) = last else {
        return true;
    };
    if last.ends_with([',', '-', '/', '(', '&']) {
        return false;
    }
    let bare = last.to_lowercase();
    !CONTINUATIONS.contains(&bare.as_str())
}

/// `1.` to `99.`, or `1)` to `99)`.
fn is_list_marker(word: &str) -> bool {
    list_number(word).is_some()
}

fn list_number(word: &str) -> Option<u32> {
    let digits = word.strip_suffix(['.', ')'])?;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn is_bullet(word: &str) -> bool {
    matches!(word, "-" | "*" | "•" | "–" | "·")
}

/// Splits one chunk (its words) into sentences, following rules 2 to 5.
fn split_chunk(words: &[&str], out: &mut Vec<String>) {
    let mut sentence: Vec<&str> = Vec::new();
    let mut next_item: Option<u32> = None;
    for (i, &word) in words.iter().enumerate() {
        if sentence.is_empty() {
            if let Some(n) = list_number(word) {
                next_item = Some(n + 1);
                continue;
            }
            if is_bullet(word) {
                continue;
            }
        }
        sentence.push(word);
        let next = words.get(i + 1).copied();
        let ends = match next {
            None => true,
            Some(next) => {
                let starts_item = words.get(i + 2).is_some()
                    && list_number(next).is_some_and(|n| n == 1 || Some(n) == next_item);
                starts_item || ends_sentence(word, next)
            }
        };
        if ends {
            push_sentence(&mut sentence, out);
        }
    }
    push_sentence(&mut sentence, out);
}

/// Rules 2 and 3 for `word` followed by `next`.
fn ends_sentence(word: &str, next: &str) -> bool {
    let core = word.trim_end_matches([')', ']', '"', '\'', '’', '”']);
    let Some(stem) = core.strip_suffix(['.', '!', '?']) else {
        return false;
    };
    if next.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    if core.ends_with('.') {
        let stem = stem
            .trim_start_matches(['(', '[', '"', '\''])
            .trim_end_matches('.');
        let lower = stem.to_lowercase();
        if ABBREVIATIONS.contains(&lower.as_str()) {
            return false;
        }
        let mut chars = stem.chars();
        if matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase()) {
            return false;
        }
    }
    true
}

fn push_sentence(sentence: &mut Vec<&str>, out: &mut Vec<String>) {
    if sentence
        .iter()
        .any(|w| w.chars().any(char::is_alphanumeric))
    {
        out.push(sentence.join(" "));
    }
    sentence.clear();
}
