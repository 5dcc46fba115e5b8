#!/usr/bin/env bash
# The Windows build, run under Wine: pathprobe.exe cross-built with
# Debian's mingw-w64 (a fast profile: no debug info), then run as a user
# would on Windows: --version, a real vendor workbook listed, a PAC
# evaluated, every lab scenario (verdicts and findings) on loopback, and
# tests/tests/wine.rs: check through squid and mitmproxy, a bundle written
# and inspected, and the registry's proxy settings written with `wine reg`.
# Needs: gcc-mingw-w64-x86-64, wine, wine64, squid, mitmproxy (.ci/run
# installs them) and the real workbooks in ../shared/data (or
# PATHPROBE_SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data="${PATHPROBE_SHARED_DATA:-$root/../shared/data}"
workbook="$data/mde/mde-urls-2021-03.xlsx"
if ! [ -f "$workbook" ]; then
  echo "check-windows: $workbook is missing (the real vendor workbooks)" >&2
  exit 1
fi

rustup target add x86_64-pc-windows-gnu >/dev/null
CARGO_PROFILE_DEV_DEBUG=0 cargo build --quiet --target x86_64-pc-windows-gnu -p pathprobe
exe="$root/target/x86_64-pc-windows-gnu/debug/pathprobe.exe"

run=$(mktemp -d)
# Wine's server is stopped before its prefix goes.
trap 'WINEPREFIX="$run/wine" wineserver -k 2>/dev/null || true; rm -rf "$run"' EXIT
cp "$exe" "$run/pathprobe.exe"
# The test-only stand-in for what Wine 8 lacks (see the C file).
x86_64-w64-mingw32-gcc -shared -O2 -o "$run/bcryptprimitives.dll" \
  tests/windows/process_prng.c -ladvapi32
# And a stand-in for certutil: puts a CA in the Windows Root store.
x86_64-w64-mingw32-gcc -O2 -o "$run/add_root.exe" tests/windows/add_root.c -lcrypt32
cp "$workbook" "$run/mde.xlsx"
printf 'function FindProxyForURL(url, host) {\n  if (dnsDomainIs(host, ".corp.example")) return "DIRECT";\n  return "PROXY proxy.corp.example:3128; DIRECT";\n}\n' >"$run/proxy.pac"

export WINEDEBUG=-all WINEPREFIX="$run/wine" PATHPROBE_NO_CONTROL=1
cd "$run"
pp() { timeout 600 wine pathprobe.exe "$@"; }

pp --version | grep -q '^target:  x86_64-pc-windows-gnu$'
pp urls list mde.xlsx >list.txt
grep -q 'endpoints listed from mde.xlsx' list.txt
pp pac eval -p proxy.pac -u https://winatp-gw-weu.microsoft.com/ -u https://intranet.corp.example/ --no-dns --format raw >pac.txt
[ "$(tr -d '\r' <pac.txt)" = "$(printf 'PROXY proxy.corp.example:3128; DIRECT\nDIRECT')" ]
# Every built-in scenario: its verdicts and its findings (exit 1 otherwise).
pp lab --format json >lab.json
python3 - lab.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["failed"] == 0 and report["findings_failed"] == 0, report
assert report["findings_passed"] == len(report["scenarios"]) >= 17, report["findings_passed"]
PY
# check, bundle and the registry, against the Linux tests' real peers; the
# exe beside its stand-in DLL, in this Wine prefix.
cd "$root"
PATHPROBE_WINE_EXE="$run/pathprobe.exe" cargo test --quiet -p pathprobe-tests --features wine --test wine
cd "$run"
echo "check-windows: pathprobe.exe runs under Wine: --version, urls list, pac eval, lab ($(python3 -c "import json;print(json.load(open('lab.json'))['passed'])") verdicts), check through squid and mitmproxy, bundle, the registry sources"
