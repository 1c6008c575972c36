//! What a person sees while `convirt pretrain` runs: an indicatif bar with epoch, step, loss,
//! learning rate, pairs/s and ETA; checkpoint and skip messages above it.

use std::time::{Duration, Instant};

use convirt_train::{Observer, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress bar, and the run's time budget (the run stops resumably when it is spent).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    budget: Option<Duration>,
    pairs: u64,
    last_val: Option<f64>,
    quiet: bool,
}

impl Progress {
    /// A bar drawn on stderr (hidden when stderr is not a terminal, where messages are printed
    /// as lines instead), stopping the run after `budget` if given.
    pub fn new(budget: Option<Duration>) -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} eta {eta}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        Self {
            quiet: bar.is_hidden(),
            bar,
            started: Instant::now(),
            budget,
            pairs: 0,
            last_val: None,
        }
    }
}

impl Observer for Progress {
    fn on_start(&mut self, total_steps: u64, start_step: u64) {
        self.bar.set_length(total_steps);
        self.bar.set_position(start_step);
        self.started = Instant::now();
    }

    fn on_record(&mut self, record: &Record) {
        match record {
            Record::Train {
                step,
                epoch,
                loss,
                lr,
                pairs,
                ..
            } => {
                self.pairs += *pairs as u64;
                let rate = self.pairs as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
                let val = self
                    .last_val
                    .map_or(String::new(), |v| format!(" val {v:.4}"));
                self.bar.set_prefix(format!("epoch {epoch}"));
                self.bar
                    .set_message(format!("loss {loss:.4}{val} lr {lr:.1e} {rate:.1} pairs/s"));
                self.bar.set_position(*step);
                if self.quiet && step % 10 == 0 {
                    eprintln!(
                        "step {step} epoch {epoch} loss {loss:.4}{val} lr {lr:.1e} {rate:.1} pairs/s"
                    );
                }
            }
            Record::Val {
                step, loss, best, ..
            } => {
                self.last_val = Some(*loss);
                let mark = if *best { " (best)" } else { "" };
                self.on_message(&format!("step {step}: validation loss {loss:.4}{mark}"));
            }
            Record::Epoch { epoch, skipped, .. } if *skipped > 0 => {
                self.on_message(&format!("epoch {epoch}: {skipped} items skipped so far"));
            }
            Record::Epoch { .. } => {}
        }
    }

    fn on_message(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("{message}"));
    }

    fn on_finish(&mut self) {
        self.bar.finish();
    }

    fn should_stop(&mut self) -> bool {
        let spent = self.budget.is_some_and(|b| self.started.elapsed() >= b);
        if spent {
            self.on_message("time budget spent: checkpointed; --resume continues");
        }
        spent
    }
}
