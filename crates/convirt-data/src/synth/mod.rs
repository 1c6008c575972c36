//! SynthCXR: a synthetic paired chest X-ray benchmark whose visible findings follow given labels.
//!
//! Two versions ([`SynthVersion`]): v2 ([`v2`], issue 17, the default: eighteen categories
//! rendered for what IU reports say) and v1 (issue 6, seven categories, kept bit for bit). Sets
//! with disjoint seed domains ([`seed`]): `pairs` (the IU reports, K renderings each, split by
//! report), `cls` (13,000 labelled images), `retrieval` (ConVIRT's 8×200 format) and, in v2,
//! `retrieval-val`. `convirt synth` drives [`generate`]; trainers read a set back with
//! [`read_manifest`]. For `pairs`, an entry's `report_id` is the
//! [`Report::id`](convirt_text_sampler::Report) of the IU archive (`ReportSource::open(tgz)`).
//!
//! | file | what it holds |
//! |---|---|
//! | [`v2`] | SynthCXR v2: its families, MeSH parser, nuisance, chest, shapes, renderer, sets |
//! | [`family`] | [`Family`]: v1's Normal and six finding families; [`families_from_mesh`] |
//! | [`finding`] | [`Finding`] (side, zone, severity); [`findings_from_mesh`] |
//! | [`masks`] | [`LungMasks`]: the 517 real lung masks as [`LungShape`]s |
//! | [`anatomy`] | [`Anatomy`]: one seeded chest's geometry and exposure |
//! | [`lesion`] | [`Lesion`]: the primitives a finding is drawn with; [`Gains`] |
//! | [`noise`] | seeded per-pixel hash and value noise |
//! | [`render`] | [`Renderer`]: v1 findings + seed → [`Image`](convirt_augment::Image) |
//! | [`draw`] | film response, smoothstep, distances: shared by both renderers |
//! | [`seed`] | [`Domain`]: domain-separated seeds per set and role |
//! | [`split`] | [`split_reports`]: the `pairs` 80/10/10 report split and its file |
//! | [`options`] | [`SynthOptions`], [`SynthSet`], [`SynthVersion`], [`ImageFormat`] |
//! | [`jobs`] | each set's entries: labels, findings, seeds, paths |
//! | [`manifest`] | [`Manifest`], [`Entry`], [`Category`], [`read_manifest`] |
//! | [`generate`](mod@generate) | [`generate()`]: render a set, cached by its parameter stamp |
//!
//! ```no_run
//! use convirt_data::synth::{SynthOptions, SynthSet, generate, read_manifest};
//! use convirt_data::Split;
//!
//! let done = generate(SynthSet::Cls, &SynthOptions::new("/tmp/synthcxr/cls"))?;
//! let manifest = read_manifest("/tmp/synthcxr/cls")?;
//! assert_eq!(manifest.split(Split::Train).count(), 10_000);
//! # let _ = done;
//! # Ok::<(), convirt_data::DataError>(())
//! ```

pub mod anatomy;
pub mod draw;
pub mod family;
pub mod finding;
pub mod generate;
pub mod job;
pub mod jobs;
pub mod lesion;
pub mod manifest;
pub mod masks;
pub mod noise;
pub mod options;
pub mod render;
pub mod seed;
pub mod split;
pub mod v2;

pub use anatomy::Anatomy;
pub use family::{Family, families_from_mesh};
pub use finding::{Finding, Severity, Side, Zone, findings_from_mesh};
pub use generate::{Generated, generate, save_image};
pub use job::{Draw, Job};
pub use lesion::{Gains, Lesion};
pub use manifest::{Category, Entry, Manifest, read_manifest};
pub use masks::{LungMasks, LungShape, MASK_GRID};
pub use options::{ImageFormat, SynthOptions, SynthSet, SynthVersion};
pub use render::{Renderer, Scene};
pub use seed::{Domain, domain_rng, domain_seed};
pub use split::{SPLIT_SEED, read_split, split_reports, write_split};
