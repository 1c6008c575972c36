//! [`PairLoader`]: image-text batches built in background threads, deterministic for a seed and
//! epoch whatever the thread count.
//!
//! A batch's examples come from the [`EpochPlan`] (seeded shuffle, no two examples of one group
//! per batch). For example `i` (its index in the dataset) in epoch `e`, a worker: reads the
//! report and draws its text with the [`TextSampler`] (`sample(report, e, i)`); picks an image
//! ([`stream_rng`]`(seed, e, i, ImageChoice)`); decodes it ([`read_image`]) and transforms it with
//! [`sample_rng`]`(seed, e, i)`; with [`PairLoaderConfig::flip_swaps_sides`] (off by default)
//! the transform also says whether it mirrored the view, and the text of a mirrored view gets its
//! sides swapped ([`LateralityRules`]). The texts are tokenised as one padded batch. Every draw
//! depends on `(seed, e, i)` only, so `threads = 1` and `threads = 8` give bitwise equal batches,
//! and [`PairLoader::epoch`]`(e, k)` resumes exactly at batch `k`.
//!
//! Bad input in an example (a missing file, an unreadable image, a report without text) is a
//! [`DataError`] naming the file. Under [`SkipPolicy::Fail`] the epoch yields it and stops;
//! under [`SkipPolicy::SkipAndCount`] the example is left out of its batch (a batch that loses
//! every example is left out of the epoch) and counted in [`Epoch::skipped`]. Threads: see
//! [`ThreadBudget`](crate::ThreadBudget).

use std::collections::HashMap;
use std::sync::Arc;

use convirt_augment::{Image, Transform, evaluation, sample_rng};
use convirt_text_sampler::{FullReport, LateralityRules, TextSampler, TextTokenizer};
use rand::Rng;

use crate::{
    DataError, Epoch, EpochPlan, FirstSentence, ImageChoice, PairBatch, PairExample,
    PairLoaderConfig, Skipped, Stream, read_image, stream_rng,
};

/// The text of an evaluation loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalText {
    /// Findings + Impression, whole ([`FullReport`]).
    Full,
    /// Their first sentence ([`FirstSentence`]).
    FirstSentence,
}

/// The shared state of a loader and its workers.
pub(crate) struct Inner {
    pub(crate) examples: Vec<PairExample>,
    groups: Vec<u32>,
    transform: Arc<dyn Transform>,
    sampler: Arc<dyn TextSampler>,
    tokenizer: Arc<TextTokenizer>,
    /// The side swaps, when [`PairLoaderConfig::flip_swaps_sides`] is on.
    sides: Option<&'static LateralityRules>,
    pub(crate) config: PairLoaderConfig,
}

/// Builds [`PairBatch`]es from [`PairExample`]s; see the module doc.
#[derive(Clone)]
pub struct PairLoader {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PairLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairLoader")
            .field("examples", &self.inner.examples.len())
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// One example's draw: its augmented view(s), its text and which of its images.
struct Sample {
    view: Image,
    second_view: Option<Image>,
    text: String,
    choice: usize,
}

/// Salts the run's seed for the second view's augmentation, so the two views of an example are
/// independent draws (SimCLR).
const SECOND_VIEW_SALT: u64 = 0x2A7E_51C0_5EC0_17D5;

impl PairLoader {
    /// A loader over `examples`: `transform` is the image augmentation (e.g.
    /// [`ConvirtAugment::paper`](convirt_augment::ConvirtAugment::paper)), `sampler` the text draw
    /// (e.g. [`SentenceSampler`](convirt_text_sampler::SentenceSampler)). Fails on no examples,
    /// an example without images, a zero batch size, thread count or prefetch depth, or
    /// [`PairLoaderConfig::flip_swaps_sides`] with a transform that does not report its flips.
    pub fn new(
        examples: Vec<PairExample>,
        transform: Arc<dyn Transform>,
        sampler: Arc<dyn TextSampler>,
        tokenizer: Arc<TextTokenizer>,
        config: PairLoaderConfig,
    ) -> Result<Self, DataError> {
        for (name, value) in [
            ("batch_size", config.batch_size),
            ("threads", config.threads),
            ("prefetch", config.prefetch),
            ("examples", examples.len()),
        ] {
            if value == 0 {
                return Err(DataError::Config(format!("{name} must be at least 1")));
            }
        }
        if let Some(e) = examples.iter().find(|e| e.images.is_empty()) {
            return Err(DataError::Config(format!(
                "example of group {:?} has no image",
                e.group
            )));
        }
        let sides = if config.flip_swaps_sides {
            if !transform.reports_flips() {
                return Err(DataError::Config(
                    "flip_swaps_sides needs a transform that reports its flips \
                     (Transform::reports_flips)"
                        .into(),
                ));
            }
            Some(LateralityRules::builtin()?)
        } else {
            None
        };
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let groups = examples
            .iter()
            .map(|e| {
                let next = ids.len() as u32;
                *ids.entry(e.group.as_str()).or_insert(next)
            })
            .collect();
        Ok(Self {
            inner: Arc::new(Inner {
                examples,
                groups,
                transform,
                sampler,
                tokenizer,
                sides,
                config,
            }),
        })
    }

    /// An evaluation loader: `config` as given (see [`PairLoaderConfig::evaluation`]), images
    /// padded to square and resized to `size` ([`convirt_augment::evaluation`]), `text` the whole
    /// report or its first sentence.
    pub fn evaluation(
        examples: Vec<PairExample>,
        size: usize,
        text: EvalText,
        tokenizer: Arc<TextTokenizer>,
        config: PairLoaderConfig,
    ) -> Result<Self, DataError> {
        if size == 0 {
            return Err(DataError::Config("size must be at least 1".into()));
        }
        let sampler: Arc<dyn TextSampler> = match text {
            EvalText::Full => Arc::new(FullReport),
            EvalText::FirstSentence => Arc::new(FirstSentence),
        };
        Self::new(
            examples,
            Arc::new(evaluation(size)),
            sampler,
            tokenizer,
            config,
        )
    }

    /// The examples.
    pub fn examples(&self) -> &[PairExample] {
        &self.inner.examples
    }

    /// The configuration.
    pub fn config(&self) -> &PairLoaderConfig {
        &self.inner.config
    }

    /// The batches of `epoch`, as dataset indices.
    pub fn plan(&self, epoch: u64) -> EpochPlan {
        let c = &self.inner.config;
        EpochPlan::new(
            &self.inner.groups,
            c.batch_size,
            c.seed,
            epoch,
            c.shuffle,
            c.drop_last,
        )
    }

    /// Batches per epoch when every example has its own group (the usual case: one example
    /// per study or report): `n / batch_size`, rounded up unless `drop_last`. With repeated
    /// groups an epoch may have more; [`PairLoader::plan`] has the exact count.
    pub fn batches_per_epoch(&self) -> usize {
        let (n, b) = (self.inner.examples.len(), self.inner.config.batch_size);
        if self.inner.config.drop_last {
            n / b
        } else {
            n.div_ceil(b)
        }
    }

    /// The batches of `epoch` from index `start_batch` on, built by the worker threads ahead of
    /// the consumer. Exactly the batches a full epoch gives from that index on.
    pub fn epoch(&self, epoch: u64, start_batch: usize) -> Epoch {
        Epoch::start(
            Arc::clone(&self.inner),
            epoch,
            self.plan(epoch),
            start_batch,
        )
    }

    /// Builds batch `index` of `epoch` from its examples on the calling thread (what a worker
    /// does). `Ok(None)`: every example was skipped.
    pub fn build_batch(
        &self,
        epoch: u64,
        index: usize,
        examples: &[usize],
        skipped: &mut Skipped,
    ) -> Result<Option<PairBatch>, DataError> {
        self.inner.build_batch(epoch, index, examples, skipped)
    }
}

impl Inner {
    pub(crate) fn build_batch(
        &self,
        epoch: u64,
        index: usize,
        examples: &[usize],
        skipped: &mut Skipped,
    ) -> Result<Option<PairBatch>, DataError> {
        let policy = self.config.skip_policy;
        let mut rows: Vec<(usize, Sample)> = Vec::with_capacity(examples.len());
        let mut size: Option<(usize, usize)> = None;
        for &i in examples {
            let sample = self.sample(epoch, i).and_then(|s| {
                let found = (s.view.width(), s.view.height());
                match size {
                    Some(expected) if expected != found => Err(DataError::ImageSize {
                        file: self.examples[i].images[s.choice].clone(),
                        expected,
                        found,
                    }),
                    _ => Ok(s),
                }
            });
            match sample {
                Ok(s) => {
                    size.get_or_insert((s.view.width(), s.view.height()));
                    rows.push((i, s));
                }
                Err(e) => skipped.handle(policy, e)?,
            }
        }
        let Some((width, height)) = size else {
            return Ok(None);
        };
        let texts: Vec<String> = rows.iter().map(|(_, s)| s.text.clone()).collect();
        let tokens = self.tokenizer.encode(&texts)?;
        let layout = self.config.layout;
        let channels = layout.channels.count();
        let normalised = |views: &mut dyn Iterator<Item = &Image>| {
            let mut out = Vec::with_capacity(rows.len() * channels * width * height);
            for image in views {
                let values = image.to_f32();
                for c in 0..channels {
                    let (mean, inv) = (layout.mean[c], 1.0 / layout.std[c]);
                    out.extend(values.iter().map(|&v| (v - mean) * inv));
                }
            }
            out
        };
        let images = normalised(&mut rows.iter().map(|(_, s)| &s.view));
        let second_images = self
            .config
            .two_views
            .then(|| normalised(&mut rows.iter().filter_map(|(_, s)| s.second_view.as_ref())));
        Ok(Some(PairBatch {
            index,
            images,
            second_images,
            channels,
            height,
            width,
            ids: tokens.ids,
            mask: tokens.mask,
            seq_len: tokens.shape[1],
            texts,
            examples: rows.iter().map(|(i, _)| *i).collect(),
            image_choice: rows.iter().map(|(_, s)| s.choice).collect(),
        }))
    }

    /// Example `i` in `epoch`: text first (cheap), then the image; with the laterality-aware
    /// flip, the text of a mirrored view gets its sides swapped.
    fn sample(&self, epoch: u64, i: usize) -> Result<Sample, DataError> {
        let example = &self.examples[i];
        let report = example.report.load()?;
        let text = self
            .sampler
            .sample(&report, epoch, i as u64)
            .ok_or_else(|| DataError::EmptyReport {
                file: example.report.source(),
            })?;
        let choice = match self.config.image_choice {
            ImageChoice::First => 0,
            ImageChoice::Random => {
                let mut rng = stream_rng(self.config.seed, epoch, i as u64, Stream::ImageChoice);
                rng.random_range(0..example.images.len())
            }
        };
        let image = read_image(&example.images[choice])?;
        let second_view = self.config.two_views.then(|| {
            let mut rng = sample_rng(self.config.seed ^ SECOND_VIEW_SALT, epoch, i as u64);
            self.transform.apply(image.clone(), &mut rng)
        });
        let mut rng = sample_rng(self.config.seed, epoch, i as u64);
        let (view, text) = match self.sides {
            None => (self.transform.apply(image, &mut rng), text),
            Some(rules) => match self.transform.apply_reporting_flip(&image, &mut rng) {
                (view, true) => (view, rules.swap_sides(&text)),
                (view, false) => (view, text),
            },
        };
        Ok(Sample {
            view,
            second_view,
            text,
            choice,
        })
    }
}
