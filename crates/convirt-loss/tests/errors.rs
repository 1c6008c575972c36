//! Bad arguments and bad inputs give typed errors, never panics.

use burn::tensor::{Device, Tensor, TensorData};
use convirt_loss::{
    BinaryContrastiveLoss, ContrastiveLoss, ConvirtLoss, LossError, NtXentLoss, SigmoidLoss,
    Temperature,
};

fn t(rows: usize, cols: usize, fill: f32) -> Tensor<2> {
    let values: Vec<f32> = (0..rows * cols).map(|i| fill + i as f32 * 0.1).collect();
    Tensor::from_data(TensorData::new(values, [rows, cols]), &Device::flex())
}

#[test]
fn bad_temperatures_are_rejected() {
    for tau in [0.0, -0.1, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            ConvirtLoss::new(tau, 0.75),
            Err(LossError::InvalidTemperature(_))
        ));
        assert!(NtXentLoss::new(tau).is_err());
        assert!(BinaryContrastiveLoss::new(tau).is_err());
    }
    assert!(Temperature::learnable(0.1, 0.0, &Device::flex()).is_err());
}

#[test]
fn lambda_outside_unit_interval_is_rejected() {
    for lambda in [-0.01, 1.01, f64::NAN] {
        assert!(matches!(
            ConvirtLoss::new(0.1, lambda),
            Err(LossError::InvalidLambda(_))
        ));
    }
    assert!(ConvirtLoss::new(0.1, 0.0).is_ok());
    assert!(ConvirtLoss::new(0.1, 1.0).is_ok());
}

#[test]
fn siglip_parameters_are_checked() {
    let dev = Device::flex();
    assert!(matches!(
        SigmoidLoss::new(0.0, -10.0, &dev),
        Err(LossError::InvalidParameter { name: "scale", .. })
    ));
    assert!(matches!(
        SigmoidLoss::new(10.0, f64::NAN, &dev),
        Err(LossError::InvalidParameter { name: "bias", .. })
    ));
}

#[test]
fn empty_batches_are_rejected() {
    let loss = ConvirtLoss::paper();
    let err = loss.forward(t(0, 8, 0.0), t(0, 8, 0.0)).unwrap_err();
    assert_eq!(
        err,
        LossError::EmptyBatch {
            which: "v",
            shape: [0, 8]
        }
    );
    assert!(matches!(
        loss.forward(t(4, 0, 0.0), t(4, 0, 0.0)),
        Err(LossError::EmptyBatch { .. })
    ));
}

#[test]
fn mismatched_shapes_are_rejected() {
    let dev = Device::flex();
    let losses: Vec<Box<dyn ContrastiveLoss>> = vec![
        Box::new(ConvirtLoss::paper()),
        Box::new(NtXentLoss::new(0.5).unwrap()),
        Box::new(BinaryContrastiveLoss::new(0.1).unwrap()),
        Box::new(SigmoidLoss::siglip(&dev)),
    ];
    for loss in &losses {
        for (a, b) in [(t(4, 8, 0.0), t(3, 8, 0.0)), (t(4, 8, 0.0), t(4, 6, 0.0))] {
            assert!(matches!(
                loss.forward(a, b),
                Err(LossError::ShapeMismatch { .. })
            ));
        }
    }
}

#[test]
fn non_finite_inputs_are_rejected_and_named() {
    let loss = ConvirtLoss::paper();
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut values = vec![0.5f32; 16];
        values[7] = bad;
        let u = Tensor::from_data(TensorData::new(values, [2, 8]), &Device::flex());
        assert_eq!(
            loss.forward(t(2, 8, 1.0), u).unwrap_err(),
            LossError::NonFiniteInput { which: "u" }
        );
    }
}

#[test]
fn binary_negatives_are_checked() {
    let loss = BinaryContrastiveLoss::new(0.1).unwrap();
    assert!(matches!(
        loss.forward_with_negatives(t(3, 4, 0.0), t(3, 4, 1.0), &[1, 2]),
        Err(LossError::InvalidNegatives(_))
    ));
    assert!(matches!(
        loss.forward_with_negatives(t(3, 4, 0.0), t(3, 4, 1.0), &[1, 2, 3]),
        Err(LossError::InvalidNegatives(_))
    ));
    assert!(
        loss.forward_with_negatives(t(3, 4, 0.0), t(3, 4, 1.0), &[1, 2, 0])
            .is_ok()
    );
}

#[test]
fn a_single_pair_has_zero_loss() {
    // With one pair there are no negatives: each softmax has a single term, log(e^x) − x = 0 up
    // to f32 rounding.
    let out = ConvirtLoss::paper()
        .forward(t(1, 8, 0.3), t(1, 8, -2.0))
        .unwrap();
    assert!(out.total.into_scalar::<f32>().abs() < 1e-6);
}
