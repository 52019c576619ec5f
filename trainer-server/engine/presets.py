"""Named training settings a round can ask for with config.preset; its other keys override the preset.

"seed000" is seed 000's recipe (q/v rank 8, lr 1e-5, 1 epoch, no replay), kept so a user can pick it.
"default" is the setting that measured best on the real base (engine.settings_sweep; figures and what they
did not settle in SETTINGS.md): all-linear rank 8, lr 5e-4, 3 epochs, with 30% replay learnt by KL to the
parent (self-distillation, weight 4), the one setting measured that makes generated answers to unseen requests
follow a taught convention AND passes the gate's canary bound. It is TrainConfig's own defaults, so a round
without a preset gets it."""

from __future__ import annotations

from typing import Any

PRESETS: dict[str, dict[str, Any]] = {
    "seed000": {
        "rank": 8,
        "alpha": 16,
        "learning_rate": 1e-5,
        "epochs": 1,
        "target_modules": "auto",
        "replay_share": 0.0,
    },
    "default": {},
}
