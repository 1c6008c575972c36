//! MIMIC-CXR free-text reports: headers, variations and the fallback rule.

use std::path::Path;

use convirt_text_sampler::{TextError, parse_mimic, parse_mimic_bytes};

const FULL: &str = "                                 FINAL REPORT
 EXAMINATION:  CHEST (PA AND LAT)
 
 INDICATION:  ___F with new onset ascites  // eval for infection
 
 TECHNIQUE:  Chest PA and lateral
 
 COMPARISON:  None.
 
 FINDINGS: 
 
 There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral
 nodular opacities that most likely represent nipple shadows. The
 cardiomediastinal silhouette is normal.  Clear lungs.
 
 IMPRESSION: 
 
 No acute cardiopulmonary process.
";

#[test]
fn full_report_has_every_section() {
    let r = parse_mimic(FULL, "s50414267");
    assert_eq!(r.id, "s50414267");
    assert_eq!(
        r.findings,
        "There is no focal consolidation, pleural effusion or pneumothorax. Bilateral\n\
         nodular opacities that most likely represent nipple shadows. The\n\
         cardiomediastinal silhouette is normal. Clear lungs."
    );
    assert_eq!(r.impression, "No acute cardiopulmonary process.");
    assert!(!r.fallback);
    assert_eq!(r.section("examination"), Some("CHEST (PA AND LAT)"));
    assert_eq!(
        r.section("INDICATION"),
        Some("___F with new onset ascites // eval for infection")
    );
    assert_eq!(r.section("technique"), Some("Chest PA and lateral"));
    assert_eq!(r.section("comparison"), Some("None."));
    let names: Vec<&str> = r.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["EXAMINATION", "INDICATION", "TECHNIQUE", "COMPARISON"]
    );
}

#[test]
fn impression_only_report_has_no_findings_and_no_fallback() {
    let text = "FINAL REPORT\n INDICATION: Cough.\n\n COMPARISON: ___.\n\n IMPRESSION:  Stable mild cardiomegaly.\n";
    let r = parse_mimic(text, "s1");
    assert_eq!(r.findings, "");
    assert!(!r.has_findings());
    assert_eq!(r.impression, "Stable mild cardiomegaly.");
    assert!(!r.fallback);
    assert_eq!(r.body(), "Stable mild cardiomegaly.");
}

#[test]
fn findings_only_report_keeps_impression_empty() {
    let r = parse_mimic(
        "FINDINGS: Lungs are clear.\n\nNOTIFICATION: Discussed with Dr. ___.",
        "s2",
    );
    assert_eq!(r.findings, "Lungs are clear.");
    assert_eq!(r.impression, "");
    assert!(!r.fallback);
    assert_eq!(r.section("notification"), Some("Discussed with Dr. ___."));
}

#[test]
fn lower_case_and_spaced_headers_are_recognised() {
    let text = "final report\nindication: fever\nfindings:no effusion.\n\nImpression :   clear lungs.\n  Conclusion:  normal.";
    let r = parse_mimic(text, "s3");
    assert_eq!(r.section("indication"), Some("fever"));
    assert_eq!(r.findings, "no effusion.");
    // IMPRESSION and CONCLUSION both feed the impression, joined by a blank line.
    assert_eq!(r.impression, "clear lungs.\n\nnormal.");
    assert!(
        r.sections.iter().all(|s| s.name != "PREAMBLE"),
        "banner must not be text: {:?}",
        r.sections
    );
}

#[test]
fn header_on_its_own_line_without_colon() {
    let r = parse_mimic(
        "FINDINGS\nHeart is normal.\nIMPRESSION\nNo acute process.",
        "s4",
    );
    assert_eq!(r.findings, "Heart is normal.");
    assert_eq!(r.impression, "No acute process.");
}

#[test]
fn findings_and_impression_header_goes_to_findings() {
    let r = parse_mimic("FINDINGS AND IMPRESSION: No change.", "s5");
    assert_eq!(r.findings, "No change.");
    assert_eq!(r.impression, "");
}

#[test]
fn unknown_words_before_a_colon_stay_text() {
    let r = parse_mimic("FINDINGS: Note: tip in the SVC. Ratio: 0.5.", "s6");
    assert_eq!(r.findings, "Note: tip in the SVC. Ratio: 0.5.");
}

#[test]
fn report_without_sections_falls_back_to_last_paragraph() {
    let text = "                                 FINAL REPORT
 HISTORY:  ___ with chest pain.

 PA and lateral views of the chest were obtained.

 The lungs are clear.  There is no
 pleural effusion.
";
    let r = parse_mimic(text, "s7");
    assert!(r.fallback);
    assert_eq!(r.findings, "");
    assert_eq!(
        r.impression,
        "The lungs are clear. There is no\npleural effusion."
    );
}

#[test]
fn fallback_skips_trailing_non_clinical_paragraphs() {
    let text = "FINAL REPORT\nChest radiograph.\n\nThe heart is enlarged.\n\nNOTIFICATION: Called to Dr. ___.\n\nCOMPARISON: ___";
    let r = parse_mimic(text, "s8");
    assert!(r.fallback);
    assert_eq!(r.impression, "The heart is enlarged.");
}

#[test]
fn report_with_only_non_clinical_sections_is_empty() {
    let r = parse_mimic(
        "FINAL REPORT\nINDICATION: Cough.\n\nCOMPARISON: None.",
        "s9",
    );
    assert!(r.is_empty());
    assert!(!r.fallback);
    assert_eq!(r.body(), "");
}

#[test]
fn empty_and_blank_texts_give_empty_reports() {
    for text in [
        "",
        "\n\n  \n",
        "FINAL REPORT\n",
        "FINDINGS:\n\nIMPRESSION:\n",
    ] {
        let r = parse_mimic(text, "s10");
        assert!(r.is_empty(), "{text:?} gave {r:?}");
    }
}

#[test]
fn crlf_line_endings_are_handled() {
    let r = parse_mimic(
        "FINDINGS: Clear\r\n lungs.\r\n\r\nIMPRESSION: Normal.\r\n",
        "s11",
    );
    assert_eq!(r.findings, "Clear\nlungs.");
    assert_eq!(r.impression, "Normal.");
}

#[test]
fn bytes_give_file_stem_id_and_typed_errors() {
    let r =
        parse_mimic_bytes(b"IMPRESSION: Normal.", Path::new("files/p10/p100/s123.txt")).unwrap();
    assert_eq!(r.id, "s123");
    assert_eq!(r.impression, "Normal.");

    let err = parse_mimic_bytes(b"IMPRESSION: caf\xe9 normal", Path::new("bad.txt")).unwrap_err();
    assert!(
        matches!(err, TextError::NotUtf8 { offset: 15, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("bad.txt"), "{err}");

    let err = parse_mimic_bytes(b"IMPRESSION:\0\0\x01", Path::new("bin.txt")).unwrap_err();
    assert!(matches!(err, TextError::Binary { .. }), "{err:?}");
    assert!(err.to_string().contains("bin.txt"), "{err}");
}

#[test]
fn fallback_skips_paragraphs_without_a_sentence() {
    // Found by the fuzz target: a last paragraph of punctuation and de-identification marks.
    let text = "FRLIAEN PORT\nHIS.ORY: pain\n\nPA and lateral views.\n\n. ___\n";
    let r = parse_mimic(text, "s12");
    assert!(r.fallback);
    assert_eq!(r.impression, "PA and lateral views.");
}
