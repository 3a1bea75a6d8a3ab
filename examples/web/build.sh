#!/usr/bin/env bash
# Builds the WebAssembly package into examples/web/pkg/ (not committed): the ntm-wasm
# crate for wasm32-unknown-unknown with the size-optimised `wasm` profile, then
# wasm-bindgen's JavaScript glue for ES modules (`--target web`).
#
#   examples/web/build.sh                 # with the built-in catalog (default)
#   examples/web/build.sh --no-catalog    # without it: sets are given as files
#
# Needs the wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`)
# and wasm-bindgen-cli at the version of the wasm-bindgen crate in Cargo.lock:
#   cargo install --locked wasm-bindgen-cli --version "$(examples/web/build.sh --wasm-bindgen-version)"
set -euo pipefail
cd "$(dirname "$0")/../.."

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "${1:-}" = "--wasm-bindgen-version" ]; then
  echo "$version"
  exit 0
fi
features=()
out=examples/web/pkg
if [ "${1:-}" = "--no-catalog" ]; then
  features=(--no-default-features)
  out=${2:-target/wasm-no-catalog/pkg}
fi
if ! command -v wasm-bindgen >/dev/null; then
  echo "wasm-bindgen not found: cargo install --locked wasm-bindgen-cli --version $version" >&2
  exit 2
fi
have=$(wasm-bindgen --version | awk '{ print $2 }')
if [ "$have" != "$version" ]; then
  echo "wasm-bindgen $have does not match the wasm-bindgen crate $version in Cargo.lock:" >&2
  echo "  cargo install --locked --force wasm-bindgen-cli --version $version" >&2
  exit 2
fi
target_dir=${CARGO_TARGET_DIR:-target}
cargo build -p ntm-wasm --profile wasm --target wasm32-unknown-unknown "${features[@]}"
rm -rf "$out"
wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir "$out" "$target_dir/wasm32-unknown-unknown/wasm/ntm_wasm.wasm"
wasm=$out/ntm_wasm_bg.wasm
echo "$wasm: $(wc -c < "$wasm") bytes, $(gzip -9 -c "$wasm" | wc -c) gzipped"
