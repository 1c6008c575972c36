//! Any bytes through the IU X-ray XML parser (`parse_iu`) and the samplers. The body is
//! fuzz/bodies/xml.rs, which tests/fuzz_corpus.rs replays on fuzz/corpus/xml/.

#![no_main]

#[path = "../bodies/xml.rs"]
mod body;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    body::run(data);
});
