//! [`check_finite`]: no checkpoint is written of a model with a NaN or infinite weight.

use burn::module::{Module, ModuleVisitor, Param};
use burn::tensor::Tensor;

use crate::TrainError;

/// The first float parameter of `model` holding a NaN or an infinity, as an error naming it;
/// `Ok` when every parameter is finite.
pub fn check_finite<M: Module>(model: &M) -> Result<(), TrainError> {
    let mut finder = NonFinite::default();
    model.visit(&mut finder);
    match finder.found {
        Some(parameter) => Err(TrainError::NonFiniteWeights { parameter }),
        None => Ok(()),
    }
}

#[derive(Default)]
struct NonFinite {
    path: Vec<String>,
    found: Option<String>,
}

impl ModuleVisitor for NonFinite {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if self.found.is_some() {
            return;
        }
        let bad: bool = param.val().is_finite().bool_not().any().into_scalar();
        if bad {
            self.found = Some(if self.path.is_empty() {
                format!("parameter {}", param.id)
            } else {
                self.path.join(".")
            });
        }
    }
}
