"""Where a recalled lesson should sit in the request for a small instruct model to follow it.

Samples answers from the real base (SmolLM2-135M-Instruct) to one held-out request per bench lesson
(test/bench/lessons/correctionSessions.ts) with the lesson placed in different ways, and counts the
answers that follow it with the bench's compliance checks. Lesson texts are hand-written in the
extractor's style (the dayjs one is its exact wording); no placement adds anything but the lesson and, where it
says so, the worked example lessonExample.ts keeps from the correction (the request and the accepted fix). Run:
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

# Each lesson's worked example as lessonExample.ts keeps it: the request the assistant got wrong in the
# bench session and the code of the fix the user accepted (correctionSessions.ts).
EXAMPLES = [
    ("Parse the updated date string in the webhook payload",
     '```python\nfrom app.dates import parse_iso\n\ndef updated_at(body):\n    return parse_iso(body["updated"])\n```'),
    ("Fetch the list of open orders from the billing HTTP API",
     '```python\nimport httpx\n\ndef open_orders(base):\n    return httpx.get(f"{base}/orders?state=open", timeout=10).json()\n```'),
    ("Report progress while the import job processes each batch",
     '```python\nimport logging\nlogger = logging.getLogger(__name__)\n\ndef run(batches):\n    for i, batch in enumerate(batches):\n        logger.info("batch %d", i)\n        process(batch)\n```'),
    ("Format the invoice due timestamp as a readable day in the TypeScript report",
     "```ts\nimport dayjs from 'dayjs';\n\nexport const due = (ts: number) => dayjs(ts).format('D MMM YYYY');\n```"),
    ("Query the users table for a user by email in the sqlite repository",
     '```python\ndef by_email(db, email):\n    return db.execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone()\n```'),
]


def recall_block(lesson: str) -> str:
    return f"Lessons learned from the user's earlier corrections in this project; follow them:\n<recall>\n- {lesson}\n</recall>"


def answer_code(answer: str) -> str:
    """What the answer does: its code blocks (one cut off by the token limit counts to the end), else all of it (lessonAdvantage.ts answerCode)."""
    parts = answer.split("```")
    if len(parts) < 2:
        return answer
    return "\n".join(re.sub(r"^[^\n]*\n?", "", block) for block in parts[1::2])


# The gateway's placement (lessonRecall.ts messagesWithRecall) and the alternatives tried; each takes the lesson's index.
PLACEMENTS = {
    "no lesson": lambda i, t, r: [{"role": "user", "content": r}],
    "gateway: <recall> + worked example": lambda i, t, r: [
        {"role": "system", "content": recall_block(t)},
        {"role": "user", "content": EXAMPLES[i][0]}, {"role": "assistant", "content": EXAMPLES[i][1]},
        {"role": "user", "content": r}],
    "<recall> system message only": lambda i, t, r: [{"role": "system", "content": recall_block(t)}, {"role": "user", "content": r}],
    "example in the system message": lambda i, t, r: [
        {"role": "system", "content": f"{recall_block(t)}\nExample of the accepted fix:\n{EXAMPLES[i][1]}"}, {"role": "user", "content": r}],
    "worked example, no rule": lambda i, t, r: [
        {"role": "user", "content": EXAMPLES[i][0]}, {"role": "assistant", "content": EXAMPLES[i][1]}, {"role": "user", "content": r}],
    "short system message": lambda i, t, r: [{"role": "system", "content": f"You are a helpful coding assistant. In this project: {t}"}, {"role": "user", "content": r}],
    "lesson right before the request": lambda i, t, r: [{"role": "user", "content": f"{t}\n\n{r}"}],
}


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModelForCausalLM.from_pretrained(MODEL).eval()
    for name, place in PLACEMENTS.items():
        counts = []
        for index, (lesson, request, follows) in enumerate(LESSONS):
            text = tokenizer.apply_chat_template(place(index, lesson, request), add_generation_prompt=True, tokenize=False)
            ids = tokenizer(text, return_tensors="pt").input_ids
            with torch.no_grad():
                out = model.generate(ids, do_sample=True, temperature=0.7, max_new_tokens=64, num_return_sequences=samples, pad_token_id=tokenizer.eos_token_id)
            answers = [tokenizer.decode(o[ids.shape[1]:], skip_special_tokens=True) for o in out]
            counts.append(sum(1 for a in answers if follows(answer_code(a))))
        print(f"{name:36} per lesson {counts}  total {sum(counts)}/{samples * len(LESSONS)}", flush=True)


if __name__ == "__main__":
    main()
