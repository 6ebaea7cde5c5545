"""Self-check: a page's answers to its teaching questions, and the packages teachers import them with.

A page's front matter pairs `answers:` with `questions:`, one for one, in the same order. An answer is short,
drawn from what the page already says, and either plain text (a discussion answer that states no fact) or a
mapping whose `cite` names the evidence the way cite() does on a page, a source and one of its passages:

    answers:
      - text: Nine of the fifteen votes, with no permanent member voting against.
        cite: [un-charter, art-27-3]            # or a list of such pairs
      - A discussion answer that states no fact needs no citation.

The page scan checks them (count, shape, every source and passage) with the page's file and line; render.py shows
them behind <details> (no script), the page's print view ends with them as an answer key, /teaching/ collects
them, and macros/publish.py exports them as a QTI 2.1 package and the reading paths as an IMS Common Cartridge.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import SiteError

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class Answer:
    text: str
    cites: tuple[tuple[str, str], ...] = ()     # (source id, passage id)


@functools.lru_cache(maxsize=4096)     # pure; asked for every answer of every page on every rebuild
def line_of(text: str, key: str, index: int | None = None) -> int:
    """The file line of front-matter `key:` (or of its index-th list item) in the page's text."""
    front = _FRONT.match(text)
    rows = front.group(1).splitlines() if front else []
    at = next((n for n, row in enumerate(rows) if row.startswith(f"{key}:")), None)
    if at is None:
        return 1
    items, indent = [], None
    for n in range(at + 1, len(rows)):
        if rows[n] and not rows[n][0].isspace():
            break
        m = re.match(r"(\s*)- ", rows[n])
        if m and (indent is None or len(m.group(1)) == indent):
            indent = len(m.group(1))
            items.append(n)
    n = items[index] if index is not None and index < len(items) else at
    return n + 2            # rows[0] is the file's line 2 (line 1 is the opening ---)


def answers_of(meta: dict, file: str, text: str) -> list[Answer]:
    """The page's answers, checked for shape: none, or one per question."""
    raw, questions = meta.get("answers"), meta.get("questions") or []
    if raw is None:
        return []
    where = {"file": file, "line": line_of(text, "answers")}
    if not isinstance(raw, list):
        raise SiteError("'answers' must be a list, one answer per question", **where,
                        hint="write '- ' before each answer, in the order of 'questions'")
    if len(raw) != len(questions):
        raise SiteError(f"{len(raw)} answers for {len(questions)} questions", **where,
                        hint="give one answer per question, in the same order (a discussion answer may be plain text)")
    out = []
    for i, item in enumerate(raw):
        at = {"file": file, "line": line_of(text, "answers", i)}
        if isinstance(item, str) and item.strip():
            out.append(Answer(item.strip()))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip() \
                or set(item) - {"text", "cite"}:
            raise SiteError(f"answer {i + 1} is not text or a mapping of 'text' and 'cite'", **at,
                            hint="write the answer as text, or as text: … with cite: [source-id, passage-id]")
        cite = item.get("cite") or []
        pairs = [cite] if cite and all(isinstance(c, str) for c in cite) else cite
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs):
            raise SiteError(f"the cite of answer {i + 1} is not [source-id, passage-id]", **at,
                            hint="name a source and one of its passages, e.g. cite: [un-charter, art-27-3]")
        out.append(Answer(item["text"].strip(), tuple((s, p) for s, p in pairs)))
    return out


def check(cat, file: str, meta: dict, text: str) -> list[Answer]:
    """answers_of(), plus every cited source and passage exists (located at the answer's line)."""
    answers = answers_of(meta, file, text)
    for i, answer in enumerate(answers):
        for source, passage in answer.cites:
            at = {"file": file, "line": line_of(text, "answers", i)}
            if source not in cat.sources:
                raise SiteError(f"unknown source id '{source}' in the cite of answer {i + 1}", **at,
                                hint=cat.suggest(source, "sources"))
            if (source, passage) not in cat.passages:
                raise SiteError(f"unknown passage '{passage}' of source '{source}' in the cite of answer {i + 1}",
                                **at, hint=cat.passage_hint(source, passage))
    return answers


def evidence(cat, source: str, passage: str) -> str:
    """'Charter of the United Nations, Art. 27(3)': the source and the passage's locator, as plain text."""
    at = cat.passages[(source, passage)].at
    return cat.sources[source].title + (f", {at}" if at else "")


def answer_key(cat, meta: dict) -> list[dict]:
    """The page's answer key for print: question, answer and its sources written out (no [n] markers)."""
    answers = answers_of(meta, "?", "")
    return [{"n": n, "question": str(q), "answer": a.text,
             "sources": "; ".join(evidence(cat, s, p) for s, p in a.cites)}
            for n, (q, a) in enumerate(zip(meta.get("questions") or [], answers), 1)]
