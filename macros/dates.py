"""Dates and references that make sense: nothing is checked, true or done after the day the site is built,
an old value predates the current one, and every ¶ cited exists in the article. Pure (today is a parameter).

Rules (data/README.md explains them to editors):
  future      a source's `checked`, a fact's `as_of` (and its `then`'s), a membership's `as_of`, a member's
              `since`, an event's or a vote's `date` may not be after the build date (`site.build_date()`:
              today, or the day of SOURCE_DATE_EPOCH). An event still to come says `scheduled: true` (and is
              shown as scheduled); the build prints a notice once a scheduled event's day has passed.
  then        a fact's `then.as_of` is before its `as_of` (a partial date may mean any day it covers)
  paragraph   a `pin` such as '¶5' or '¶¶3–5' on a citation of the article names a paragraph it has
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .errors import SiteError
from .freshness import earliest_day
from .model import ENTITY_SECTIONS, SiteData

# '¶5', '¶ 5', '¶¶3–5', '¶3-¶5', '¶5, ¶10': every paragraph number a pin names
_PARA = re.compile(r"¶+\s*(\d+)(?:\s*[–—-]\s*¶?\s*(\d+))?")


def last_day(day: str) -> dt.date:
    """'2025' -> 31 Dec 2025, '2025-02' -> 28 Feb 2025: the latest day a partial date can mean."""
    import calendar
    parts = [int(p) for p in day.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    year, month = parts[0], parts[1] if len(parts) == 2 else 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def paragraphs_named(pin: str | None) -> list[int]:
    """Every paragraph number a pin names ('¶3–5' -> [3, 5]: the ends of a range are enough to check)."""
    if not pin:
        return []
    out = []
    for m in _PARA.finditer(pin):
        out += [int(m.group(1))] + ([int(m.group(2))] if m.group(2) else [])
    return out


def _dated(data: SiteData) -> Iterator[tuple[str, str, object, str]]:
    """(what, day, record, item id) for every day the data says has happened."""
    for src in data.sources:
        if src.checked:
            yield "checked", src.checked, src, src.id
    for section in ENTITY_SECTIONS:
        for ent in getattr(data, section):
            for fact in ent.facts:
                if fact.as_of:
                    yield f"as_of of fact '{fact.key}'", fact.as_of, fact, ent.id
                if fact.then:
                    yield f"then.as_of of fact '{fact.key}'", fact.then.as_of, fact.then if fact.then.line else fact, ent.id
    for ev in data.events:
        if not ev.scheduled:
            yield "event date", ev.date, ev, ev.id
    for ms in data.memberships:
        yield f"as_of of the membership of '{ms.body}'", ms.as_of, ms, ms.body
        for m in ms.members:
            if m.since:
                yield f"since of member '{m.state}'", m.since, m, ms.body
    for vote in data.votes:
        yield "vote date", vote.date, vote, vote.id


def problems(data: SiteData, file: str, today: dt.date) -> list[SiteError]:
    """Every date or paragraph reference that cannot be right, in file order."""
    out: list[SiteError] = []

    def fail(what, record, item, hint):
        out.append(SiteError(what, file=file, line=getattr(record, "line", 0) or None, item=item, hint=hint))

    for what, day, record, item in _dated(data):
        if earliest_day(day) > today:
            hint = ("an event still to come says 'scheduled: true' (it is shown as scheduled)"
                    if what == "event date" else
                    "write the day it really was (a source's own date, the day a person checked it); "
                    "a date cannot be in the future")
            fail(f"{what} {day} is after the build date ({today.isoformat()})", record, item, hint)
    for section in ENTITY_SECTIONS:
        for ent in getattr(data, section):
            for fact in ent.facts:
                if fact.then and fact.as_of and earliest_day(fact.then.as_of) >= last_day(fact.as_of):
                    fail(f"the old value of fact '{fact.key}' (then.as_of {fact.then.as_of}) is not before the "
                         f"current one (as_of {fact.as_of})", fact.then if fact.then.line else fact, ent.id,
                         "'then' is what held when the article was written: its as_of comes first")
    art = data.article
    if art is not None:
        for cite, item in article_cites(data):
            for n in paragraphs_named(cite.pin):
                if not 1 <= n <= art.paragraphs:
                    fail(f"pin '{cite.pin}' cites ¶{n}, but the article has {art.paragraphs} paragraphs", cite,
                         item, f"use a paragraph number from 1 to {art.paragraphs}")
    return sorted(out, key=lambda e: e.line or 0)


def article_cites(data: SiteData) -> Iterator[tuple[object, str]]:
    """(citation, item id) for every citation of the article's own source in the data."""
    art = data.article
    if art is None:
        return
    for section in ENTITY_SECTIONS:
        for ent in getattr(data, section):
            for cite in [*ent.facts, *(f.then for f in ent.facts if f.then), *ent.notes]:
                if cite.source == art.source:
                    yield cite, ent.id
    for rec in [*data.events, *data.glossary]:
        if rec.source == art.source:
            yield rec, rec.id
    for mat in data.matrices:
        for cell in mat.cells:
            if cell.source == art.source:
                yield cell, mat.id


def enforce(data: SiteData, file: str, today: dt.date) -> None:
    found = problems(data, file, today)
    if found:
        first = found[0]
        more = f" (and {len(found) - 1} more date or paragraph problem(s))" if len(found) > 1 else ""
        raise SiteError(first.what + more, file=first.file, line=first.line, item=first.item, hint=first.hint)


def check_page_pin(data: SiteData, source_id: str, pin: str | None, where: str) -> None:
    """cite('<the article>', '¶17') on a page: the paragraph must exist (raised at the page's line)."""
    art = data.article
    if art is None or source_id != art.source:
        return
    for n in paragraphs_named(pin):
        if not 1 <= n <= art.paragraphs:
            raise SiteError(f"cite('{source_id}', '{pin}') cites ¶{n}, but the article has {art.paragraphs} "
                            "paragraphs", file=where, hint=f"use a paragraph number from 1 to {art.paragraphs}")
