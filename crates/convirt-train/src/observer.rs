//! Hooks for whoever watches a run: a progress bar, a test, a notebook.

use crate::Record;

/// Called by the [`Trainer`](crate::Trainer) as the run goes. Every method has a no-op default.
pub trait Observer {
    /// Before the first step: the steps planned in all and the step the run starts from.
    fn on_start(&mut self, _total_steps: u64, _start_step: u64) {}
    /// After each record is logged.
    fn on_record(&mut self, _record: &Record) {}
    /// A line worth showing a person (checkpoint written, skips, early stop).
    fn on_message(&mut self, _message: &str) {}
    /// When the run ends.
    fn on_finish(&mut self) {}
    /// Asked after every step: `true` checkpoints and stops the run unfinished, so that
    /// `--resume` continues it exactly (Ctrl-C, a time budget, a test).
    fn should_stop(&mut self) -> bool {
        false
    }
}

/// Watches nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Observer for Silent {}
