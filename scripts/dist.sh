#!/usr/bin/env bash
# Release artifacts of every target this Linux machine can build, into
# dist/ with a SHA256SUMS file:
#   pathprobe-VERSION-x86_64-unknown-linux-gnu.tar.gz    (glibc, dynamic)
#   pathprobe-VERSION-x86_64-unknown-linux-musl.tar.gz   (static; needs musl-tools)
#   pathprobe-VERSION-x86_64-pc-windows-gnu.zip          (pathprobe.exe; needs mingw-w64)
#   pathprobe_VERSION-1_amd64.deb                        (cargo-deb)
# Each archive holds the binary, README.md and LICENSE; the Linux ones also
# the man pages and shell completions. macOS is not built here: see README
# "Platforms" (linking needs Apple's SDK, which no registry this machine
# reaches provides); the script says so and goes on.
#
# Release profile (thin LTO, stripped): about 9 minutes per target on two
# cores. Not run by CI, which builds each target with a fast profile.
# Usage: scripts/dist.sh [TARGET...]   (default: all of the above)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out="$root/dist"
mkdir -p "$out"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64-unknown-linux-gnu x86_64-unknown-linux-musl x86_64-pc-windows-gnu deb aarch64-apple-darwin x86_64-apple-darwin)

stage() { # stage DIR BINARY: the files every archive carries
  mkdir -p "$1"
  cp "$2" README.md "$1/"
  [ -f LICENSE ] && cp LICENSE "$1/"
  return 0
}

built=()
for target in "${targets[@]}"; do
  case "$target" in
    x86_64-unknown-linux-gnu | x86_64-unknown-linux-musl)
      if [ "$target" = x86_64-unknown-linux-musl ] && ! command -v musl-gcc >/dev/null; then
        echo "dist: skipping $target: musl-gcc is missing (Debian package musl-tools)" >&2
        continue
      fi
      rustup target add "$target" >/dev/null
      # aws-lc-sys compiles C: with musl-gcc for the static build.
      if [ "$target" = x86_64-unknown-linux-musl ]; then
        CC_x86_64_unknown_linux_musl=musl-gcc cargo build --quiet --release --locked --target "$target" -p pathprobe
        binary="target/$target/release/pathprobe"
      else
        # The host target's own directory: the .deb below reuses this build.
        cargo build --quiet --release --locked -p pathprobe
        binary="target/release/pathprobe"
      fi
      name="pathprobe-$version-$target"
      work=$(mktemp -d)
      stage "$work/$name" "$binary"
      cp -r diag/contrib/man diag/contrib/completions "$work/$name/" 2>/dev/null || true
      tar -C "$work" -czf "$out/$name.tar.gz" "$name"
      rm -rf "$work"
      built+=("$name.tar.gz")
      ;;
    x86_64-pc-windows-gnu)
      if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
        echo "dist: skipping $target: mingw-w64 is missing (Debian package gcc-mingw-w64-x86-64)" >&2
        continue
      fi
      rustup target add "$target" >/dev/null
      cargo build --quiet --release --locked --target "$target" -p pathprobe
      name="pathprobe-$version-$target"
      work=$(mktemp -d)
      stage "$work/$name" "target/$target/release/pathprobe.exe"
      (cd "$work" && python3 -m zipfile -c "$out/$name.zip" "$name")
      rm -rf "$work"
      built+=("$name.zip")
      ;;
    deb)
      command -v cargo-deb >/dev/null || cargo install --quiet --locked cargo-deb --version 3.8.0
      deb=$(cargo deb --quiet -p pathprobe --output "$out" | tail -1)
      built+=("$(basename "$deb")")
      ;;
    aarch64-apple-darwin | x86_64-apple-darwin)
      echo "dist: not building $target: rustls' crypto (aws-lc-sys) needs the CoreServices headers and the binary links Security.framework and CoreFoundation (the OS trust store and proxy settings); both come only with Apple's SDK, which is not available on this machine (README \"Platforms\")" >&2
      ;;
    *)
      echo "dist: unknown target $target" >&2
      exit 2
      ;;
  esac
done

cd "$out"
[ ${#built[@]} -gt 0 ] || { echo "dist: nothing built" >&2; exit 1; }
sha256sum "${built[@]}" >SHA256SUMS
sha256sum --check --quiet SHA256SUMS
echo "dist: $(printf '%s ' "${built[@]}")in $out, with SHA256SUMS"
