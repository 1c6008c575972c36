//! Which kernels the towers' calls run: this crate's extensions (the default) or burn's own
//! modules, for before/after measurements and for checking that a training run is the same
//! either way.
//!
//! The choice covers the calls the towers make — [`conv2d_module`](crate::conv2d_module),
//! [`batch_norm_module`](crate::batch_norm_module), [`layer_norm_module`](crate::layer_norm_module),
//! [`dropout_module`](crate::dropout_module), [`gelu`](crate::gelu()) and
//! [`softmax`](crate::softmax()) — and is one per process. (The optimiser's choice is its own:
//! `convirt_train::FusedAdam` or burn's `Adam`.)
//! It starts from the environment variable `CONVIRT_KERNELS` (`burn` for burn's modules; unset or
//! `native` for ours) and can be changed with [`set_kernel_choice`].

use std::sync::atomic::{AtomicU8, Ordering};

/// The kernels the towers' calls run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelChoice {
    /// This crate's extensions: native kernels where a backend has them (the default).
    Native,
    /// burn's own modules (`Conv2d::forward`, `BatchNorm::forward`, …), as before this crate.
    Burn,
}

/// 0: not read yet; 1: native; 2: burn.
static CHOICE: AtomicU8 = AtomicU8::new(0);

fn encode(choice: KernelChoice) -> u8 {
    match choice {
        KernelChoice::Native => 1,
        KernelChoice::Burn => 2,
    }
}

/// The choice in force: the last [`set_kernel_choice`], else `CONVIRT_KERNELS` (`burn` picks
/// burn's modules; anything else, or unset, picks ours).
///
/// ```
/// use convirt_kernels::{KernelChoice, kernel_choice, set_kernel_choice};
/// set_kernel_choice(KernelChoice::Burn);
/// assert_eq!(kernel_choice(), KernelChoice::Burn);
/// set_kernel_choice(KernelChoice::Native);
/// assert_eq!(kernel_choice(), KernelChoice::Native);
/// ```
pub fn kernel_choice() -> KernelChoice {
    match CHOICE.load(Ordering::Relaxed) {
        1 => KernelChoice::Native,
        2 => KernelChoice::Burn,
        _ => {
            let from_env = match std::env::var("CONVIRT_KERNELS") {
                Ok(value) if value.eq_ignore_ascii_case("burn") => KernelChoice::Burn,
                _ => KernelChoice::Native,
            };
            // A concurrent `set_kernel_choice` wins over the environment.
            let _ =
                CHOICE.compare_exchange(0, encode(from_env), Ordering::Relaxed, Ordering::Relaxed);
            kernel_choice()
        }
    }
}

/// Sets the choice for the rest of the process (or until the next call).
pub fn set_kernel_choice(choice: KernelChoice) {
    CHOICE.store(encode(choice), Ordering::Relaxed);
}

/// True when the towers' calls should take burn's own modules.
pub(crate) fn burns() -> bool {
    kernel_choice() == KernelChoice::Burn
}
