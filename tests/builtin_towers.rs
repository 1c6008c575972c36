//! The built-in towers by name: `arch = densenet121` and `arch = vit_b_16` pretrain through the
//! same run as ResNet, their checkpoints record the towers, and `load_run` rebuilds the tower the
//! run's settings name.

mod common;

use convirt::pretrain::{load_run, pretrain};
use convirt::towers::BuiltinModel;
use convirt::train::{Manifest, Which};

#[test]
fn densenet121_and_vit_b_16_pretrain_checkpoint_and_load_by_name() {
    let _guard = common::serial();
    let device = common::device();
    for (arch, recorded) in [
        ("densenet121", "densenet121(in=1)"),
        ("vit_b_16", "vit_b_16(in=1,size=32)"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let mut options = common::tiny_pretrain(2, 2);
        options.arch = arch.into();
        options.batch_size = 4;
        let run = pretrain(&options, tmp.path(), &device, false).unwrap();
        assert_eq!(run.summary.state.step, 2, "{arch}");
        let loss = run.summary.state.val_last.unwrap();
        assert!(loss.is_finite() && loss > 0.0, "{arch}: {loss}");

        let folder = convirt::train::Checkpoints::new(tmp.path().join("checkpoints"))
            .verified_folder(Which::Last)
            .unwrap()
            .unwrap();
        let manifest = Manifest::read(&folder).unwrap().unwrap();
        assert_eq!(manifest.towers.unwrap().image, recorded);

        let (back, model) = load_run(tmp.path(), Which::Last, &device).unwrap();
        assert_eq!(back.arch, arch);
        match (arch, &model) {
            ("densenet121", BuiltinModel::DenseNet(m)) => assert_eq!(m.towers().image, recorded),
            ("vit_b_16", BuiltinModel::Vit(m)) => assert_eq!(m.towers().image, recorded),
            _ => panic!("{arch} loaded as another tower"),
        }
    }
}

#[test]
fn an_unknown_architecture_is_a_typed_error_listing_the_known_ones() {
    let device = common::device();
    let tmp = tempfile::tempdir().unwrap();
    let mut options = common::tiny_pretrain(1, 1);
    options.arch = "vgg16".into();
    let error = pretrain(&options, tmp.path(), &device, false)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("vgg16") && error.contains("densenet121") && error.contains("vit_b_16"),
        "{error}"
    );
}
