#!/usr/bin/env bash
# DNS under load: pathprobe check (release) of 1,000 names through dnsmasq with
# its default limits in front of a 400 ms upstream, with the bound on lookups
# in flight and without it, in one run. The figures in README.md come from
# this script.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p pathprobe-tests --bench dns
