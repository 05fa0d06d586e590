#!/usr/bin/env bash
# Makes a fresh clone runnable: Node 20+, the pnpm pinned in package.json, the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "bootstrap: Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# "packageManager": "pnpm@X.Y.Z" is the one place the version is written.
pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "bootstrap: installing pnpm@$pnpm_version (npm i -g; corepack fails signature checks on some registries)"
  npm install --global --no-fund --no-audit "pnpm@$pnpm_version"
fi

pnpm install --frozen-lockfile
