"""Loading the base model and tokenizer from a model-hub id or a local folder, on the best device available."""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass
from typing import Any, Optional

import torch

from .chat_template import ensure_chat_template
from .errors import EngineError

log = logging.getLogger("engine")


@dataclass
class LoadOptions:
    model: str
    device: str = "auto"  # auto | cpu | cuda
    dtype: str = "auto"  # auto | bf16 | fp32
    load_in_4bit: bool = False
    local_files_only: bool = False


def choose_device(requested: str) -> torch.device:
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise EngineError("device_unavailable", "device 'cuda' was requested but torch sees no CUDA device")
    if requested not in ("cpu", "cuda"):
        raise EngineError("bad_params", '"device" must be "auto", "cpu" or "cuda"')
    return torch.device(requested)


def choose_dtype(requested: str, device: torch.device) -> torch.dtype:
    if requested == "fp32":
        return torch.float32
    if requested == "bf16":
        if device.type == "cuda" and not torch.cuda.is_bf16_supported():
            raise EngineError("dtype_unsupported", "bf16 was requested but this GPU does not support it; use fp32")
        return torch.bfloat16
    if requested != "auto":
        raise EngineError("bad_params", '"dtype" must be "auto", "bf16" or "fp32"')
    # bf16 on GPUs that have it; fp32 elsewhere (fp16 without a loss scaler trains unreliably, and CPU bf16 is slow).
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


def _quantization_config(dtype: torch.dtype, device: torch.device) -> Any:
    if importlib.util.find_spec("bitsandbytes") is None:
        raise EngineError(
            "missing_dependency", "load_in_4bit needs the bitsandbytes package: pip install bitsandbytes"
        )
    if device.type != "cuda":
        raise EngineError("device_unavailable", "load_in_4bit (QLoRA) needs a CUDA GPU")
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=dtype,
    )


@dataclass
class LoadedBase:
    model: Any  # frozen, in eval mode
    tokenizer: Any
    device: torch.device
    dtype: torch.dtype
    fallback_template: bool  # True when the tokenizer had no chat template of its own


def check_load_options(options: LoadOptions) -> None:
    """Everything that can be refused cheaply, checked before an already-loaded model is given up."""
    from transformers import AutoConfig

    device = choose_device(options.device)
    dtype = choose_dtype(options.dtype, device)
    if options.load_in_4bit:
        _quantization_config(dtype, device)
    try:
        AutoConfig.from_pretrained(options.model, local_files_only=_local_only(options))
    except (OSError, ValueError) as exc:
        raise EngineError("model_load_failed", f"could not load model {options.model!r}: {exc}") from exc


def _local_only(options: LoadOptions) -> bool:
    looks_like_path = os.path.isabs(options.model) or options.model.startswith((".", "~"))
    if looks_like_path and not os.path.isdir(options.model):
        raise EngineError("not_found", f"model folder {options.model} does not exist")
    return options.local_files_only or os.path.isdir(options.model)


def load_base_model(options: LoadOptions) -> LoadedBase:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = choose_device(options.device)
    dtype = choose_dtype(options.dtype, device)
    quantization = _quantization_config(dtype, device) if options.load_in_4bit else None
    local_only = _local_only(options)
    try:
        tokenizer = AutoTokenizer.from_pretrained(options.model, local_files_only=local_only)
        kwargs: dict[str, Any] = {"dtype": dtype, "local_files_only": local_only}
        if quantization is not None:
            kwargs["quantization_config"] = quantization
        if device.type == "cuda":
            # Loads weights straight onto the GPU instead of staging a full copy in host memory.
            kwargs["device_map"] = {"": device.index or 0}
        model = AutoModelForCausalLM.from_pretrained(options.model, **kwargs)
    except EngineError:
        raise
    except (OSError, ValueError) as exc:
        raise EngineError("model_load_failed", f"could not load model {options.model!r}: {exc}") from exc
    if device.type != "cuda":
        model.to(device)
    if quantization is not None:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    for param in model.parameters():
        param.requires_grad_(False)
    model.eval()
    fallback = ensure_chat_template(tokenizer)
    if fallback:
        log.info("tokenizer of %s has no chat template; using the engine's fallback template", options.model)
    if tokenizer.pad_token_id is None:
        if tokenizer.eos_token is None:
            raise EngineError("model_load_failed", f"tokenizer of {options.model!r} has neither a pad nor an EOS token")
        tokenizer.pad_token = tokenizer.eos_token
    return LoadedBase(model, tokenizer, device, dtype, fallback)


def count_parameters(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())


def model_device_name(device: torch.device) -> str:
    return "cuda" if device.type == "cuda" else "cpu"


def dtype_name(dtype: torch.dtype) -> str:
    return {torch.bfloat16: "bf16", torch.float32: "fp32", torch.float16: "fp16"}.get(dtype, str(dtype))


def context_limit(model: Any) -> Optional[int]:
    return getattr(model.config, "max_position_embeddings", None)
