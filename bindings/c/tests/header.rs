//! The committed C header is what cbindgen makes of `src/lib.rs` now.
//!
//! After changing the C ABI, regenerate it with
//! `UPDATE_HEADER=1 cargo test -p ntm-capi --test header` and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;

#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen reads src/lib.rs")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = dir.join("include/ntm.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/ntm.h is not what cbindgen generates from src/lib.rs; rerun with \
         UPDATE_HEADER=1 cargo test -p ntm-capi --test header and review the diff\n\
         --- generated ---\n{generated}"
    );
}
