//! # convirt-data
//!
//! Loaders for the real dataset layouts of ConVIRT: each returns plain typed records with
//! explicit splits, and a [`Skipped`] report of the rows it dropped. Bad input is a
//! [`DataError`] naming the file and line.
//!
//! | file | what it holds |
//! |---|---|
//! | [`chexpert`] | [`read_chexpert`]: CheXpert's `train.csv`/`valid.csv` → [`ChexpertRecord`] |
//! | [`mimic`] | [`read_mimic`]: MIMIC-CXR-JPG + reports → [`MimicStudy`]s grouping their images |
//! | [`retrieval`] | the 8×200 retrieval CSVs: [`ImageQuery`], [`TextQuery`], [`Candidate`] |
//! | [`rsna`] | [`read_rsna_labels`]: RSNA Pneumonia's labels → [`RsnaPatient`]s and their boxes |
//! | [`covidx`] | [`read_covidx`]: COVIDx split files → [`CovidxRecord`]s, 3 classes |
//! | [`mura`] | [`read_mura`]: MURA studies, images and abnormal labels → [`MuraStudy`]s |
//! | [`split`] | [`Split`]: train, validate, test |
//! | [`synth`] | SynthCXR: rendered chest X-rays whose findings follow labels; `pairs`, `cls`, `retrieval` |
//! | [`label`] | [`Label`] (1/0/−1/blank), [`UncertaintyPolicy`], [`CHEXPERT_LABELS`] |
//! | [`table`] | [`Table`]: a CSV, plain, `.gz` or `.zip`, row by row with line numbers |
//! | [`lines`] | [`read_lines`]: a header-less text file, line by line |
//! | [`skip`] | [`SkipPolicy`], [`Skipped`], [`Loaded`]: nothing is dropped silently |
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

pub mod chexpert;
pub mod covidx;
pub mod error;
pub mod label;
pub mod lines;
pub mod mimic;
pub mod mura;
pub mod retrieval;
pub mod rsna;
pub mod skip;
pub mod split;
pub mod synth;
pub mod table;

pub use chexpert::{ChexpertRecord, View, read_chexpert};
pub use covidx::{CovidxClass, CovidxRecord, read_covidx};
pub use error::DataError;
pub use label::{CHEXPERT_LABELS, Label, UncertaintyPolicy};
pub use lines::read_lines;
pub use mimic::{MimicConfig, MimicDataset, MimicImage, MimicStudy, read_mimic};
pub use mura::{MuraStudy, read_mura};
pub use retrieval::{
    CHEXPERT_8X200, Candidate, ImageQuery, TextQuery, read_candidates, read_image_queries,
    read_text_queries,
};
pub use rsna::{RsnaBox, RsnaPatient, read_rsna_labels};
pub use skip::{Loaded, SkipPolicy, Skipped};
pub use split::Split;
pub use table::{Row, Table};
