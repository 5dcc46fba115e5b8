#!/usr/bin/env bash
# Builds the Debian package with cargo-deb and proves its layout: unpacked
# into a throwaway root (dpkg -x), the installed binary runs and reads the
# shipped example configuration, and every file a user expects is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo deb -p pathprobe --quiet
pkg_version="$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "pathprobe"))')"
deb="$(echo target/debian/pathprobe_"$pkg_version"-1_*.deb)"
[ -f "$deb" ] || { echo "check-deb: no package for $pkg_version in target/debian" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
# Outputs are captured first: `grep -q` stopping early would SIGPIPE the
# writer, which pipefail turns into a failure.
info="$(dpkg-deb --info "$deb")"
grep -q '^ Package: pathprobe$' <<<"$info"

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
version="$("$bin" --version)"
echo "$version"
grep -q "^catalog: Microsoft Defender for Endpoint" <<<"$version"
"$bin" config show --config "$root/usr/share/doc/pathprobe/examples/config.toml" --site datacenter >/dev/null
# The units start the installed path.
grep -q '^ExecStart=/usr/bin/pathprobe ' "$root/lib/systemd/system/pathprobe.service"
# The man page is a man page.
man="$(zcat "$root/usr/share/man/man1/pathprobe.1.gz")"
grep -q '^\.TH' <<<"$man"
echo "check-deb: $deb installs and runs"
