//! The PNG plots: written, decodable, of the documented size, and not blank.

use convirt_eval::retrieval_grid::{
    GRID_BORDER, GRID_GAP, GRID_TILE, HIT_COLOR, MISS_COLOR, QUERY_COLOR,
};
use convirt_eval::{EvalError, GrayView, ROC_PLOT_SIDE, plot_roc, retrieval_grid, roc_curve};

#[test]
fn roc_plot_is_a_non_blank_png_with_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roc.png");
    let scores: Vec<f64> = (0..100).map(|i| ((i * 37) % 100) as f64).collect();
    let labels: Vec<bool> = (0..100)
        .map(|i| (i * 37) % 100 > 30 && i % 4 != 0)
        .collect();
    let good = roc_curve(&scores, &labels).unwrap();
    let flipped: Vec<bool> = labels
        .iter()
        .enumerate()
        .map(|(i, &l)| l ^ (i % 3 == 0))
        .collect();
    let weak = roc_curve(&scores, &flipped).unwrap();
    plot_roc(&[("good", &good), ("weak", &weak)], &path).unwrap();

    let image = image::open(&path).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (ROC_PLOT_SIDE, ROC_PLOT_SIDE));
    let white = image.pixels().filter(|p| p.0 == [255, 255, 255]).count();
    let total = (ROC_PLOT_SIDE * ROC_PLOT_SIDE) as usize;
    assert!(
        white < total * 99 / 100,
        "almost blank: {white} white of {total}"
    );
    assert!(white > total / 2, "the background is white");
    // The two curves' colours (plotters' Palette99, first two) are drawn.
    for color in [[230, 25, 75], [60, 180, 75]] {
        assert!(image.pixels().any(|p| p.0 == color), "{color:?} missing");
    }
    // Text: the caption band above the plot holds dark anti-aliased glyph pixels.
    let caption_dark = (0..ROC_PLOT_SIDE)
        .flat_map(|x| (0..50).map(move |y| (x, y)))
        .filter(|&(x, y)| image.get_pixel(x, y).0[0] < 128)
        .count();
    assert!(
        caption_dark > 50,
        "no caption text: {caption_dark} dark pixels"
    );
}

#[test]
fn retrieval_grid_frames_hits_and_misses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.png");
    let flat = vec![77u8; 40 * 30];
    let ramp: Vec<u8> = (0..64 * 64).map(|i| (i % 64 * 4) as u8).collect();
    let flat_view = GrayView {
        width: 40,
        height: 30,
        pixels: &flat,
    };
    let ramp_view = GrayView {
        width: 64,
        height: 64,
        pixels: &ramp,
    };
    let queries = [ramp_view, flat_view];
    let retrieved = vec![vec![flat_view, ramp_view, flat_view], vec![ramp_view]];
    let hits = vec![vec![true, false, true], vec![false]];
    retrieval_grid(&queries, &retrieved, &hits, &path).unwrap();

    let image = image::open(&path).unwrap().to_rgb8();
    let cell = GRID_TILE + 2 * GRID_BORDER;
    assert_eq!(image.dimensions(), (4 * cell + GRID_GAP, 2 * cell));
    let at = |x: u32, y: u32| image.get_pixel(x, y).0;
    assert_eq!(at(0, 0), QUERY_COLOR);
    assert_eq!(at(0, cell), QUERY_COLOR);
    let column = |c: u32| cell + GRID_GAP + c * cell;
    assert_eq!(at(column(0), 0), HIT_COLOR);
    assert_eq!(at(column(1) + 1, 1), MISS_COLOR);
    assert_eq!(at(column(2), cell - 1), HIT_COLOR);
    assert_eq!(at(column(0), cell), MISS_COLOR);
    // A row shorter than the widest is padded white.
    assert_eq!(at(column(1) + cell / 2, cell + cell / 2), [255, 255, 255]);
    // A flat source stays flat inside its frame; the ramp spans dark to light.
    let inside = GRID_BORDER + GRID_TILE / 2;
    assert_eq!(at(column(0) + inside, inside), [77, 77, 77]);
    let left = at(GRID_BORDER + 1, inside)[0];
    let right = at(GRID_BORDER + GRID_TILE - 2, inside)[0];
    assert!(left < 30 && right > 220, "ramp {left} .. {right}");
}

#[test]
fn bad_grid_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.png");
    let pixels = [0u8; 12];
    let view = GrayView {
        width: 4,
        height: 3,
        pixels: &pixels,
    };
    let short = GrayView {
        width: 4,
        height: 4,
        pixels: &pixels,
    };
    assert!(matches!(
        retrieval_grid(&[view], &[vec![short]], &[vec![true]], &path),
        Err(EvalError::LengthMismatch {
            left: 12,
            right: 16,
            ..
        })
    ));
    assert!(retrieval_grid(&[view], &[vec![view]], &[vec![]], &path).is_err());
    assert!(retrieval_grid(&[view, view], &[vec![view]], &[vec![true]], &path).is_err());
    assert!(retrieval_grid(&[], &[], &[], &path).is_err());
    let missing_dir = dir.path().join("no/such/dir/grid.png");
    assert!(matches!(
        retrieval_grid(&[view], &[vec![view]], &[vec![true]], &missing_dir),
        Err(EvalError::Write { .. })
    ));
    let curve = roc_curve(&[0.1, 0.9], &[false, true]).unwrap();
    assert!(plot_roc(&[("x", &curve)], &missing_dir).is_err());
}
