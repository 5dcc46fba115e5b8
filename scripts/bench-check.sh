#!/usr/bin/env bash
# Probe concurrency: pathprobe check (release) against N slow HTTPS endpoints on
# loopback, side by side with sequential curl and xargs -P 64 curl, in one run.
# The figures in README.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p pathprobe-tests --bench check
