//! SynthCXR v2 (issue 17): images that show what their IU reports say.
//!
//! A report's MeSH terms become [`Finding`]s ([`mesh`]); an image seed gives a [`Nuisance`]
//! drawn apart from the findings; the findings change the [`Chest`]'s anatomy and add
//! [`Shape`]s and [`Metal`]; the [`Renderer`] draws it all. [`jobs`] builds the sets.
//!
//! | file | what it holds |
//! |---|---|
//! | [`family`] | [`Family`]: Normal and seventeen finding families; [`families_from_mesh`] |
//! | [`finding`] | [`Finding`] (side, zone, severity 1–3, count, [`Kind`]) and its label text |
//! | [`mesh`] | MeSH qualifiers → findings: side, severity ([`SEVERITY_COUNTS`]), sentences' sides |
//! | [`nuisance`] | [`Nuisance`]: anatomy, exposure, noise and unlabelled [`Clutter`] |
//! | [`chest`] | [`Chest`]: the nuisance as the findings change it (heart, volumes, diaphragm, spine, aorta) |
//! | [`shapes`] | [`Shape`] and [`Metal`]: what each finding draws |
//! | [`render`] | [`Renderer`]: findings + seed → [`Image`](convirt_augment::Image) |
//! | [`jobs`] | the sets: `pairs`, `cls`, `retrieval`, `retrieval-val`; [`RETRIEVAL`] |
//!
//! ```
//! use convirt_data::synth::v2::{Family, Finding, Renderer};
//! use convirt_data::synth::{Side, Zone};
//!
//! let renderer = Renderer::from_shapes(Vec::new()); // no masks: elliptic lungs
//! let effusion = Finding::new(Family::Effusion, Side::Left, Zone::Lower, 2);
//! let image = renderer.render(&[effusion], 7, 64);
//! assert_eq!((image.width(), image.height()), (64, 64));
//! ```

pub mod chest;
pub mod family;
pub mod finding;
pub mod jobs;
pub mod mesh;
pub mod nuisance;
pub mod render;
pub mod shapes;

pub use chest::Chest;
pub use family::{Family, families_from_mesh};
pub use finding::{Finding, Kind};
pub use jobs::{RETRIEVAL, SCORED};
pub use mesh::{SEVERITY_COUNTS, findings_from_report};
pub use nuisance::{Clutter, Nuisance};
pub use render::{Renderer, Scene};
pub use shapes::{Metal, Shape};
