//! Choosing the compute backend at run time among those compiled in.
//!
//! Each backend is a Cargo feature of this crate (`flex`, the default; `tch`; `wgpu`; `cuda`),
//! forwarded to burn's feature of the same name. The library crates never enable one; code is
//! written once against [`Device`] and runs on whichever the user picks.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use thiserror::Error;

/// A compute backend, as named on the command line (`--backend`) or in `CONVIRT_BACKEND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// burn's pure-Rust CPU backend. Builds anywhere.
    Flex,
    /// libtorch through tch-rs, on the CPU.
    Tch,
    /// wgpu with the system's default adapter (`wgpu`) or a CPU adapter such as Mesa's lavapipe
    /// (`wgpu:cpu`).
    Wgpu {
        /// Use a CPU adapter.
        cpu: bool,
    },
    /// CUDA, device 0 (`cuda`) or the given index (`cuda:N`).
    Cuda {
        /// The CUDA device index.
        index: usize,
    },
}

/// Why a backend could not be chosen.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BackendError {
    /// The name is not a backend.
    #[error("unknown backend '{0}': expected flex, tch, wgpu, wgpu:cpu, cuda or cuda:N")]
    Unknown(String),
    /// The backend exists but this binary was built without it.
    #[error(
        "backend '{name}' is not compiled in: rebuild with `--features {feature}` (compiled in: {compiled})"
    )]
    NotCompiled {
        /// The backend asked for.
        name: String,
        /// The Cargo feature that enables it.
        feature: &'static str,
        /// The backends this binary has.
        compiled: String,
    },
    /// burn's `all_reduce` is not implemented for this backend.
    #[error(
        "the all-reduce collective needs CUDA devices (burn 0.22 implements all_reduce only through NCCL), not '{0}'; use --collective host"
    )]
    NoCollective(String),
}

impl Backend {
    /// The environment variable read by [`Backend::from_env`].
    pub const ENV: &'static str = "CONVIRT_BACKEND";

    /// The Cargo feature that compiles this backend in.
    pub fn feature(self) -> &'static str {
        match self {
            Backend::Flex => "flex",
            Backend::Tch => "tch",
            Backend::Wgpu { .. } => "wgpu",
            Backend::Cuda { .. } => "cuda",
        }
    }

    /// Whether this binary was built with the backend.
    pub fn is_compiled(self) -> bool {
        match self {
            Backend::Flex => cfg!(feature = "flex"),
            Backend::Tch => cfg!(feature = "tch"),
            Backend::Wgpu { .. } => cfg!(feature = "wgpu"),
            Backend::Cuda { .. } => cfg!(feature = "cuda"),
        }
    }

    /// The backends compiled into this binary, in order of preference for a CPU user.
    pub fn compiled() -> Vec<Backend> {
        [
            Backend::Flex,
            Backend::Tch,
            Backend::Wgpu { cpu: false },
            Backend::Cuda { index: 0 },
        ]
        .into_iter()
        .filter(|b| b.is_compiled())
        .collect()
    }

    /// The backend named by `CONVIRT_BACKEND`, else the first compiled in.
    pub fn from_env() -> Result<Backend, BackendError> {
        match std::env::var(Self::ENV) {
            Ok(name) if !name.is_empty() => name.parse(),
            _ => Backend::compiled()
                .first()
                .copied()
                .ok_or_else(|| BackendError::Unknown("<none compiled in>".into())),
        }
    }

    /// The burn device for this backend, without autodiff. Call `.autodiff()` to train.
    pub fn device(self) -> Result<Device, BackendError> {
        if !self.is_compiled() {
            return Err(BackendError::NotCompiled {
                name: self.to_string(),
                feature: self.feature(),
                compiled: Backend::compiled()
                    .iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(self.device_unchecked())
    }

    #[allow(unreachable_code, unused_variables)]
    fn device_unchecked(self) -> Device {
        match self {
            #[cfg(feature = "flex")]
            Backend::Flex => Device::flex(),
            // burn-tch is deprecated upstream; it stays behind this one line so it can be dropped
            // without touching the crates.
            #[cfg(feature = "tch")]
            #[allow(deprecated)]
            Backend::Tch => Device::libtorch(),
            #[cfg(feature = "wgpu")]
            Backend::Wgpu { cpu } => Device::wgpu(if cpu {
                burn::tensor::DeviceKind::Cpu
            } else {
                burn::tensor::DeviceKind::DefaultDevice
            }),
            #[cfg(feature = "cuda")]
            Backend::Cuda { index } => Device::cuda(index),
            _ => unreachable!("checked by is_compiled"),
        }
    }
}

impl FromStr for Backend {
    type Err = BackendError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "flex" => Ok(Backend::Flex),
            "tch" | "libtorch" => Ok(Backend::Tch),
            "wgpu" => Ok(Backend::Wgpu { cpu: false }),
            "wgpu:cpu" => Ok(Backend::Wgpu { cpu: true }),
            "cuda" => Ok(Backend::Cuda { index: 0 }),
            other => match other.strip_prefix("cuda:").map(str::parse::<usize>) {
                Some(Ok(index)) => Ok(Backend::Cuda { index }),
                _ => Err(BackendError::Unknown(s.to_string())),
            },
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backend::Flex => write!(f, "flex"),
            Backend::Tch => write!(f, "tch"),
            Backend::Wgpu { cpu: false } => write!(f, "wgpu"),
            Backend::Wgpu { cpu: true } => write!(f, "wgpu:cpu"),
            Backend::Cuda { index: 0 } => write!(f, "cuda"),
            Backend::Cuda { index } => write!(f, "cuda:{index}"),
        }
    }
}

/// The devices of a data-parallel run, as named by `--devices`: a comma list of backends
/// (`cuda:0,cuda:1`, `flex,wgpu:cpu`), or a count K of ranks on `--backend`'s device (simulated
/// ranks on one device; on CUDA, `cuda:0..K`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceSpec {
    /// K ranks on the backend's device(s).
    Count(usize),
    /// One rank per named backend.
    List(Vec<Backend>),
}

impl DeviceSpec {
    /// The backends of the ranks, given the run's `--backend`.
    pub fn backends(&self, backend: Backend) -> Vec<Backend> {
        match self {
            DeviceSpec::List(list) => list.clone(),
            DeviceSpec::Count(k) => (0..*k)
                .map(|r| match backend {
                    Backend::Cuda { index } => Backend::Cuda { index: index + r },
                    other => other,
                })
                .collect(),
        }
    }

    /// The burn devices of the ranks (without autodiff), checked against the collective that
    /// will sum across them: burn 0.22 implements `all_reduce` only for CUDA (NCCL), and panics
    /// elsewhere, so asking for it on another backend is refused here.
    pub fn devices_for(
        &self,
        backend: Backend,
        collective: convirt_train::Collective,
    ) -> Result<Vec<Device>, BackendError> {
        let backends = self.backends(backend);
        if collective == convirt_train::Collective::AllReduce
            && let Some(b) = backends.iter().find(|b| !matches!(b, Backend::Cuda { .. }))
        {
            return Err(BackendError::NoCollective(b.to_string()));
        }
        backends.into_iter().map(Backend::device).collect()
    }
}

impl FromStr for DeviceSpec {
    type Err = BackendError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(k) = s.trim().parse::<usize>() {
            return match k {
                0 => Err(BackendError::Unknown(s.to_string())),
                k => Ok(DeviceSpec::Count(k)),
            };
        }
        s.split(',')
            .map(str::parse)
            .collect::<Result<Vec<Backend>, _>>()
            .map(DeviceSpec::List)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_specs() {
        assert_eq!("3".parse::<DeviceSpec>(), Ok(DeviceSpec::Count(3)));
        assert!("0".parse::<DeviceSpec>().is_err());
        let list: DeviceSpec = "flex,wgpu:cpu".parse().unwrap();
        assert_eq!(
            list.backends(Backend::Tch),
            vec![Backend::Flex, Backend::Wgpu { cpu: true }]
        );
        assert_eq!(
            DeviceSpec::Count(2).backends(Backend::Cuda { index: 1 }),
            vec![Backend::Cuda { index: 1 }, Backend::Cuda { index: 2 }]
        );
        assert_eq!(
            DeviceSpec::Count(2).backends(Backend::Flex),
            vec![Backend::Flex, Backend::Flex]
        );
        assert!("flex,metal".parse::<DeviceSpec>().is_err());
        let refused =
            DeviceSpec::Count(2).devices_for(Backend::Flex, convirt_train::Collective::AllReduce);
        assert_eq!(
            refused.unwrap_err(),
            BackendError::NoCollective("flex".into())
        );
    }

    #[test]
    fn names_round_trip() {
        for name in ["flex", "tch", "wgpu", "wgpu:cpu", "cuda", "cuda:3"] {
            let b: Backend = name.parse().unwrap();
            assert_eq!(b.to_string(), name);
        }
        assert_eq!("LibTorch".parse::<Backend>(), Ok(Backend::Tch));
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(matches!(
            "metal".parse::<Backend>(),
            Err(BackendError::Unknown(_))
        ));
        assert!(matches!(
            "cuda:x".parse::<Backend>(),
            Err(BackendError::Unknown(_))
        ));
    }

    #[test]
    fn missing_backend_names_its_feature() {
        let missing = [Backend::Flex, Backend::Tch, Backend::Cuda { index: 0 }]
            .into_iter()
            .find(|b| !b.is_compiled());
        if let Some(b) = missing {
            let err = b.device().unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("--features {}", b.feature()))
            );
        } else {
            // Every backend we probe is compiled in: then each gives a device.
            assert!(Backend::compiled().len() >= 3);
        }
    }
}
