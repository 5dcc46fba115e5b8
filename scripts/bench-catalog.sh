#!/usr/bin/env bash
# Catalog loading speed: pathprobe (release) vs a Python openpyxl script, same
# files, same run. The figures in README.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import openpyxl' 2>/dev/null || python3 -m pip install --quiet openpyxl
cargo bench -p pathprobe-urls --bench load
