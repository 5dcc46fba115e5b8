#!/usr/bin/env bash
# PAC evaluation speed: pathprobe (release) vs pacparser, same script, same
# URLs, same run. The figures in README.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import pacparser' 2>/dev/null || python3 -m pip install --quiet --root-user-action=ignore pacparser==1.5.3
cargo bench -p pathprobe-pac --bench eval
