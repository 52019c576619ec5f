#!/usr/bin/env bash
# Agent CLIs the gateway tests drive against the real trainer-server, installed from the npm registry
# into test/.clients (ignored by git; about 420 MB for Codex's native binary, so not a devDependency
# every checkout pays for). Pinned: a release that changes what the CLI sends is a deliberate bump.
# Prints the path of the codex launcher. A no-op once installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
CODEX_VERSION=0.171.0
DIR=test/.clients/codex-$CODEX_VERSION
BIN=$DIR/node_modules/.bin/codex
if ! [ -x "$BIN" ] || ! "$BIN" --version 2>/dev/null | grep -q "$CODEX_VERSION"; then
  mkdir -p "$DIR"
  [ -f "$DIR/package.json" ] || echo '{"name":"autodidact-test-clients","private":true}' > "$DIR/package.json"
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "@openai/codex@$CODEX_VERSION" >&2
fi
echo "$PWD/$BIN"
