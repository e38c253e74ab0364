#!/usr/bin/env bash
# Installs the toolchain this repository needs (Node 24 LTS and pnpm) without root and without
# any download outside the npm registry, then puts it first on PATH. Meant to be sourced:
#   source .ci/toolchain.sh
# Idempotent: a second run finds everything in the cache and only adjusts PATH.
set -euo pipefail

NODE_VERSION="${WECHAT_CI_NODE_VERSION:-24.21.0}"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../package.json")"
CACHE_DIR="${WECHAT_CI_CACHE:-$HOME/.cache/wechat-bridge}"
mkdir -p "$CACHE_DIR"

node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 24 ]; then
  node_dir="$CACHE_DIR/node-v$NODE_VERSION"
  if [ ! -x "$node_dir/bin/node" ]; then
    echo "toolchain: installing Node $NODE_VERSION from the npm registry into $node_dir" >&2
    tmp="$(mktemp -d)"
    # The node-linux-<arch> packages carry the official binary inside the tarball: no postinstall download.
    arch="$(uname -m)"; case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
    mkdir -p "$node_dir"
    tar -xzf "$tmp"/node-linux-*.tgz -C "$node_dir" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
fi

pnpm_dir="$CACHE_DIR/pnpm-$PNPM_VERSION"
if [ ! -x "$pnpm_dir/bin/pnpm" ]; then
  echo "toolchain: installing pnpm $PNPM_VERSION into $pnpm_dir" >&2
  npm install --silent --global --prefix "$pnpm_dir" "pnpm@$PNPM_VERSION" >/dev/null
fi
export PATH="$pnpm_dir/bin:$PATH"
echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
