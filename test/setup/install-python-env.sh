#!/usr/bin/env bash
# The engine's Python environment in .venv. torch is pinned to the CPU build available locally
# (any other torch spec pulls gigabytes of CUDA wheels); the rest comes from requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQ=trainer-server/engine/requirements.txt
STAMP=.venv/.requirements.sha256
[ -x .venv/bin/python ] || python3 -m venv .venv
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && .venv/bin/python -c 'import torch, transformers, peft' 2>/dev/null; then
  echo "python environment up to date"; exit 0
fi
.venv/bin/pip install -q --upgrade pip
.venv/bin/python -c 'import torch' 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -r "$REQ"
echo "$want" > "$STAMP"
