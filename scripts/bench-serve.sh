#!/usr/bin/env bash
# pathprobe serve over 100 intervals (memory, CPU) and the cost of a /metrics
# scrape for the default catalog. The README's "Fleet" figures come from here.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p pathprobe-tests --bench serve
