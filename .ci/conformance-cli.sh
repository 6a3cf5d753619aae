#!/usr/bin/env bash
# The AWS-recorded corpus through the real binary and ../shared/conformance/check.py (with the
# per-state history compared, --states; `--trace` makes `run` print it). The in-process test (tests/engine/conformance.rs) holds the
# per-group floors; here every case the library passes must pass through the binary too, so
# `statescope run --format json` can't drift from the engine. Two differences are allowed, both
# about the comparison, not the run: the library's matcher also treats LocalStack's whole-value
# stand-ins for random results ("RandomNumberGenerated", "generated-uuid") as wildcards, and it
# compares the states of concurrent Parallel branches per branch (AWS's recorded interleaving
# is an accident of concurrency; see tests/engine/conformance.rs), where check.py --states compares one
# flat order. Such a case must still pass check.py without --states.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${STATESCOPE_CONFORMANCE:-../shared/conformance}"
if [ ! -f "$corpus/check.py" ]; then
  if [ -n "${STATESCOPE_REQUIRE_CORPUS:-}" ]; then
    echo "conformance corpus not found at $corpus, and STATESCOPE_REQUIRE_CORPUS is set" >&2
    exit 1
  fi
  echo "conformance corpus not found at $corpus; skipped"
  exit 0
fi
cargo build --release --quiet
tmp=$(mktemp -d)
python3 "$corpus/check.py" --states --jobs 2 -v \
  --runner "target/release/statescope run {definition} --input {input} --format json --trace" >"$tmp/cli.txt" || true
STATESCOPE_CONFORMANCE_VERBOSE=1 cargo test --release --quiet --test engine conformance::aws_recorded -- --nocapture \
  >"$tmp/lib.txt" 2>&1
python3 - "$corpus" "$tmp/cli.txt" "$tmp/lib.txt" <<'PY'
import os, subprocess, sys
corpus, cli, lib = sys.argv[1:]
def passes_without_states(name):
    out = subprocess.run([sys.executable, os.path.join(corpus, "check.py"), "--filter", name, "--runner",
                          "target/release/statescope run {definition} --input {input} --format json"],
                         capture_output=True, text=True)
    return out.returncode == 0 and "1 passed, 0 failed" in out.stdout
def failing(path):
    out = set()
    for line in open(path):
        if line.startswith("FAIL "):
            out.add(line[5:].split(": ", 1)[0].strip())
    return out
def table(path):
    rows, on = [], False
    for line in open(path):
        parts = line.split()
        if parts[:3] == ["group", "passed", "failed"]:
            on = True
            continue
        if on and len(parts) == 3 and parts[1].isdigit():
            rows.append(line.rstrip())
    return rows
cli_fail, lib_fail = failing(cli), failing(lib)
print("\n".join(table(cli)))
extra = []
for name in sorted(cli_fail - lib_fail):
    text = open(os.path.join(corpus, "cases", name, "expected.json")).read()
    if "RandomNumberGenerated" in text or "generated-uuid" in text:
        continue
    definition = open(os.path.join(corpus, "cases", name, "definition.json")).read()
    if '"Parallel"' in definition and passes_without_states(name):
        continue
    extra.append(name)
if extra:
    print("cases the library passes but the binary fails:")
    print("\n".join("  " + n for n in extra))
    sys.exit(1)
print(f"binary and library agree ({len(cli_fail - lib_fail)} differences of comparison, see above)")
PY
