#!/usr/bin/env bash
# Builds the Debian package with cargo-deb and proves its layout: unpacked
# into a throwaway root (dpkg -x), the installed binary runs and reads the
# shipped example configuration, and every file a user expects is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo deb -p pathprobe --quiet
deb="$(ls -t target/debian/pathprobe_*.deb | head -1)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
dpkg-deb --info "$deb" | grep -q '^ Package: pathprobe$'

for f in \
  usr/bin/pathprobe \
  usr/share/man/man1/pathprobe.1.gz \
  usr/share/man/man1/pathprobe-check.1.gz \
  usr/share/bash-completion/completions/pathprobe \
  usr/share/zsh/vendor-completions/_pathprobe \
  usr/share/fish/vendor_completions.d/pathprobe.fish \
  lib/systemd/system/pathprobe.service \
  lib/systemd/system/pathprobe-check.service \
  lib/systemd/system/pathprobe-check.timer \
  usr/share/doc/pathprobe/examples/config.toml \
  usr/share/doc/pathprobe/prometheus/alerts.yml \
  usr/share/doc/pathprobe/copyright; do
  [ -s "$root/$f" ] || { echo "check-deb: $f missing from $deb" >&2; exit 1; }
done

bin="$root/usr/bin/pathprobe"
"$bin" --version
"$bin" --version | grep -q "^catalog: Microsoft Defender for Endpoint"
"$bin" config show --config "$root/usr/share/doc/pathprobe/examples/config.toml" --site datacenter >/dev/null
# The units start the installed path.
grep -q '^ExecStart=/usr/bin/pathprobe ' "$root/lib/systemd/system/pathprobe.service"
# The man page is a man page.
zcat "$root/usr/share/man/man1/pathprobe.1.gz" | grep -q '^\.TH'
echo "check-deb: $deb installs and runs"
