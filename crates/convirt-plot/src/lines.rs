//! [`plot_lines`]: named line series on shared axes, as a PNG (loss curves, learning rates).

use std::path::Path;

use plotters::prelude::*;

use crate::{PlotError, register_font};

/// Width and height, in pixels, of the PNG [`plot_lines`] writes.
pub const LINE_PLOT_SIZE: (u32, u32) = (1000, 600);

/// One named series of `(x, y)` points.
pub type Series<'a> = (&'a str, &'a [(f64, f64)]);

/// Draws `series` on one chart titled `title` with axis names `x_desc` and `y_desc` and writes
/// a [`LINE_PLOT_SIZE`] RGB PNG to `path`. Non-finite points are left out; a chart with no
/// finite point is an error.
///
/// ```
/// use convirt_plot::plot_lines;
/// let train = [(1.0, 3.4), (2.0, 3.1), (3.0, 2.7)];
/// let val = [(3.0, 2.9)];
/// let path = std::env::temp_dir().join("convirt_eval_doc_lines.png");
/// plot_lines("Loss", "step", "loss", &[("train", &train), ("validation", &val)], &path)?;
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), convirt_plot::PlotError>(())
/// ```
pub fn plot_lines(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series<'_>],
    path: impl AsRef<Path>,
) -> Result<(), PlotError> {
    let path = path.as_ref();
    let fail = |message: String| PlotError::Draw {
        path: path.to_path_buf(),
        message,
    };
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let points: Vec<&(f64, f64)> = series
        .iter()
        .flat_map(|s| s.1.iter())
        .filter(finite)
        .collect();
    if points.is_empty() {
        return Err(fail("no finite point to plot".into()));
    }
    let bounds = |f: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = points
            .iter()
            .map(|p| f(p))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        let pad = ((hi - lo) * 0.05).max(1e-9);
        (lo - pad)..(hi + pad)
    };
    let (xs, ys) = (bounds(|p| p.0), bounds(|p| p.1));
    let (w, h) = LINE_PLOT_SIZE;
    let mut buffer = vec![0u8; (w * h * 3) as usize];
    {
        register_font();
        let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
        let draw = || -> Result<(), Box<dyn std::error::Error>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 28))
                .margin(20)
                .x_label_area_size(50)
                .y_label_area_size(70)
                .build_cartesian_2d(xs, ys)?;
            chart
                .configure_mesh()
                .x_desc(x_desc)
                .y_desc(y_desc)
                .label_style(("sans-serif", 16))
                .axis_desc_style(("sans-serif", 20))
                .draw()?;
            for (i, (name, data)) in series.iter().enumerate() {
                let color = Palette99::pick(i).to_rgba();
                let line: Vec<(f64, f64)> = data.iter().filter(finite).copied().collect();
                chart
                    .draw_series(LineSeries::new(line, color.stroke_width(2)))?
                    .label(*name)
                    .legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
                    });
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font(("sans-serif", 18))
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw()?;
            root.present()?;
            Ok(())
        };
        draw().map_err(|e| fail(e.to_string()))?;
    }
    image::save_buffer(path, &buffer, w, h, image::ExtendedColorType::Rgb8).map_err(|source| {
        PlotError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
