"""The one copy of the base model, and the LoRA adapters attached to it.

Adapters live side by side in a single PEFT wrapper; switching is `set_adapter`, which swaps no weights and
reloads nothing. Client-facing names (e.g. "v1.3") map to internal PEFT names ("served_3"), because PEFT
uses adapter names as module keys, which may not contain dots."""

from __future__ import annotations

import contextlib
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import torch

from .errors import EngineError

ADAPTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$")


@contextlib.contextmanager
def quiet_peft() -> Iterator[None]:
    """PEFT still reads a transformers property that warns it is deprecated; the warning is theirs and
    tells our users nothing."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"`is_gradient_checkpointing` is deprecated", category=FutureWarning)
        # Deleting the active adapter is routine here; the next request activates what it needs.
        warnings.filterwarnings("ignore", message=r"Adapter .* was active which is now deleted", category=UserWarning)
        yield


@dataclass
class ModelHolder:
    model: Any  # the transformers model; LoRA layers are injected into it in place
    tokenizer: Any
    model_id: str
    device: torch.device
    dtype: torch.dtype
    peft: Any = None  # PeftModel wrapping `model` once any adapter exists
    served: dict[str, tuple[str, str]] = field(default_factory=dict)  # public name -> (internal name, path)
    _counter: int = 0

    def _next_internal(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}_{self._counter}"

    def internal_name(self, public: Optional[str]) -> Optional[str]:
        if public is None:
            return None
        if public not in self.served:
            raise EngineError("unknown_adapter", f"no adapter named {public!r} is loaded (see list_adapters)")
        return self.served[public][0]

    def load_adapter(self, public: str, path: str) -> None:
        if not ADAPTER_NAME.match(public):
            raise EngineError("bad_params", "adapter names are 1-128 characters of letters, digits and . _ : + -")
        if public in self.served:
            raise EngineError("adapter_exists", f"adapter {public!r} is already loaded; unload it first")
        internal = self._next_internal("served")
        self._load_saved_adapter(internal, path, trainable=False, what="adapter")
        self.served[public] = (internal, path)

    def unload_adapter(self, public: str) -> None:
        internal = self.internal_name(public)
        del self.served[public]
        self._forget_internal(internal)

    def add_training_adapter(self, lora_config: Any) -> str:
        from peft import get_peft_model

        internal = self._next_internal("train")
        with quiet_peft():
            if self.peft is None:
                self.peft = get_peft_model(self.model, lora_config, adapter_name=internal)
            else:
                self.peft.add_adapter(internal, lora_config)
        self.activate_for_training(internal)
        return internal

    def load_training_adapter(self, path: str) -> str:
        """A trainable copy of a saved adapter, for rounds that continue from the live version."""
        internal = self._next_internal("train")
        self._load_saved_adapter(internal, path, trainable=True, what="init adapter")
        self.activate_for_training(internal)
        return internal

    def _load_saved_adapter(self, internal: str, path: str, trainable: bool, what: str) -> None:
        """Loads the adapter saved at `path` as `internal` (the first one wraps the base in a PeftModel).
        An adapter that does not fit is refused as bad_adapter ("cannot load <what> from ...") and its name released."""
        from peft import PeftModel

        try:
            with quiet_peft():
                if self.peft is None:
                    self.peft = PeftModel.from_pretrained(self.model, path, adapter_name=internal, is_trainable=trainable)
                else:
                    self.peft.load_adapter(path, adapter_name=internal, is_trainable=trainable)
        except (OSError, ValueError, RuntimeError, KeyError) as exc:
            self._forget_internal(internal)
            raise EngineError("bad_adapter", f"cannot load {what} from {path}: {exc}") from exc

    def activate_for_training(self, internal: str) -> None:
        self.peft.set_adapter(internal)
        for name, param in self.model.named_parameters():
            param.requires_grad_(f".{internal}." in name)

    def trainable_parameters(self, internal: str) -> list[torch.nn.Parameter]:
        return [p for n, p in self.model.named_parameters() if f".{internal}." in n]

    def drop_training_adapter(self, internal: str) -> None:
        self._forget_internal(internal)

    def _forget_internal(self, internal: str) -> None:
        if self.peft is None:
            # A failed first load can leave LoRA layers injected with no PeftModel holding them.
            _strip_lora_layers(self.model)
            return
        if internal not in self.peft.peft_config:
            return
        remaining = [name for name in self.peft.peft_config if name != internal]
        if not remaining:
            # Deleting PEFT's last adapter leaves it with no active adapter; unwrapping restores the plain model.
            self.model = self.peft.unload()
            self.peft = None
            _strip_lora_layers(self.model)
            return
        with quiet_peft():
            self.peft.delete_adapter(internal)
        self.peft.set_adapter(remaining[0], inference_mode=True)

    @contextlib.contextmanager
    def serving(self, public: Optional[str]) -> Iterator[Any]:
        """Activates one adapter (or none, for the base model) in eval mode and yields the model to call."""
        internal = self.internal_name(public)
        was_training = self.model.training
        self.model.eval()
        try:
            if self.peft is None:
                yield self.model
            elif internal is None:
                with self.peft.disable_adapter():
                    yield self.model
            else:
                self.peft.set_adapter(internal, inference_mode=True)
                yield self.model
        finally:
            if was_training:
                self.model.train()


def _strip_lora_layers(model: Any) -> None:
    """Puts every adapter-wrapped module back to its base layer (what PEFT's unload does, minus PeftModel)."""
    from peft.tuners.tuners_utils import BaseTunerLayer

    wrapped = [name for name, module in model.named_modules() if isinstance(module, BaseTunerLayer)]
    for name in wrapped:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        module = getattr(parent, child)
        if isinstance(module, BaseTunerLayer):  # an outer wrapper may already have been replaced
            setattr(parent, child, module.get_base_layer())
    if "peft_config" in vars(model):  # left by PeftModel; a later PeftModel would adopt its stale entries
        del model.peft_config
