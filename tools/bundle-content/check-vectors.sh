#!/usr/bin/env bash
# Runs every JSON test vector of a bundle through `opa eval` (and, with --wasm, opa-wasm).
# Usage: bash tools/bundle-content/check-vectors.sh [bundle dir] [--wasm]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../with-env" node "$here/check-vectors.ts" "$@"
