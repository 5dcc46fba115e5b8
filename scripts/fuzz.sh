#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZ_SECONDS each, default 60),
# starting from the committed corpus in fuzz/corpus/. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); the stable toolchain is used with
# RUSTC_BOOTSTRAP=1 for the sanitizer flags cargo-fuzz passes. A crash leaves
# its input in fuzz/artifacts/TARGET/: turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pac_result catalog proxy_settings http_head onboarding config scenario report)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  echo "== $t (${seconds}s)"
  # New inputs found on the way go to a scratch directory, so that the
  # committed corpus stays small and reviewed.
  scratch="$(mktemp -d)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "$scratch" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 | tail -4
  rm -rf "$scratch"
done
