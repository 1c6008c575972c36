//! [`visit_reports`]: every report of a [`ReportSource`], with the loader's skip policy applied to
//! the errors the visitor finds.

use convirt_text_sampler::{Report, ReportSource, TextError};

use crate::{DataError, SkipPolicy, Skipped};

/// Calls `visit` with each report of `source`; a [`DataError`] it returns goes through `policy`
/// into `skipped` (or ends the walk under [`SkipPolicy::Fail`]). Errors reading the source itself
/// (a missing archive, malformed XML or CSV) always fail.
pub fn visit_reports(
    source: &ReportSource,
    policy: SkipPolicy,
    skipped: &mut Skipped,
    visit: &mut dyn FnMut(Report, &mut Skipped) -> Result<(), DataError>,
) -> Result<(), DataError> {
    let mut failed: Option<DataError> = None;
    let walked = source.for_each(&mut |report| {
        let outcome = visit(report, skipped);
        match outcome.or_else(|e| skipped.handle(policy, e)) {
            Ok(()) => Ok(()),
            Err(e) => {
                failed = Some(e);
                Err(TextError::InvalidArgument("stopped at a bad report".into()))
            }
        }
    });
    match (failed, walked) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(e.into()),
        (None, Ok(_)) => Ok(()),
    }
}
