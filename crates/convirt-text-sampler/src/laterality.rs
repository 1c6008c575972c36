//! [`LateralityRules`]: the side swaps of a laterality-aware horizontal flip. When t_v mirrors an
//! image, the patient's left appears where the right was, so the sentence paired with the view
//! must say "right" where it said "left" for the pair to stay true.
//!
//! The rules are a committed table, `data/laterality_rules.csv` ([`RULES_CSV`]), built in with
//! `include_str!`. Each row is one of:
//!
//! - **swap**: a left-side phrase and its right-side counterpart trade places: left ↔ right,
//!   leftward ↔ rightward, the standalone capitals L ↔ R, levo- ↔ dextro- words (levoscoliosis ↔
//!   dextroscoliosis, levocardia ↔ dextrocardia, ...), LUL ↔ RUL, and the lobes: the lingula is
//!   the left lung's counterpart of the right middle lobe (the left lung has no middle lobe), so
//!   `right middle lobe` ↔ `lingula`, `right middle lobar` ↔ `lingular`; a bare `middle lobe`
//!   (always the right one) ↔ `left lingula` (the side said twice), so that every rule stays its
//!   own inverse.
//! - **keep**: a side word inside the name of a structure that a mirror does not turn into its
//!   counterpart: the chambers (`right atrium`, `left ventricular`), the coronary arteries,
//!   `left-to-right shunt`. Left as written, counted as handled.
//! - **ignore**: a word that only looks like a side word (`bright`, `upright`, `dextrose`).
//!
//! Matching is by whole words (runs of letters and digits, so `leftover`, `bright` and `L1` never
//! match `left`, `right` or `L`), leftmost then longest phrase first, and all swaps happen at
//! once: "left greater than right" becomes "right greater than left". The words of a phrase may
//! be separated by spaces or hyphens in the sentence (`right-sided` is `right` + `-sided`). A
//! lowercase table word matches any case and its replacement takes the case of what it replaces
//! (`Left` → `Right`, `LEFT` → `RIGHT`); a table word with capitals (`L`, `RUL`) matches only as
//! written. The single letters L and R are not swapped next to `/`, `'`, `-`, `&` or before
//! `.x` (`L-spine`, `R/O`, `&lt;`).
//!
//! [`LateralityRules::check`] also reports what it found but could not handle: a word holding
//! `left`, `right` or `lingul`, or starting with `levo`/`dextro`, that no rule covers
//! (`leftmost`), a standalone `L`/`R` it would not swap, `lt`/`rt`/`RML`, and `middle` right
//! after a swapped side word outside a lobe rule ("right middle and right lower lobe" cannot
//! become "left middle": the left lung has none). Those sentences still get every swap the rules
//! make. Of the 22,801 sentences of the 3,955 IU X-ray reports, 2,653 mention a side and the table
//! handles 2,651 of them (99.92 %; `tests/laterality.rs`).
//!
//! ```
//! use convirt_text_sampler::laterality::{LateralityRules, swap_sides};
//!
//! assert_eq!(swap_sides("Left worse than right.")?, "Right worse than left.");
//! assert_eq!(swap_sides("Mild levoscoliosis.")?, "Mild dextroscoliosis.");
//! assert_eq!(swap_sides("Right middle lobe infiltrate.")?, "Lingula infiltrate.");
//! assert_eq!(swap_sides("Leads in the right atrium.")?, "Leads in the right atrium.");
//! let rules = LateralityRules::builtin()?;
//! let found = rules.check("Opacity in the right middle and right lower lobe.");
//! assert_eq!(found.text, "Opacity in the left middle and left lower lobe.");
//! assert_eq!(found.unhandled, ["right middle"]);
//! # Ok::<(), convirt_text_sampler::TextError>(())
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::TextError;

/// The committed rule table (`crates/convirt-text-sampler/data/laterality_rules.csv`).
pub const RULES_CSV: &str = include_str!("../data/laterality_rules.csv");

/// The name [`LateralityRules::builtin`]'s errors give the built-in table.
const BUILTIN_NAME: &str = "crates/convirt-text-sampler/data/laterality_rules.csv";

/// What a row of the table does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// The left-side phrase and the right-side one trade places.
    Swap,
    /// A side word inside a name: left as written, handled.
    Keep,
    /// A word that only looks like a side word: left as written.
    Ignore,
}

/// One word of a phrase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Word {
    /// The word as written in the table (lowercase unless it matches only as written).
    key: String,
    /// Whether it matches only as written (it has capitals in the table).
    exact: bool,
}

/// One phrase the scanner looks for.
#[derive(Debug, Clone)]
struct Rule {
    kind: RuleKind,
    words: Vec<Word>,
    /// For swaps: the counterpart, as written in the table.
    replacement: Option<String>,
    /// Whether the replacement is written with capitals (then it is used as written).
    replacement_exact: bool,
}

/// The parsed table: phrases indexed by their first word, longest first. See the module doc.
#[derive(Debug, Clone)]
pub struct LateralityRules {
    rules: Vec<Rule>,
    by_first: HashMap<String, Vec<usize>>,
}

/// What [`LateralityRules::check`] did to one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideSwap {
    /// The sentence with its sides swapped.
    pub text: String,
    /// Phrases swapped.
    pub swapped: usize,
    /// Side words kept because they are part of a name (`right atrium`).
    pub kept: usize,
    /// Side words found that no rule handles, as written (`"right middle"`, `"R"`).
    pub unhandled: Vec<String>,
}

impl SideSwap {
    /// Whether the sentence mentions a side at all (something swapped, kept or unhandled).
    pub fn mentions_side(&self) -> bool {
        self.swapped > 0 || self.kept > 0 || !self.unhandled.is_empty()
    }

    /// Whether every side word was handled by a rule.
    pub fn fully_handled(&self) -> bool {
        self.unhandled.is_empty()
    }
}

/// The parsed built-in table, or the line and message of its first error.
static BUILTIN: OnceLock<Result<LateralityRules, (u64, String)>> = OnceLock::new();

/// [`LateralityRules::builtin`]`.swap_sides(sentence)`: the sentence as it reads for the
/// mirrored image. Fails only if the built-in table does not parse (tested; it never does).
pub fn swap_sides(sentence: &str) -> Result<String, TextError> {
    Ok(LateralityRules::builtin()?.swap_sides(sentence))
}

impl LateralityRules {
    /// The committed table [`RULES_CSV`], parsed once.
    pub fn builtin() -> Result<&'static LateralityRules, TextError> {
        match BUILTIN.get_or_init(|| Self::parse(RULES_CSV)) {
            Ok(rules) => Ok(rules),
            Err((line, message)) => Err(TextError::Csv {
                file: PathBuf::from(BUILTIN_NAME),
                line: *line,
                message: message.clone(),
            }),
        }
    }

    /// Parses a table in [`RULES_CSV`]'s format (`#` comments, header `kind,left,right,note`).
    /// Errors name `file` and the line: an unknown kind, a swap without both phrases, a keep or
    /// ignore with a second phrase, a word with other characters than letters and digits, or a
    /// phrase that appears twice (each phrase must have one meaning for a swap to be undone).
    pub fn from_csv(text: &str, file: &Path) -> Result<Self, TextError> {
        Self::parse(text).map_err(|(line, message)| TextError::Csv {
            file: file.to_path_buf(),
            line,
            message,
        })
    }

    fn parse(text: &str) -> Result<Self, (u64, String)> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let line_of = |e: &csv::Error| e.position().map_or(0, |p| p.line());
        let headers = reader
            .headers()
            .map_err(|e| (line_of(&e), e.to_string()))?
            .clone();
        if headers.iter().collect::<Vec<_>>() != ["kind", "left", "right", "note"] {
            return Err((
                1,
                format!("header must be kind,left,right,note, got {headers:?}"),
            ));
        }
        let mut rules = Vec::new();
        let mut seen: HashMap<Vec<Word>, u64> = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| (line_of(&e), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let (left, right) = (field(1), field(2));
            let kind = match field(0) {
                "swap" => RuleKind::Swap,
                "keep" => RuleKind::Keep,
                "ignore" => RuleKind::Ignore,
                other => return Err((line, format!("unknown kind {other:?}"))),
            };
            let mut add = |phrase: &str, replacement: Option<&str>| -> Result<(), (u64, String)> {
                let words = phrase_words(phrase).map_err(|m| (line, m))?;
                if let Some(first) = seen.insert(words.clone(), line) {
                    return Err((
                        line,
                        format!("{phrase:?} is already a rule on line {first}"),
                    ));
                }
                rules.push(Rule {
                    kind,
                    words,
                    replacement: replacement.map(str::to_string),
                    replacement_exact: replacement.is_some_and(has_capitals),
                });
                Ok(())
            };
            match kind {
                RuleKind::Swap => {
                    if left.is_empty() || right.is_empty() {
                        return Err((line, "a swap needs a left and a right phrase".into()));
                    }
                    add(left, Some(right))?;
                    add(right, Some(left))?;
                }
                RuleKind::Keep | RuleKind::Ignore => {
                    if left.is_empty() || !right.is_empty() {
                        return Err((line, "keep and ignore take one phrase, in `left`".into()));
                    }
                    add(left, None)?;
                }
            }
        }
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, rule) in rules.iter().enumerate() {
            let first = rule.words[0].key.to_lowercase();
            by_first.entry(first).or_default().push(i);
        }
        for candidates in by_first.values_mut() {
            candidates.sort_by_key(|&i| std::cmp::Reverse(rules[i].words.len()));
        }
        Ok(Self { rules, by_first })
    }

    /// How many rows of each kind: swaps (pairs), keeps, ignores.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |k: RuleKind| self.rules.iter().filter(|r| r.kind == k).count();
        (
            count(RuleKind::Swap) / 2,
            count(RuleKind::Keep),
            count(RuleKind::Ignore),
        )
    }

    /// The sentence as it reads for the mirrored image (see [`LateralityRules::check`]).
    pub fn swap_sides(&self, sentence: &str) -> String {
        self.check(sentence).text
    }

    /// Swaps the sides of `sentence` and reports what was swapped, kept and left unhandled.
    pub fn check(&self, sentence: &str) -> SideSwap {
        let words = word_spans(sentence);
        let mut out = SideSwap {
            text: String::with_capacity(sentence.len() + 8),
            swapped: 0,
            kept: 0,
            unhandled: Vec::new(),
        };
        let mut cursor = 0;
        // The word index just after a plain left/right swap, for the `middle` check.
        let mut after_side: Option<usize> = None;
        let mut i = 0;
        while i < words.len() {
            let (start, end) = words[i];
            let found = self.find(sentence, &words, i);
            out.text.push_str(&sentence[cursor..start]);
            match found {
                Some((r, n)) => {
                    let rule = &self.rules[r];
                    let span_end = words[i + n - 1].1;
                    let original = &sentence[start..span_end];
                    match (&rule.replacement, rule.kind) {
                        (Some(replacement), RuleKind::Swap) => {
                            out.text.push_str(&cased(
                                replacement,
                                original,
                                rule.replacement_exact,
                            ));
                            out.swapped += 1;
                        }
                        (_, kind) => {
                            out.text.push_str(original);
                            out.kept += usize::from(kind == RuleKind::Keep);
                        }
                    }
                    let plain_side =
                        n == 1 && matches!(rule.words[0].key.as_str(), "left" | "right");
                    after_side = plain_side.then_some(i + 1);
                    cursor = span_end;
                    i += n;
                }
                None => {
                    let word = &sentence[start..end];
                    let lower = word.to_lowercase();
                    let before = sentence[..start].chars().next_back();
                    if after_side == Some(i)
                        && lower == "middle"
                        && joined(&sentence[words[i - 1].1..start])
                    {
                        out.unhandled
                            .push(sentence[words[i - 1].0..end].to_string());
                    } else if is_side_marker(word, &lower, before) {
                        out.unhandled.push(word.to_string());
                    }
                    out.text.push_str(word);
                    after_side = None;
                    cursor = end;
                    i += 1;
                }
            }
        }
        out.text.push_str(&sentence[cursor..]);
        out
    }

    /// The longest rule matching at word `i`: its index and how many words it spans.
    fn find(&self, sentence: &str, words: &[(usize, usize)], i: usize) -> Option<(usize, usize)> {
        let (start, end) = words[i];
        let first = sentence[start..end].to_lowercase();
        let candidates = self.by_first.get(&first)?;
        candidates.iter().find_map(|&r| {
            let rule = &self.rules[r];
            let n = rule.words.len();
            if i + n > words.len() {
                return None;
            }
            for (k, want) in rule.words.iter().enumerate() {
                let (s, e) = words[i + k];
                let got = &sentence[s..e];
                let same = if want.exact {
                    got == want.key
                } else {
                    got.to_lowercase() == want.key
                };
                if !same || (k > 0 && !joined(&sentence[words[i + k - 1].1..s])) {
                    return None;
                }
            }
            let single_letter = n == 1 && rule.words[0].key.chars().count() == 1;
            if single_letter && !letter_stands_alone(sentence, start, end) {
                return None;
            }
            Some((r, n))
        })
    }
}

/// A phrase's words; only letters and digits, separated by single spaces.
fn phrase_words(phrase: &str) -> Result<Vec<Word>, String> {
    let words: Vec<Word> = phrase
        .split(' ')
        .map(|w| Word {
            key: w.to_string(),
            exact: has_capitals(w),
        })
        .collect();
    if words
        .iter()
        .any(|w| w.key.is_empty() || !w.key.chars().all(char::is_alphanumeric))
    {
        return Err(format!(
            "{phrase:?}: words are letters and digits separated by single spaces"
        ));
    }
    Ok(words)
}

fn has_capitals(text: &str) -> bool {
    text.chars().any(char::is_uppercase)
}

/// The byte spans of the words (maximal runs of letters and digits) of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (at, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                spans.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Whether the text between two words joins them into one phrase: spaces and hyphens only.
fn joined(between: &str) -> bool {
    !between.is_empty() && between.chars().all(|c| c.is_whitespace() || c == '-')
}

/// Whether the single letter at `start..end` stands alone: not next to `/ ' - &`, and not
/// followed by a period and a letter or digit (an abbreviation such as `R.N.`).
fn letter_stands_alone(sentence: &str, start: usize, end: usize) -> bool {
    let before = sentence[..start].chars().next_back();
    let mut after = sentence[end..].chars();
    let (next, then) = (after.next(), after.next());
    let bad = |c: Option<char>| matches!(c, Some('/' | '\'' | '-' | '&'));
    !(bad(before) || bad(next) || (next == Some('.') && then.is_some_and(char::is_alphanumeric)))
}

/// Whether an unmatched word is a side word no rule handled.
fn is_side_marker(word: &str, lower: &str, before: Option<char>) -> bool {
    let stem = ["left", "right", "lingul"]
        .iter()
        .any(|s| lower.contains(s))
        || lower.starts_with("levo")
        || lower.starts_with("dextro");
    let letter = word == "L" || word == "R";
    let abbreviation = matches!(lower, "lt" | "rt" | "rml" | "lml") && before != Some('&');
    stem || letter || abbreviation
}

/// `replacement` in the case of `original`: all capitals if `original` has two or more letters,
/// all capitals; a capital first letter if `original` starts with one; else as written.
/// Replacements written with capitals in the table are used as written.
fn cased(replacement: &str, original: &str, exact: bool) -> String {
    if exact {
        return replacement.to_string();
    }
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut chars = replacement.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    replacement.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static LateralityRules {
        LateralityRules::builtin().unwrap()
    }

    #[test]
    fn the_builtin_table_parses_with_its_counts() {
        let (swaps, keeps, ignores) = rules().counts();
        assert_eq!((swaps, keeps, ignores), (32, 26, 22));
    }

    #[test]
    fn case_is_preserved() {
        let r = rules();
        assert_eq!(r.swap_sides("left"), "right");
        assert_eq!(r.swap_sides("Left"), "Right");
        assert_eq!(r.swap_sides("LEFT"), "RIGHT");
        assert_eq!(r.swap_sides("RIGHT LOWER LOBE"), "LEFT LOWER LOBE");
        assert_eq!(r.swap_sides("Levoscoliosis."), "Dextroscoliosis.");
        assert_eq!(r.swap_sides("RIGHT MIDDLE LOBE"), "LINGULA");
        assert_eq!(r.swap_sides("Lingular scar."), "Right middle lobar scar.");
    }

    #[test]
    fn swaps_are_simultaneous() {
        let r = rules();
        assert_eq!(
            r.swap_sides("Effusions, left greater than right."),
            "Effusions, right greater than left."
        );
        assert_eq!(
            r.swap_sides("Minimal right-to-left mediastinal shift."),
            "Minimal left-to-right mediastinal shift."
        );
        assert_eq!(
            r.swap_sides("Left-sided pacemaker, right IJ catheter."),
            "Right-sided pacemaker, left IJ catheter."
        );
    }

    #[test]
    fn only_whole_words_match() {
        let r = rules();
        for s in [
            "No leftover contrast.",
            "A bright spot.",
            "Upright film.",
            "Dextrose infusion.",
            "T12-L1 and L1 compression.",
            "Normal L-spine.",
            "R/O pneumonia.",
            "a &lt; b",
        ] {
            let found = r.check(s);
            assert_eq!(found.text, s);
            assert_eq!(found.swapped, 0, "{s}");
        }
        assert!(!r.check("No leftover contrast.").mentions_side());
        assert_eq!(r.check("R/O pneumonia.").unhandled, ["R"]);
        assert!(r.check("Normal L-spine.").fully_handled());
    }

    #[test]
    fn standalone_letters_and_abbreviations_swap() {
        let r = rules();
        assert_eq!(
            r.swap_sides("Effusion (L) and L>R."),
            "Effusion (R) and R>L."
        );
        assert_eq!(r.swap_sides("Nodule in the RUL."), "Nodule in the LUL.");
        // Lowercase l and r are never sides.
        assert_eq!(r.swap_sides("l r"), "l r");
    }

    #[test]
    fn levo_and_dextro_swap() {
        let r = rules();
        assert_eq!(
            r.swap_sides("Thoracic levoscoliosis and lumbar dextroscoliosis."),
            "Thoracic dextroscoliosis and lumbar levoscoliosis."
        );
        assert_eq!(
            r.swap_sides("Dextro-convex scoliotic curvature."),
            "Levo-convex scoliotic curvature."
        );
        assert_eq!(
            r.swap_sides("Mild dextro curvature."),
            "Mild levo curvature."
        );
        assert_eq!(r.swap_sides("Dextroconvex curve."), "Levoconvex curve.");
        assert_eq!(
            r.swap_sides("Possible dextrocardia."),
            "Possible levocardia."
        );
    }

    #[test]
    fn right_middle_lobe_and_lingula_trade_places() {
        let r = rules();
        let cases = [
            ("Right middle lobe infiltrate.", "Lingula infiltrate."),
            (
                "Scarring in the lingula.",
                "Scarring in the right middle lobe.",
            ),
            (
                "Calcified lingular granuloma.",
                "Calcified right middle lobar granuloma.",
            ),
            (
                "Granuloma in the left lingula.",
                "Granuloma in the middle lobe.",
            ),
            (
                "Middle lobe calcified granulomas.",
                "Left lingula calcified granulomas.",
            ),
            (
                "Mild left lingular atelectasis.",
                "Mild middle lobar atelectasis.",
            ),
            (
                "Scarring over the right middle lobe/lingula.",
                "Scarring over the lingula/right middle lobe.",
            ),
            (
                "Opacification of the right middle and lower lobes.",
                "Opacification of the lingula and left lower lobe.",
            ),
            (
                "Opacity in the right lower and middle lobes.",
                "Opacity in the left lower lobe and lingula.",
            ),
        ];
        for (before, after) in cases {
            let found = r.check(before);
            assert_eq!(found.text, after);
            assert!(found.fully_handled(), "{before}: {:?}", found.unhandled);
            assert_eq!(r.swap_sides(after), before, "the swap undoes itself");
        }
    }

    #[test]
    fn names_are_kept_and_counted() {
        let r = rules();
        let found =
            r.check("Left-sided pacemaker with leads in the right atrium and right ventricle.");
        assert_eq!(
            found.text,
            "Right-sided pacemaker with leads in the right atrium and right ventricle."
        );
        assert_eq!((found.swapped, found.kept), (1, 2));
        assert_eq!(
            r.swap_sides("No evidence of left-to-right shunt."),
            "No evidence of left-to-right shunt."
        );
        // Both chambers named at once: the list swaps, the chambers stay.
        assert_eq!(
            r.swap_sides("Right and left atrial enlargement."),
            "Left and right atrial enlargement."
        );
        assert_eq!(
            r.swap_sides("The catheter was left in place."),
            "The catheter was left in place."
        );
    }

    #[test]
    fn unhandled_side_words_are_reported() {
        let r = rules();
        let found = r.check("Leftmost right middle base density, rt lung.");
        assert_eq!(found.unhandled, ["Leftmost", "right middle", "rt"]);
        assert_eq!(found.text, "Leftmost left middle base density, rt lung.");
        assert!(found.mentions_side() && !found.fully_handled());
    }

    #[test]
    fn bad_tables_are_errors_naming_the_line() {
        let file = Path::new("t.csv");
        let header = "kind,left,right,note\n";
        for (body, line, what) in [
            ("flip,left,right,\n", 2, "unknown kind"),
            ("swap,left,,\n", 2, "a swap needs"),
            ("keep,left,right,\n", 2, "one phrase"),
            (
                "swap,left,right,\nswap,right,dexter,\n",
                3,
                "already a rule",
            ),
            ("swap,le-ft,right,\n", 2, "letters and digits"),
            ("swap,left  lobe,right lobe,\n", 2, "letters and digits"),
        ] {
            let error = LateralityRules::from_csv(&format!("{header}{body}"), file).unwrap_err();
            assert_eq!(error.line(), Some(line), "{body}");
            assert!(error.to_string().contains(what), "{error}");
        }
        let error = LateralityRules::from_csv("a,b\n", file).unwrap_err();
        assert!(error.to_string().contains("header"), "{error}");
    }
}
