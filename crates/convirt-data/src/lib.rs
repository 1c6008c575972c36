//! # convirt-data
//!
//! Loaders for the real dataset layouts of ConVIRT: each returns plain typed records with
//! explicit splits, and a [`Skipped`] report of the rows it dropped. Bad input is a
//! [`DataError`] naming the file and line.
//!
//! | file | what it holds |
//! |---|---|
//! | [`chexpert`] | [`read_chexpert`]: CheXpert's `train.csv`/`valid.csv` → [`ChexpertRecord`] |
//! | [`chexpert_plus_pairs`] | [`read_chexpert_plus_pairs`]: CheXpert Plus reports ⋈ CheXpert images |
//! | [`iu_pairs`] | [`read_iu_pairs`]: IU X-ray XML reports ⋈ their PNG images |
//! | [`visit`] | [`visit_reports`]: a report source under the skip policy |
//! | [`mimic`] | [`read_mimic`]: MIMIC-CXR-JPG + reports → [`MimicStudy`]s grouping their images |
//! | [`retrieval`] | the 8×200 retrieval CSVs: [`ImageQuery`], [`TextQuery`], [`Candidate`] |
//! | [`rsna`] | [`read_rsna_labels`]: RSNA Pneumonia's labels → [`RsnaPatient`]s and their boxes; [`rsna_image_path`] |
//! | [`covidx`] | [`read_covidx`]: COVIDx split files → [`CovidxRecord`]s, 3 classes |
//! | [`mura`] | [`read_mura`]: MURA studies, images and abnormal labels → [`MuraStudy`]s |
//! | [`pair`] | [`PairExample`] (a study/report and its images), [`ReportText`] |
//! | [`pair_loader`] | [`PairLoader`]: prefetching, deterministic image-text batches |
//! | [`loader_config`] | [`PairLoaderConfig`], [`ImageChoice`] |
//! | [`pair_batch`] | [`PairBatch`]: images `[B,C,H,W]`, token ids and mask, as CPU buffers |
//! | [`epoch`] | [`Epoch`]: one epoch's batches in order; [`EpochSummary`] of skips |
//! | [`plan`] | [`EpochPlan`]: seeded shuffle, no two examples of one group in a batch |
//! | [`threads`] | [`ThreadBudget`]: how the loader and the backend share the cores |
//! | [`seed`] | [`stream_rng`]: the loader's per-example random streams |
//! | [`first_sentence`] | [`FirstSentence`]: an evaluation text |
//! | [`image_file`] | [`read_image`]: PNG/JPEG/DICOM → gray image |
//! | [`dicom`] | [`read_dicom`]: rescale, VOI window, MONOCHROME1 inversion |
//! | [`synth`] | SynthCXR: rendered chest radiographs whose findings follow labels; `pairs`, `cls`, `retrieval` |
//! | [`split`] | [`Split`]: train, validate, test |
//! | [`label`] | [`Label`] (1/0/−1/blank), [`UncertaintyPolicy`], [`CHEXPERT_LABELS`] |
//! | [`table`] | [`Table`]: a CSV, plain, `.gz` or `.zip`, row by row with line numbers |
//! | [`lines`] | [`read_lines`]: a header-less text file, line by line |
//! | [`skip`] | [`SkipPolicy`], [`Skipped`], [`Loaded`]: nothing is dropped silently |
//! | [`skip_reason`] | [`SkipReason`]: one skip's file, line and message, for `skips.jsonl` |
//! | [`error`] | [`DataError`] |
//!
//! ```no_run
//! use convirt_data::{MimicConfig, SkipPolicy, Split, UncertaintyPolicy, read_chexpert, read_mimic};
//!
//! let chexpert = read_chexpert("CheXpert-v1.0-small/train.csv", SkipPolicy::SkipAndCount)?;
//! println!("{} images, {} rows skipped", chexpert.records.len(), chexpert.skipped.count);
//! let targets = chexpert.records[0].targets(UncertaintyPolicy::UZeros);
//!
//! let mimic = read_mimic(&MimicConfig::new("/data/mimic-cxr-jpg"))?;
//! for study in mimic.split(Split::Train) {
//!     let report = study.read_report()?; // one of study.images is sampled per step
//! }
//! # let _ = targets;
//! # Ok::<(), convirt_data::DataError>(())
//! ```

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod chexpert;
pub mod chexpert_plus_pairs;
pub mod covidx;
pub mod dicom;
pub mod epoch;
pub mod error;
pub mod first_sentence;
pub mod image_file;
pub mod iu_pairs;
pub mod label;
pub mod lines;
pub mod loader_config;
pub mod mimic;
pub mod mura;
pub mod pair;
pub mod pair_batch;
pub mod pair_loader;
pub mod plan;
pub mod retrieval;
pub mod rsna;
pub mod seed;
pub mod skip;
pub mod skip_reason;
pub mod split;
pub mod synth;
pub mod table;
pub mod threads;
pub mod visit;

pub use chexpert::{ChexpertRecord, View, read_chexpert};
pub use chexpert_plus_pairs::{ChexpertPlusPairs, chexpert_join_key, read_chexpert_plus_pairs};
pub use covidx::{CovidxClass, CovidxRecord, read_covidx};
pub use dicom::read_dicom;
pub use epoch::{Epoch, EpochSummary};
pub use error::DataError;
pub use first_sentence::FirstSentence;
pub use image_file::read_image;
pub use iu_pairs::read_iu_pairs;
pub use label::{CHEXPERT_LABELS, Label, UncertaintyPolicy};
pub use lines::read_lines;
pub use loader_config::{ImageChoice, PairLoaderConfig};
pub use mimic::{MimicConfig, MimicDataset, MimicImage, MimicStudy, read_mimic};
pub use mura::{MuraStudy, read_mura};
pub use pair::{PairExample, ReportText};
pub use pair_batch::PairBatch;
pub use pair_loader::{EvalText, PairLoader};
pub use plan::EpochPlan;
pub use retrieval::{
    CHEXPERT_8X200, Candidate, ImageQuery, TextQuery, read_candidates, read_image_queries,
    read_text_queries,
};
pub use rsna::{RsnaBox, RsnaPatient, read_rsna_labels, rsna_image_path};
pub use seed::{Stream, stream_rng};
pub use skip::{Loaded, SkipPolicy, Skipped};
pub use skip_reason::SkipReason;
pub use split::Split;
pub use table::{Row, Table};
pub use threads::ThreadBudget;
pub use visit::visit_reports;
