//! [`Matrix`]: a checked, borrowed, row-major view `[rows, cols]` over a plain slice.

use crate::EvalError;

/// A row-major matrix view: row `i` is `data[i * cols..(i + 1) * cols]`.
///
/// ```
/// use convirt_eval::Matrix;
/// let m = Matrix::new(&[1.0_f32, 2.0, 3.0, 4.0, 5.0, 6.0], 3, "x")?;
/// assert_eq!((m.rows(), m.cols()), (2, 3));
/// assert_eq!(m.row(1), &[4.0, 5.0, 6.0]);
/// # Ok::<(), convirt_eval::EvalError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Matrix<'a, T> {
    data: &'a [T],
    cols: usize,
}

impl<'a, T> Matrix<'a, T> {
    /// A view of `data` as rows of `cols`; fails when `cols` is zero or does not divide the
    /// length. `what` names the input in the error.
    pub fn new(data: &'a [T], cols: usize, what: &'static str) -> Result<Self, EvalError> {
        if cols == 0 || !data.len().is_multiple_of(cols) {
            return Err(EvalError::Shape {
                what,
                len: data.len(),
                cols,
            });
        }
        Ok(Self { data, cols })
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.data.len() / self.cols
    }

    /// The row width.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i` (panics when `i >= rows()`, like slice indexing).
    pub fn row(&self, i: usize) -> &'a [T] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// The whole buffer.
    pub fn data(&self) -> &'a [T] {
        self.data
    }
}

impl<T: Copy> Matrix<'_, T> {
    /// Column `j`, copied out.
    pub fn column(&self, j: usize) -> Vec<T> {
        self.data
            .iter()
            .skip(j)
            .step_by(self.cols)
            .copied()
            .collect()
    }
}

/// Fails with [`EvalError::NotFinite`] at the first NaN or infinite value.
pub(crate) fn check_finite<T: Copy + Into<f64>>(
    values: &[T],
    what: &'static str,
) -> Result<(), EvalError> {
    match values.iter().position(|v| !(*v).into().is_finite()) {
        Some(index) => Err(EvalError::NotFinite {
            what,
            index,
            value: values[index].into(),
        }),
        None => Ok(()),
    }
}
