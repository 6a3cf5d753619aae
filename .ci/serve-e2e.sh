#!/usr/bin/env bash
# `statescope serve` driven by real AWS clients: boto3 and the AWS CLI in a venv that this
# script makes itself (cached under target/, so reruns skip pip), against servers on free
# loopback ports. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/serve-venv
stamp="$venv/.statescope-ready"
if [ ! -f "$stamp" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check boto3 awscli
  touch "$stamp"
fi
cargo build --quiet --bin statescope
timeout 300 "$venv/bin/python" tests/serve/driver.py target/debug/statescope
