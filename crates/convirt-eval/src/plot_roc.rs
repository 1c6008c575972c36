//! [`plot_roc`]: ROC curves with their AUROC in the legend, as a PNG.
//!
//! Rendering is pure Rust: plotters draws into a memory buffer, text uses DejaVu Sans compiled
//! into the binary (plotters' `ab_glyph` feature and the `dejavu` crate), so no system font or
//! fontconfig is needed, and `image` encodes the PNG.

use std::path::Path;

use plotters::prelude::*;

use crate::{EvalError, RocCurve};

/// The side, in pixels, of the square PNG [`plot_roc`] writes.
pub const ROC_PLOT_SIDE: u32 = 800;

/// Draws `curves` (a legend name and a curve each; the legend adds the curve's area) with the
/// chance diagonal, and writes a [`ROC_PLOT_SIDE`]² RGB PNG to `path`.
///
/// ```
/// use convirt_eval::{plot_roc, roc_curve};
/// let curve = roc_curve(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true])?;
/// let path = std::env::temp_dir().join("convirt_eval_doc_roc.png");
/// plot_roc(&[("probe", &curve)], &path)?;
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
pub fn plot_roc(curves: &[(&str, &RocCurve)], path: impl AsRef<Path>) -> Result<(), EvalError> {
    let path = path.as_ref();
    let side = ROC_PLOT_SIDE;
    let mut buffer = vec![0u8; (side * side * 3) as usize];
    draw(curves, &mut buffer, side).map_err(|e| EvalError::Plot {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    image::save_buffer(path, &buffer, side, side, image::ExtendedColorType::Rgb8).map_err(
        |source| EvalError::Write {
            path: path.to_path_buf(),
            source,
        },
    )
}

fn draw(
    curves: &[(&str, &RocCurve)],
    buffer: &mut [u8],
    side: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    convirt_plot::register_font();
    let root = BitMapBackend::with_buffer(buffer, (side, side)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("ROC", ("sans-serif", 32))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..1.0_f64, 0.0..1.0_f64)?;
    chart
        .configure_mesh()
        .x_desc("False positive rate")
        .y_desc("True positive rate")
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 20))
        .draw()?;
    chart.draw_series(LineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        RGBColor(150, 150, 150).stroke_width(1),
    ))?;
    for (i, (name, curve)) in curves.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let points = curve.fpr.iter().copied().zip(curve.tpr.iter().copied());
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(format!("{name} (AUROC {:.3})", curve.area()))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    if !curves.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(("sans-serif", 18))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()?;
    }
    root.present()?;
    Ok(())
}
