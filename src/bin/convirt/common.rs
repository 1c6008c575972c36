//! What several subcommands share: the checkpoint choice and the device.

use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum WhichArg {
    Best,
    Last,
}

impl From<WhichArg> for convirt::train::Which {
    fn from(w: WhichArg) -> Self {
        match w {
            WhichArg::Best => Self::Best,
            WhichArg::Last => Self::Last,
        }
    }
}

pub(crate) fn device_for(
    backend: &Option<String>,
) -> Result<burn::tensor::Device, Box<dyn std::error::Error>> {
    let backend = match backend {
        Some(b) => b.parse::<convirt::Backend>()?,
        None => convirt::Backend::from_env()?,
    };
    convirt::allocator::tune_for(backend);
    Ok(backend.device()?)
}
