//! Domain-separated seeds: every draw of a SynthCXR set is keyed by (set seed, domain, index),
//! so the three sets (and the retrieval queries) never share a seed, and an image depends on its
//! index alone, not on the thread that renders it.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a draw is for; each domain gives an independent stream for the same set seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    /// `pairs`: the chest of a report's rendering.
    PairsImage,
    /// `pairs`: the qualifiers a report's MeSH terms leave open (shared by its renderings).
    PairsFindings,
    /// `cls`: an image's labels and qualifiers.
    ClsLabels,
    /// `cls`: an image's chest.
    ClsImage,
    /// The `pairs` report split (with [`SPLIT_SEED`](crate::synth::SPLIT_SEED)).
    ReportSplit,
    /// `retrieval`: a candidate's qualifiers and chest.
    RetrievalCandidate,
    /// `retrieval`: an image query's qualifiers and chest.
    RetrievalQuery,
    /// v2 `retrieval-val`: a validation candidate's qualifiers and chest.
    RetrievalValCandidate,
    /// v2 `retrieval-val`: a validation image query's qualifiers and chest.
    RetrievalValQuery,
}

impl Domain {
    fn tag(self) -> &'static [u8; 8] {
        match self {
            Domain::PairsImage => b"pairsimg",
            Domain::PairsFindings => b"pairsfnd",
            Domain::ClsLabels => b"clslabel",
            Domain::ClsImage => b"cls_imag",
            Domain::ReportSplit => b"rsplit__",
            Domain::RetrievalCandidate => b"retrcand",
            Domain::RetrievalQuery => b"retrquer",
            Domain::RetrievalValCandidate => b"rvalcand",
            Domain::RetrievalValQuery => b"rvalquer",
        }
    }
}

/// The generator for item `index` of `domain` in a set seeded with `seed`.
pub fn domain_rng(seed: u64, domain: Domain, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(domain.tag());
    key[16..24].copy_from_slice(&index.to_le_bytes());
    key[24..].copy_from_slice(b"synthcxr");
    ChaCha8Rng::from_seed(key)
}

/// A 64-bit seed for item `index` of `domain` (the renderer's seed).
pub fn domain_seed(seed: u64, domain: Domain, index: u64) -> u64 {
    domain_rng(seed, domain, index).next_u64()
}
