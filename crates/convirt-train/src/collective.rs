//! The one collective data parallelism needs: a sum across devices that leaves the result on
//! every device.
//!
//! burn 0.22 has a single collective, [`all_reduce`](burn::tensor::distributed::all_reduce),
//! implemented only for CUDA through NCCL (flex and tch panic, other runtimes refuse), and no
//! all-gather or broadcast. [`Collective::AllReduce`] calls it; [`Collective::Host`] computes the
//! same sum by moving every part to the main device and the result back, which runs on every
//! backend, so the data-parallel logic is tested on the CPU devices CI has.
//!
//! An all-gather is built on the sum ([`Collective::all_gather`]): each device writes its rows at
//! its rank's offset in a zero tensor, and the sum of those is the gathered tensor.

use burn::tensor::distributed::{ReduceOperation, all_reduce};
use burn::tensor::{Device, Tensor};

/// How tensors are summed across devices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Collective {
    /// Move every part to the main device (the first), sum there, copy the sum back. Works on
    /// every backend; the traffic goes through the main device.
    #[default]
    Host,
    /// burn's `all_reduce` (NCCL on CUDA): every device ends with the sum, in place.
    AllReduce,
}

impl Collective {
    /// `parts[r]` lives on `devices[r]`; returns the elementwise sum, once per device.
    ///
    /// # Panics
    /// If `parts` is empty (the trainer never calls it so: one part per device, at least one).
    #[allow(clippy::expect_used)]
    pub fn sum<const D: usize>(self, parts: Vec<Tensor<D>>, devices: &[Device]) -> Vec<Tensor<D>> {
        match self {
            Collective::Host => {
                let main = &devices[0];
                let total = parts
                    .into_iter()
                    .map(|p| p.to_device(main))
                    .reduce(|a, b| a + b)
                    .expect("one part per device");
                devices.iter().map(|d| total.clone().to_device(d)).collect()
            }
            Collective::AllReduce => {
                // Every rank's call is queued before any is awaited: NCCL needs all of them.
                let pending: Vec<_> = parts
                    .into_iter()
                    .map(|p| all_reduce(p, ReduceOperation::Sum, devices.to_vec()))
                    .collect();
                pending.into_iter().map(|c| c.resolve()).collect()
            }
        }
    }

    /// `parts[r]` (`[rows_r, d]`, on `devices[r]`) stacked in rank order, once per device.
    pub fn all_gather(self, parts: Vec<Tensor<2>>, devices: &[Device]) -> Vec<Tensor<2>> {
        let rows: Vec<usize> = parts.iter().map(|p| p.dims()[0]).collect();
        let total: usize = rows.iter().sum();
        let mut offset = 0;
        let padded = parts
            .into_iter()
            .zip(devices)
            .map(|(part, device)| {
                let [n, d] = part.dims();
                let zeros = Tensor::<2>::zeros([total, d], device);
                let placed = zeros.slice_assign([offset..offset + n, 0..d], part);
                offset += n;
                placed
            })
            .collect();
        self.sum(padded, devices)
    }
}

impl std::fmt::Display for Collective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Collective::Host => "host",
            Collective::AllReduce => "all-reduce",
        })
    }
}

impl std::str::FromStr for Collective {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "host" => Ok(Collective::Host),
            "all-reduce" | "nccl" => Ok(Collective::AllReduce),
            other => Err(format!(
                "unknown collective '{other}': expected host or all-reduce"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_sum_and_gather_on_repeated_device() {
        let device = Device::default();
        let devices = vec![device.clone(), device.clone(), device.clone()];
        let parts: Vec<Tensor<2>> = (0..3)
            .map(|r| Tensor::<2>::from_floats([[r as f32, 1.0], [10.0 * r as f32, 2.0]], &device))
            .collect();
        let sums = Collective::Host.sum(parts.clone(), &devices);
        assert_eq!(sums.len(), 3);
        for s in sums {
            let v = s.into_data().try_to_vec::<f32>().unwrap();
            assert_eq!(v, vec![3.0, 3.0, 30.0, 6.0]);
        }
        let gathered = Collective::Host.all_gather(parts, &devices);
        let v = gathered[2].clone().into_data().try_to_vec::<f32>().unwrap();
        assert_eq!(v, vec![0., 1., 0., 2., 1., 1., 10., 2., 2., 1., 20., 2.]);
    }

    #[test]
    fn parses_names() {
        assert_eq!("host".parse::<Collective>(), Ok(Collective::Host));
        assert_eq!(
            "all-reduce".parse::<Collective>(),
            Ok(Collective::AllReduce)
        );
        assert!("mpi".parse::<Collective>().is_err());
    }
}
