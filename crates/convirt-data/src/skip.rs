//! [`SkipPolicy`] and [`Skipped`]: what a loader does with a bad row, and the count it reports.
//!
//! Whole-file errors (a missing file, a missing column, a broken archive) always fail. Row errors
//! (a wrong field count, a bad label, a path out of layout) fail under [`SkipPolicy::Fail`], the
//! default, or are dropped and counted under [`SkipPolicy::SkipAndCount`]: every loader returns
//! a [`Skipped`] with the count, the first errors as typed values, and a [`SkipReason`] for
//! every skip (file, line, message), so nothing is dropped silently or unnamed.

use crate::{DataError, SkipReason};

/// What a loader does with a malformed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SkipPolicy {
    /// Stop at the first bad row with its [`DataError`] (the default).
    #[default]
    Fail,
    /// Drop the row, count it in [`Skipped`] and go on.
    SkipAndCount,
}

/// The rows a loader dropped under [`SkipPolicy::SkipAndCount`].
#[derive(Debug, Default)]
pub struct Skipped {
    /// How many rows were dropped.
    pub count: usize,
    /// The first [`Skipped::KEPT`] errors, in file order.
    pub first_errors: Vec<DataError>,
    /// Every skip, in file (for an epoch: batch) order, `count` of them: what to write out.
    pub reasons: Vec<SkipReason>,
}

impl Skipped {
    /// How many errors [`Skipped::first_errors`] keeps.
    pub const KEPT: usize = 10;

    /// Applies `policy` to a row error: `Err` under [`SkipPolicy::Fail`], else counts it.
    pub fn handle(&mut self, policy: SkipPolicy, error: DataError) -> Result<(), DataError> {
        match policy {
            SkipPolicy::Fail => Err(error),
            SkipPolicy::SkipAndCount => {
                self.count += 1;
                self.reasons.push(SkipReason::from_error(&error));
                if self.first_errors.len() < Self::KEPT {
                    self.first_errors.push(error);
                }
                Ok(())
            }
        }
    }

    /// Adds the rows `other` dropped.
    pub fn merge(&mut self, other: Skipped) {
        self.count += other.count;
        self.reasons.extend(other.reasons);
        let room = Self::KEPT.saturating_sub(self.first_errors.len());
        self.first_errors
            .extend(other.first_errors.into_iter().take(room));
    }

    /// The skips after the first `seen`: what is new since a caller last looked (e.g.
    /// `skipped.since(written)` while an [`Epoch`](crate::Epoch) runs).
    pub fn since(&self, seen: usize) -> &[SkipReason] {
        self.reasons.get(seen..).unwrap_or_default()
    }

    /// True when no row was dropped.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The records a loader kept, and the rows it dropped.
#[derive(Debug)]
pub struct Loaded<T> {
    /// The records, in file order.
    pub records: Vec<T>,
    /// The dropped rows.
    pub skipped: Skipped,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(line: u64) -> DataError {
        DataError::ColumnCount {
            file: "f.csv".into(),
            line,
            expected: 2,
            found: 1,
        }
    }

    #[test]
    fn counts_every_skip_but_keeps_the_first_ten() {
        let mut skipped = Skipped::default();
        for line in 1..=25 {
            skipped
                .handle(SkipPolicy::SkipAndCount, error(line))
                .unwrap();
        }
        let mut other = Skipped::default();
        other.handle(SkipPolicy::SkipAndCount, error(99)).unwrap();
        skipped.merge(other);
        assert_eq!(skipped.count, 26);
        assert_eq!(skipped.first_errors.len(), Skipped::KEPT);
        assert_eq!(skipped.reasons.len(), 26, "every skip keeps its reason");
        assert_eq!(skipped.reasons[24].line, Some(25));
        assert_eq!(skipped.reasons[25].line, Some(99));
        assert_eq!(skipped.reasons[25].kind, "column_count");
        assert!(skipped.reasons[25].message.starts_with("f.csv:99:"));
        assert_eq!(skipped.since(24).len(), 2);
        assert!(skipped.since(30).is_empty());
        assert!(matches!(
            skipped.first_errors[9],
            DataError::ColumnCount { line: 10, .. }
        ));
        assert!(
            Skipped::default()
                .handle(SkipPolicy::Fail, error(3))
                .is_err()
        );
    }
}
