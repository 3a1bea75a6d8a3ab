//! The layering rule of `src/`, enforced: a module may import only the layers below it.
//!
//! ```text
//! model  <-  engine  <-  policy
//!                    <-  tree  <-  report  <-  contract
//! ```
//!
//! `policy` and `tree` both sit on `engine` and do not import each other; `contract` may
//! import every layer; the crate root (`lib.rs`, `error.rs`) may import every layer, and
//! no layer imports the root. The test reads every file under `src/`, takes each
//! `crate::` path in code (comments and doc comments are skipped, since doc links may
//! point anywhere), and fails on a path into a layer the file's layer may not import.
//! Unit tests (a file's `#[cfg(test)]` module) are not part of the library and may use
//! fixtures of any layer, such as `policy::illustrative`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use std::path::{Path, PathBuf};

/// The layers a layer may import, besides itself.
fn allowed(layer: &str) -> Option<&'static [&'static str]> {
    Some(match layer {
        "model" => &[],
        "engine" => &["model"],
        "policy" => &["model", "engine"],
        "tree" => &["model", "engine"],
        "report" => &["model", "engine", "tree"],
        "contract" => &["model", "engine", "policy", "tree", "report"],
        _ => return None,
    })
}

const LAYERS: [&str; 6] = ["model", "engine", "policy", "tree", "report", "contract"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The layer a file belongs to: `src/engine.rs` and `src/engine/**` are `engine`; the
/// root files are `None`.
fn layer_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    LAYERS.contains(&name).then(|| name.to_owned())
}

/// The code of a file with comments removed (line comments, doc comments, block
/// comments), string literals kept as they are (a `crate::` path in a string is still
/// reported, which errs on the safe side).
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else if rest.starts_with("//") {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
            out.push('\n');
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Every layer or root item named after `crate::` in the code, with its line:
/// `crate::tree::Hierarchy` gives `tree`, `use crate::{engine::X, model::Y}` gives both,
/// `crate::Error` gives `Error` (a root item).
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `mycrate::`, not `crate::`
            }
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let inside = group.split('}').next().unwrap_or("");
                inside
                    .split(',')
                    .map(|s| s.trim().split("::").next().unwrap_or("").trim())
                    .collect()
            } else {
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                vec![&rest[..end]]
            };
            out.extend(
                names
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| (n + 1, s.to_owned())),
            );
        }
    }
    out
}

/// The imports of `src/` that break the rule, as `file:line: layer imports target`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for file in files {
        let Some(layer) = layer_of(src, &file) else {
            continue; // the crate root may import every layer
        };
        let may = allowed(&layer).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        let library = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or("");
        let code = code_of(library);
        for (line, target) in crate_paths(&code) {
            let ok = if LAYERS.contains(&target.as_str()) {
                target == layer || may.contains(&target.as_str())
            } else {
                // A root item (`crate::Error`) or a macro path: the root is above every
                // layer.
                false
            };
            if !ok {
                bad.push(format!(
                    "{}:{line}: `{layer}` imports `crate::{target}`",
                    file.strip_prefix(src).unwrap().display()
                ));
            }
        }
    }
    bad
}

#[test]
fn layers_import_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(
        bad.is_empty(),
        "imports against the layering rule (see tests/layers.rs):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_check_sees_upward_and_sideways_imports() {
    // A throwaway tree with one import of each kind the rule forbids, and allowed ones.
    let dir = std::env::temp_dir().join(format!("ntm-layers-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("engine")).unwrap();
    std::fs::create_dir_all(src.join("policy")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub use crate::contract::Request;\n").unwrap();
    std::fs::write(
        src.join("engine/compile.rs"),
        "use crate::model::CriteriaSet;\n// use crate::tree::Hierarchy; (a comment)\n\
         /// [`x`](crate::report::Report)\nuse crate::{model::Level, tree::Hierarchy};\n",
    )
    .unwrap();
    std::fs::write(
        src.join("policy/overlay.rs"),
        "fn f() -> crate::tree::Plan { todo!() }\nuse crate::Error;\nuse crate::engine::compile;\n\
         \n#[cfg(test)]\nmod tests {\n    use crate::tree::Hierarchy;\n}\n",
    )
    .unwrap();
    let bad = violations(&src);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        bad,
        vec![
            "engine/compile.rs:4: `engine` imports `crate::tree`".to_owned(),
            "policy/overlay.rs:1: `policy` imports `crate::tree`".to_owned(),
            "policy/overlay.rs:2: `policy` imports `crate::Error`".to_owned(),
        ]
    );
}
