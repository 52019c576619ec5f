"""Comparing generated answers: with the held-out reference answer, and with the parent's answer.

Agreement with the reference is the share of the reference's key terms that the generated answer also
uses. For code the key terms are what a project convention changes: imported modules and names, and the
functions, methods and classes called or defined. A model that learnt "HTTP goes through
app.http.fetch_json" gains `app.http` and `fetch_json` and scores higher, whatever the variable names or
comments; teacher-forced loss cannot tell whether the model would actually write them. Answers without
code fall back to their content words.

Similarity to the parent is a word-level sequence ratio (difflib), 1.0 for identical answers: the canary
compares the candidate's greedy answer to a general request with the parent's own."""

from __future__ import annotations

import difflib
import re
from typing import Optional

_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_PY_FROM = re.compile(r"^\s*from\s+([\w.]+)\s+import[ \t]+\(?([\w \t,]+)", re.M)
_PY_IMPORT = re.compile(r"^\s*import\s+([\w.]+(?:\s*,\s*[\w.]+)*)", re.M)
_JS_IMPORT = re.compile(r"""(?:from|require\()\s*['"]([^'"]+)['"]""")
_DEFINED = re.compile(r"\b(?:def|class|function)\s+([A-Za-z_]\w*)")
_CALLED = re.compile(r"\b([A-Za-z_][\w.]*)\s*\(")
_RAISED = re.compile(r"\b(?:raise|throw new)\s+([A-Za-z_]\w*)")
_WORD = re.compile(r"[a-z]{4,}")
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Called "functions" that are language keywords or too common to say anything about a convention.
_NOT_TERMS = {"if", "import", "from", "raise", "for", "while", "return", "print", "with", "elif", "and", "or", "not", "in", "def", "class", "function", "self", "str", "int", "dict", "list", "len"}


def code_of(text: str) -> str:
    """The code in an answer: fenced blocks, else inline code, else the whole text when it looks like code."""
    blocks = _FENCE.findall(text)
    if blocks:
        return "\n".join(blocks)
    inline = _INLINE.findall(text)
    if inline:
        return "\n".join(inline)
    return text if re.search(r"^\s*(?:def |class |import |from \S+ import |function |const |let )", text, re.M) else ""


def key_terms(text: str) -> set[str]:
    code = code_of(text)
    if not code:
        return set(_WORD.findall(text.lower()))
    terms: set[str] = set()
    for module, names in _PY_FROM.findall(code):
        terms.add(module)
        terms.update(n.strip() for n in names.replace("\n", ",").split(",") if n.strip())
    for modules in _PY_IMPORT.findall(code):
        terms.update(m.strip() for m in modules.split(","))
    terms.update(_JS_IMPORT.findall(code))
    terms.update(_DEFINED.findall(code))
    terms.update(_RAISED.findall(code))
    for called in _CALLED.findall(code):
        last = called.rsplit(".", 1)[-1]
        if last not in _NOT_TERMS:
            terms.add(last)
    return {t for t in terms if t and t not in _NOT_TERMS}


def agreement(reference: str, generated: str) -> Optional[float]:
    """Share of the reference's key terms present in the generated answer's; None if it has none."""
    wanted = key_terms(reference)
    if not wanted:
        return None
    return len(wanted & key_terms(generated)) / len(wanted)


def similarity(parent: str, candidate: str) -> float:
    a, b = _TOKEN.findall(parent), _TOKEN.findall(candidate)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
