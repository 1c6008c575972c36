//! Any bytes through every report parser, the sentence splitter and the samplers: typed errors
//! are fine, panics are not. The body is fuzz/bodies/reports.rs, which tests/fuzz_corpus.rs
//! replays on fuzz/corpus/reports/.

#![no_main]

#[path = "../bodies/reports.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
