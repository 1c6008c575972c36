//! The charts' font: DejaVu Sans, compiled in.

use std::sync::Once;

use plotters::style::FontStyle;

/// Registers DejaVu Sans as plotters' `sans-serif`, once per process.
pub fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // The bytes are a valid TrueType font compiled in; registration cannot fail on them.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
    });
}
