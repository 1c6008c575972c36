//! What a person sees while `convirt pretrain` runs: an indicatif bar with epoch, step, loss,
//! learning rate, pairs/s and ETA; checkpoint and skip messages above it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use convirt_train::{Observer, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The signal (SIGINT or SIGTERM) received since the process started, once watching began.
static SIGNAL: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Starts watching SIGINT and SIGTERM (once per process): the first one asks the run to stop at
/// the next step boundary, after a checkpoint; a second one ends the process at once.
fn watch_signals() -> &'static Arc<AtomicUsize> {
    SIGNAL.get_or_init(|| {
        let flag = Arc::new(AtomicUsize::new(0));
        let pending = Arc::new(std::sync::atomic::AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Registered first, so it sees `pending` as the previous signal left it: a second
            // signal exits at once with 128 + signal. Registration only fails for forbidden
            // signals, which these are not.
            let _ = signal_hook::flag::register_conditional_shutdown(
                signal,
                128 + signal,
                Arc::clone(&pending),
            );
            let _ = signal_hook::flag::register(signal, Arc::clone(&pending));
            let _ = signal_hook::flag::register_usize(signal, Arc::clone(&flag), signal as usize);
        }
        flag
    })
}

/// `SIGINT` or `SIGTERM` if one was received while a run was being watched.
pub fn received_signal() -> Option<&'static str> {
    match SIGNAL.get()?.load(Ordering::SeqCst) as i32 {
        signal_hook::consts::SIGINT => Some("SIGINT"),
        signal_hook::consts::SIGTERM => Some("SIGTERM"),
        _ => None,
    }
}

/// Forgets a received signal, for a process that handled the interruption and goes on (a test,
/// a notebook): until then every new run stops after its first step.
pub fn clear_signal() {
    if let Some(flag) = SIGNAL.get() {
        flag.store(0, Ordering::SeqCst);
    }
}

/// The progress bar, the run's time budget (the run stops resumably when it is spent) and
/// SIGINT / SIGTERM (the run checkpoints at the next step boundary and stops).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    budget: Option<Duration>,
    pairs: u64,
    last_val: Option<f64>,
    quiet: bool,
    skips_shown: usize,
}

impl Progress {
    /// A bar drawn on stderr (hidden when stderr is not a terminal, where messages are printed
    /// as lines instead), stopping the run after `budget` if given.
    pub fn new(budget: Option<Duration>) -> Self {
        watch_signals();
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} eta {eta}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self {
            quiet: bar.is_hidden(),
            bar,
            started: Instant::now(),
            budget,
            pairs: 0,
            last_val: None,
            skips_shown: 0,
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
            Record::Skip { split, reason, .. } => {
                self.skips_shown += 1;
                if self.skips_shown <= 5 {
                    self.on_message(&format!("skipped ({split}): {reason}"));
                } else if self.skips_shown == 6 {
                    self.on_message("more items skipped: each is named in metrics.jsonl");
                }
            }
        }
    }

    fn on_message(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("{message}"));
    }

    fn on_finish(&mut self) {
        self.bar.finish();
    }

    fn should_stop(&mut self) -> bool {
        if let Some(signal) = received_signal() {
            self.on_message(&format!(
                "{signal} received: checkpointing at this step boundary; --resume continues"
            ));
            return true;
        }
        let spent = self.budget.is_some_and(|b| self.started.elapsed() >= b);
        if spent {
            self.on_message("time budget spent: checkpointed; --resume continues");
        }
        spent
    }
}
