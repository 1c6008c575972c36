//! The radiology sentence splitter.

use convirt_text_sampler::split_sentences;

fn split(text: &str) -> Vec<String> {
    split_sentences(text)
}

#[test]
fn plain_sentences() {
    assert_eq!(
        split("Heart size is normal. Lungs are clear! Any effusion? No."),
        [
            "Heart size is normal.",
            "Lungs are clear!",
            "Any effusion?",
            "No."
        ]
    );
}

#[test]
fn decimals_do_not_split() {
    assert_eq!(
        split("A 1.5 cm nodule. It measured 2.25 x 3.0 cm. Ratio 0.5."),
        [
            "A 1.5 cm nodule.",
            "It measured 2.25 x 3.0 cm.",
            "Ratio 0.5."
        ]
    );
}

#[test]
fn abbreviations_do_not_split() {
    assert_eq!(
        split(
            "Nodule measures approx. 5 mm. Discussed with Dr. Smith vs. Dr. Jones. Signs of CHF, e.g. Kerley lines. Seen on Fig. 2 today."
        ),
        [
            "Nodule measures approx. 5 mm.",
            "Discussed with Dr. Smith vs. Dr. Jones.",
            "Signs of CHF, e.g. Kerley lines.",
            "Seen on Fig. 2 today."
        ]
    );
    assert_eq!(
        split("Seen by J. Smith today. Stable."),
        ["Seen by J. Smith today.", "Stable."]
    );
}

#[test]
fn lower_case_after_a_period_continues_the_sentence() {
    assert_eq!(
        split("Tip in the s.v.c. above the carina."),
        ["Tip in the s.v.c. above the carina."]
    );
}

#[test]
fn numbered_lists_inline_and_on_lines() {
    assert_eq!(
        split("1. No acute process. 2. Stable cardiomegaly. 3. Small effusion"),
        [
            "No acute process.",
            "Stable cardiomegaly.",
            "Small effusion"
        ]
    );
    assert_eq!(
        split("1. No acute process\n2. Stable cardiomegaly\n3) Small effusion"),
        ["No acute process", "Stable cardiomegaly", "Small effusion"]
    );
    // The next marker of the running list splits even without a period before it.
    assert_eq!(
        split("1. Right lower lobe opacity 2. Left effusion"),
        ["Right lower lobe opacity", "Left effusion"]
    );
    // A number that does not continue a list stays in its sentence.
    assert_eq!(
        split("Fracture of rib 2. Old."),
        ["Fracture of rib 2.", "Old."]
    );
}

#[test]
fn bullets_are_list_items() {
    assert_eq!(
        split("- Clear lungs\n- No effusion\n* Normal heart"),
        ["Clear lungs", "No effusion", "Normal heart"]
    );
}

#[test]
fn blank_lines_and_capitalised_lines_break_sentences() {
    assert_eq!(
        split("No effusion\n\nClear lungs"),
        ["No effusion", "Clear lungs"]
    );
    assert_eq!(
        split("Lines and tubes: none\nHeart normal in size"),
        ["Lines and tubes: none", "Heart normal in size"]
    );
}

#[test]
fn wrapped_lines_join() {
    // MIMIC-CXR wraps at a fixed width: a line break before a lower-case word, or after a
    // word that cannot end a sentence, is a space.
    assert_eq!(
        split(
            "There is no focal consolidation, pleural effusion or\nPneumothorax.  Bilateral\nnodular opacities. The\ncardiomediastinal silhouette is normal."
        ),
        [
            "There is no focal consolidation, pleural effusion or Pneumothorax.",
            "Bilateral nodular opacities.",
            "The cardiomediastinal silhouette is normal."
        ]
    );
}

#[test]
fn trailing_fragments_and_deid_tokens() {
    assert_eq!(
        split("Clear lung XXXX bilaterally. Comparison XXXX, XXXX. no change since ___"),
        [
            "Clear lung XXXX bilaterally.",
            "Comparison XXXX, XXXX. no change since ___"
        ]
    );
    assert_eq!(split("Normal. ."), ["Normal."]);
    assert_eq!(split("Stable XXXX"), ["Stable XXXX"]);
}

#[test]
fn empty_and_punctuation_only_inputs_give_nothing() {
    for text in ["", "   ", "\n\n", ".", "... - ___. !?", "1. 2. 3."] {
        assert!(split(text).is_empty(), "{text:?} gave {:?}", split(text));
    }
}

#[test]
fn huge_input_is_linear() {
    let sentence = "Stable 1.5 cm nodule, approx. unchanged vs. prior. ";
    let text = sentence.repeat(50_000); // 2.5 MB
    let start = std::time::Instant::now();
    let out = split(&text);
    assert_eq!(out.len(), 50_000);
    assert_eq!(out[0], sentence.trim());
    assert!(
        start.elapsed().as_secs_f64() < 5.0,
        "took {:?}",
        start.elapsed()
    );
    let one_word = "x".repeat(3_000_000);
    assert_eq!(split(&one_word).len(), 1);
}

/// A small xorshift generator, so the garbage is the same on every run.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn garbage_never_panics_and_sentences_are_clean() {
    let alphabet: Vec<char> = "aZ9 .\n\r\t!?()-*•1.2)e.g.Dr.\u{0}\u{301}é漢\u{feff}_X\"'"
        .chars()
        .collect();
    let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3_000 {
        let len = (rng.next() % 200) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        let out = split(&text);
        let alnum_in = text.chars().filter(|c| c.is_alphanumeric()).count();
        let alnum_out: usize = out
            .iter()
            .map(|s| s.chars().filter(|c| c.is_alphanumeric()).count())
            .sum();
        assert!(alnum_out <= alnum_in, "{text:?}");
        for s in &out {
            assert!(!s.is_empty() && s.trim() == s, "{text:?} gave {s:?}");
            assert!(
                !s.contains("  ") && !s.contains('\n'),
                "{text:?} gave {s:?}"
            );
            assert!(s.chars().any(char::is_alphanumeric), "{text:?} gave {s:?}");
        }
    }
}
