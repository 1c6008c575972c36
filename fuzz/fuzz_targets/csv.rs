//! Any bytes through the dataset CSV readers (CheXpert, MIMIC-CXR, RSNA, CheXpert Plus,
//! retrieval queries, COVIDx, MURA) under both skip policies. The body is fuzz/bodies/csv.rs,
//! which tests/fuzz_corpus.rs replays on fuzz/corpus/csv/.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

#[allow(dead_code)] // the test reads the outcome; the fuzz target only runs the body
#[path = "../bodies/csv.rs"]
mod body;

/// This process's scratch folder, on tmpfs when there is one.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let base = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        base.join(format!("convirt-fuzz-csv-{}", std::process::id()))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data, scratch());
});
