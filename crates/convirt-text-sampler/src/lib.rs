//! # convirt-text-sampler
//!
//! Radiology reports → sections → sentences → token batches, for ConVIRT's text tower on burn
//! 0.22. ConVIRT samples one sentence of a report's Findings and Impression per step; this
//! crate reads the reports of MIMIC-CXR, IU X-ray and CheXpert Plus, splits them into
//! sentences, samples, and tokenizes into `Int` tensors on any
//! [`Device`](burn::tensor::Device).
//!
//! | file | what it holds |
//! |---|---|
//! | [`report`] | [`Report`] and its [`Section`]s: the parsed form of every format |
//! | [`mesh`] | [`MeshTerm`]: an IU MeSH `<major>` term and its qualifiers |
//! | [`mimic`] | [`parse_mimic`]: MIMIC-CXR free text, headers and the fallback rule |
//! | [`header`] | the section headers of free-text reports |
//! | [`iu`] | [`parse_iu`]: IU X-ray XML |
//! | [`chexpert_plus`] | [`read_chexpert_plus`]: the CheXpert Plus CSV |
//! | [`csv_quotes`] | [`QuoteWatch`], [`lines_spanned`]: unbalanced CSV quotes do not merge rows silently |
//! | [`source`] | [`ReportSource`]: a `.tgz`, folder, `files/` tree or CSV, read report by report |
//! | [`normalize`](mod@normalize) | [`normalize()`], [`normalize_lines`]: whitespace normalisation |
//! | [`bytes`] | size limits, UTF-8 and binary checks on raw input |
//! | [`limits`] | [`Limits`]: the most bytes one report may have |
//! | [`split`] | [`split_sentences`]: a sentence splitter tuned for radiology |
//! | [`sampler`] | the [`TextSampler`] trait |
//! | [`sentence`] | [`SentenceSampler`]: one sentence uniformly at random (ConVIRT) |
//! | [`full`] | [`FullReport`]: all of Findings + Impression |
//! | [`span`] | [`SpanSampler`]: a run of consecutive sentences |
//! | [`laterality`] | [`LateralityRules`], [`swap_sides`]: left ↔ right for a mirrored image, from `data/laterality_rules.csv` |
//! | [`seed`] | [`rng_for`]: one generator per (seed, epoch, index) |
//! | [`tokenizer`] | [`TextTokenizer`]: `tokenizer.json`, truncation, padding to the longest |
//! | [`batch`] | [`TokenBatch`] → [`TokenTensors`]: ids and mask as `Int` tensors |
//! | [`stats`] | [`ReportStats`]: the counts of `convirt reports stats` |
//! | [`assets`] | where `scripts/fetch-assets.sh` puts the real assets |
//! | [`error`] | [`TextError`] |
//!
//! ```
//! use burn::tensor::Device;
//! use convirt_text_sampler::{parse_mimic, SentenceSampler, TextSampler};
//!
//! let report = parse_mimic(
//!     "FINAL REPORT\n FINDINGS: Heart size is normal. Lungs are clear.\n\n IMPRESSION: No acute process.",
//!     "s1",
//! );
//! let sampler = SentenceSampler::new(42);
//! let text = sampler.sample(&report, 0, 0).unwrap();
//! assert!(["Heart size is normal.", "Lungs are clear.", "No acute process."].contains(&text.as_str()));
//! // then: TextTokenizer::from_file("minilm/tokenizer.json")?.encode(&[text])?.to_tensors(&Device::flex())
//! ```

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assets;
pub mod batch;
pub mod bytes;
pub mod chexpert_plus;
pub mod csv_quotes;
pub mod error;
pub mod full;
pub mod header;
pub mod iu;
pub mod laterality;
pub mod limits;
pub mod mesh;
pub mod mimic;
pub mod normalize;
pub mod report;
pub mod sampler;
pub mod seed;
pub mod sentence;
pub mod source;
pub mod span;
pub mod split;
pub mod stats;
pub mod tokenizer;

pub use batch::{TokenBatch, TokenTensors};
pub use bytes::{as_text, read_file, read_limited};
pub use chexpert_plus::read_chexpert_plus;
pub use csv_quotes::{QuoteProbe, QuoteWatch, lines_spanned};
pub use error::TextError;
pub use full::FullReport;
pub use iu::parse_iu;
pub use laterality::{LateralityRules, RuleKind, SideSwap, swap_sides};
pub use limits::Limits;
pub use mesh::MeshTerm;
pub use mimic::{parse_mimic, parse_mimic_bytes};
pub use normalize::{normalize, normalize_lines};
pub use report::{Report, Section};
pub use sampler::{TextSampler, word_count};
pub use seed::rng_for;
pub use sentence::SentenceSampler;
pub use source::{Format, ReportSource};
pub use span::SpanSampler;
pub use split::split_sentences;
pub use stats::ReportStats;
pub use tokenizer::{Padding, TextTokenizer};
