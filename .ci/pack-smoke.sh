#!/usr/bin/env bash
# Packs every publishable package the way `pnpm publish` would, installs the tarballs into a scratch project
# outside the workspace (plain npm, registry dependencies), then type-checks and runs the scratch project's
# tests against them. Catches what workspace links hide: missing files, broken exports maps, unbuilt types,
# workspace: specifiers left in a manifest, and README examples that do not work for an outside user.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pnpm build >/dev/null
work="$(mktemp -d "${TMPDIR:-/tmp}/wechat-pack-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tarballs" "$work/project"

for manifest in packages/*/package.json; do
  dir="$(dirname "$manifest")"
  if [ "$(node -p "require('./$manifest').private === true")" = "true" ]; then continue; fi
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
echo "pack-smoke: packed $(ls "$work/tarballs" | wc -l) packages"

cp -r .ci/pack-smoke/project/. "$work/project/"
node .ci/pack-smoke/prepare-project.mjs "$work/project" "$work/tarballs"
cd "$work/project"
npm install --no-audit --no-fund --loglevel=error
node extract-examples.mjs
npm test
