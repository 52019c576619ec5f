"""Where a recalled lesson should sit in the request for a small instruct model to follow it.

Samples answers from the real base (SmolLM2-135M-Instruct) to one held-out request per bench lesson
(test/bench/lessons/correctionSessions.ts) with the lesson placed in different ways, and counts the
answers that follow it with the bench's compliance checks. Lesson texts are hand-written in the
extractor's style (the dayjs one is its exact wording); no placement adds anything but the lesson. Run:
  .venv/bin/python test/bench/lessons/recallPlacement.py [samples per lesson, default 8]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = Path(__file__).resolve().parents[2] / ".models" / "SmolLM2-135M-Instruct"

# (lesson, held-out request, does the answer follow the lesson) - the checks of correctionSessions.ts.
LESSONS = [
    ("Use the shared `parse_iso` helper instead of `strptime`.", "Parse the expiry date string of the coupon record",
     lambda a: "parse_iso" in a and "strptime" not in a),
    ("Use `httpx` instead of `requests` in this project.", "Fetch the customer profile from the accounts HTTP API",
     lambda a: "httpx" in a and not re.search(r"\brequests\b", a)),
    ("Don't use `print` in job code; log progress with `logger.info`.", "Report progress while the export job processes each batch of rows",
     lambda a: re.search(r"logger\.\w+\(", a) and not re.search(r"\bprint\(", a)),
    ("Use `dayjs` instead of `moment`.", "Format the order timestamp as a readable day in the TypeScript dashboard",
     lambda a: "dayjs" in a and "moment" not in a),
    ("Always use parameterised queries with `?` placeholders, never f-strings in SQL.", "Query the orders table for orders by customer id in the sqlite repository",
     lambda a: "?" in a and not re.search(r"f\"SELECT|f\"DELETE|f'SELECT", a)),
]

# The gateway's placement (lessonRecall.ts recallMessage as the system message) and the alternatives tried.
PLACEMENTS = {
    "no lesson": lambda t, r: [{"role": "user", "content": r}],
    "gateway <recall> system message": lambda t, r: [
        {"role": "system", "content": f"Lessons learned from the user's earlier corrections in this project; follow them:\n<recall>\n- {t}\n</recall>"},
        {"role": "user", "content": r}],
    "short system message": lambda t, r: [{"role": "system", "content": f"You are a helpful coding assistant. In this project: {t}"}, {"role": "user", "content": r}],
    "lesson right before the request": lambda t, r: [{"role": "user", "content": f"{t}\n\n{r}"}],
    "lesson right after the request": lambda t, r: [{"role": "user", "content": f"{r}\n\n{t}"}],
}


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModelForCausalLM.from_pretrained(MODEL).eval()
    for name, place in PLACEMENTS.items():
        counts = []
        for lesson, request, follows in LESSONS:
            text = tokenizer.apply_chat_template(place(lesson, request), add_generation_prompt=True, tokenize=False)
            ids = tokenizer(text, return_tensors="pt").input_ids
            with torch.no_grad():
                out = model.generate(ids, do_sample=True, temperature=0.7, max_new_tokens=64, num_return_sequences=samples, pad_token_id=tokenizer.eos_token_id)
            answers = [tokenizer.decode(o[ids.shape[1]:], skip_special_tokens=True) for o in out]
            counts.append(sum(1 for a in answers if follows(a)))
        print(f"{name:34} per lesson {counts}  total {sum(counts)}/{samples * len(LESSONS)}", flush=True)


if __name__ == "__main__":
    main()
