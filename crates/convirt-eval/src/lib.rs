//! # convirt-eval
//!
//! ConVIRT's evaluation core: the metrics of its four tasks (classification AUROC and accuracy,
//! retrieval precision@k), the statistics over test sets and seeds, the label-fraction
//! subsets, the linear probe on cached features, and the plots. Pure Rust on plain row-major
//! slices ([`Matrix`]); bad input is an [`EvalError`], never a panic.
//!
//! | file | what it holds |
//! |---|---|
//! | [`auroc`](mod@auroc) | [`auroc()`]: exact AUROC, ties one half (Mann–Whitney) |
//! | [`roc`] | [`roc_curve`] → [`RocCurve`] (scikit-learn's, `drop_intermediate=False`) |
//! | [`mean_auroc`](mod@mean_auroc) | [`mean_auroc()`] over label columns → [`MeanAuroc`] |
//! | [`accuracy`](mod@accuracy) | [`accuracy()`], [`argmax_rows`] for multi-class |
//! | [`retrieval`] | [`precision_at_k`] (8×200 semantics) → [`RetrievalReport`]; [`rank_candidates`] |
//! | [`bootstrap`] | [`bootstrap_auroc`], [`bootstrap_mean_auroc`]: seeded percentile CI → [`BootstrapInterval`] |
//! | [`paired`] | [`paired_comparison`] across seeds → [`PairedDifference`] (t interval, p) |
//! | [`student_t`] | [`t_cdf`], [`t_quantile`] for any degrees of freedom |
//! | [`summary`] | [`mean_sd`] → [`MeanSd`], printed `mean ± sd` |
//! | [`label_fraction`] | [`nested_subsets`]: 1 % ⊂ 10 % ⊂ 100 %, stratified, seeded |
//! | [`probe`] | [`LinearProbe`]: L2 logistic regression (binary, softmax, one-vs-rest) |
//! | [`standardize`] | [`Standardizer`]: the probe's feature scaling |
//! | `logistic` | the probe's objective and gradient (private) |
//! | [`lbfgs`] | the probe's L-BFGS minimiser, [`lbfgs::minimize`] → [`LbfgsReport`] |
//! | [`plot_roc`](mod@plot_roc) | [`plot_roc()`]: ROC curves → PNG (font compiled in) |
//! | [`retrieval_grid`](mod@retrieval_grid) | [`retrieval_grid()`]: queries and top-k, hits framed → PNG |
//! | [`matrix`] | [`Matrix`]: a checked row-major view `[rows, cols]` |
//! | [`compare`] | `convirt eval compare`: random init, SimCLR, Contrastive-Binary and ConVIRT pretrained the same way and judged by every protocol, on a model of any towers ([`compare::compare_with`]; feature `protocols`) |
//! | [`protocol`] | the protocols on a model of any towers: embed, linear probe, fine-tuning, retrieval, zero-shot (feature `protocols`, default) |
//! | [`error`] | [`EvalError`] |
//!
//! ```
//! use convirt_eval::{BootstrapConfig, auroc, bootstrap_auroc, paired_comparison};
//! let scores = [0.2, 0.9, 0.4, 0.7, 0.1, 0.8];
//! let labels = [false, true, false, true, false, false];
//! assert_eq!(auroc(&scores, &labels)?, 0.875);
//! let ci = bootstrap_auroc(&scores, &labels, BootstrapConfig { resamples: 200, ..Default::default() })?;
//! assert!(ci.lower <= ci.estimate && ci.estimate <= ci.upper);
//! // ConVIRT against ImageNet init over 5 seeds:
//! let d = paired_comparison(&[0.88, 0.87, 0.89, 0.88, 0.88], &[0.86, 0.86, 0.87, 0.85, 0.87], 0.95)?;
//! assert!(d.lower > 0.0);
//! # Ok::<(), convirt_eval::EvalError>(())
//! ```

#![warn(missing_docs)]
// No panics in library code: errors are typed. Each remaining exception says why in a comment.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod accuracy;
pub mod auroc;
pub mod bootstrap;
#[cfg(feature = "protocols")]
pub mod compare;
pub mod error;
pub mod label_fraction;
pub mod lbfgs;
mod logistic;
pub mod matrix;
pub mod mean_auroc;
pub mod paired;
pub mod plot_roc;
pub mod probe;
#[cfg(feature = "protocols")]
pub mod protocol;
pub mod retrieval;
pub mod retrieval_grid;
pub mod roc;
pub mod standardize;
pub mod student_t;
pub mod summary;

pub use accuracy::{accuracy, argmax_rows};
pub use auroc::auroc;
pub use bootstrap::{BootstrapConfig, BootstrapInterval, bootstrap_auroc, bootstrap_mean_auroc};
pub use error::EvalError;
pub use label_fraction::{class_strata, combination_strata, fraction_order, nested_subsets};
pub use lbfgs::LbfgsReport;
pub use matrix::Matrix;
pub use mean_auroc::{MeanAuroc, mean_auroc};
pub use paired::{PairedDifference, paired_comparison};
pub use plot_roc::{ROC_PLOT_SIDE, plot_roc};
pub use probe::{HeadReport, LinearProbe, ProbeConfig, Targets};
pub use retrieval::{RetrievalReport, precision_at_k, rank_candidates};
pub use retrieval_grid::{GrayView, retrieval_grid};
pub use roc::{RocCurve, roc_curve};
pub use standardize::Standardizer;
pub use student_t::{t_cdf, t_quantile};
pub use summary::{MeanSd, mean_sd};
