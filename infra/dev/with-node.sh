#!/usr/bin/env bash
# Runs a command with the Node.js release that .nvmrc names first on PATH, e.g.
# `infra/dev/with-node.sh make test`. The binary is the npm registry's node-linux-<arch> package of
# that exact version, unpacked once under .data/node/<version>/ (no install scripts run).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(tr -d ' \nv' <"$root/.nvmrc")
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "with-node: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac

dir="$root/.data/node/$version"
if [ ! -x "$dir/bin/node" ]; then
  echo "with-node: installing node-linux-$arch@$version into ${dir#"$root"/}" >&2
  tmp=$(mktemp -d)
  npm pack --silent --pack-destination "$tmp" "node-linux-$arch@$version" >/dev/null
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
fi

export PATH="$dir/bin:$PATH"
if [ "$(node --version)" != "v$version" ]; then
  echo "with-node: expected node v$version on PATH, found $(node --version)" >&2
  exit 1
fi
exec "$@"
