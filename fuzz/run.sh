#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) with libFuzzer, on the nightly toolchain,
# without needing cargo-fuzz: the same instrumentation flags cargo-fuzz passes.
#   bash fuzz/run.sh TARGET [SECONDS]      targets: load_and_validate jsonpath intrinsic jsonata execution
# The corpus grows in fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET and sample-machines);
# crashes land in fuzz/artifacts/TARGET. Both are ignored by git.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target}
seconds=${2:-600}
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps the instrumentation off build scripts (as cargo-fuzz does).
triple=$(rustc +nightly -vV | sed -n "s/^host: //p")
cargo +nightly build --release --target "$triple" --bin "$target"
mkdir -p "corpus/$target" "artifacts/$target"
seeds=()
[ -d "seeds/$target" ] && seeds+=("seeds/$target")
case "$target" in
  load_and_validate|execution) seeds+=(../sample-machines) ;;
esac
exec "target/$triple/release/$target" "corpus/$target" "${seeds[@]}" \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
