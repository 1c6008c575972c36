//! IU X-ray (Open-i): [`read_iu_pairs`] joins the XML reports (`NLMCXR_reports.tgz`, or its
//! unpacked `ecgen-radiology/` folder) to the PNG images (`NLMCXR_png.tgz` unpacked: one folder
//! of `<parentImage id>.png`, e.g. `CXR3029_IM-1404-1001.png`).
//!
//! Each report is one [`PairExample`], grouped by its `uId` (`CXR3029`), with the images of its
//! `<parentImage>` ids that exist. Under the skip policy, each missing image is one skip
//! ([`DataError::Missing`]); a report left without an image, or without Findings and Impression
//! text ([`DataError::EmptyReport`], 28 of the 3,955 real reports), is dropped and is one more.

use std::path::{Path, PathBuf};

use convirt_text_sampler::{ReportSource, split_sentences};

use crate::{DataError, Loaded, PairExample, ReportText, SkipPolicy, Skipped, visit_reports};

/// Reads the IU reports at `reports` (`.tgz` or a folder of `.xml`) and pairs them with the
/// `<id>.png` files in `images`.
pub fn read_iu_pairs(
    reports: impl AsRef<Path>,
    images: impl AsRef<Path>,
    policy: SkipPolicy,
) -> Result<Loaded<PairExample>, DataError> {
    let (reports, images) = (reports.as_ref(), images.as_ref());
    let source = ReportSource::open(reports)?;
    let mut examples = Vec::new();
    let mut skipped = Skipped::default();
    visit_reports(&source, policy, &mut skipped, &mut |report, skipped| {
        let named = PathBuf::from(format!("{}:{}", reports.display(), report.id));
        if split_sentences(&report.body()).is_empty() {
            return Err(DataError::EmptyReport { file: named });
        }
        let mut found = Vec::with_capacity(report.images.len());
        for id in &report.images {
            let path = images.join(format!("{id}.png"));
            if path.is_file() {
                found.push(path);
            } else {
                let what = format!("image of IU report {}", report.id);
                skipped.handle(policy, DataError::Missing { file: path, what })?;
            }
        }
        if found.is_empty() {
            return Err(DataError::Missing {
                file: named,
                what: format!("any image of its {} parentImage ids", report.images.len()),
            });
        }
        examples.push(PairExample {
            group: report.id.clone(),
            images: found,
            report: ReportText::Parsed(report),
        });
        Ok(())
    })?;
    Ok(Loaded {
        records: examples,
        skipped,
    })
}
