"""What goes out of date: facts that change, sources' `checked` dates, and what changed since the article.

Pure queries over the model (no HTML, no I/O except the command line):

    python -m macros.cli stale data/asean_un.yml     # `make stale`: everything to re-check, oldest first

STALE_AFTER_DAYS is the age at which the build prints a notice (never a warning that --strict counts).
One year, because most changing facts here turn over on a yearly cycle: the ASEAN chair rotates every
year, the Security Council's elected members change every 1 January, the General Assembly's session runs
September to September, displacement figures are revised at least once a year. A fact or a
check older than a year has probably missed one such turn.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import ENTITY_SECTIONS, Entity, Event, Fact, SiteData

STALE_AFTER_DAYS = 365


def earliest_day(day: str) -> dt.date:
    """'2024' -> 1 Jan 2024, '2024-10' -> 1 Oct 2024: a partial date is as old as it could be."""
    parts = [int(p) for p in day.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Dated:
    """One thing to re-check: a changing fact (by as_of) or a source (by checked)."""
    kind: str            # "fact" or "source"
    item: str            # entity id (facts) or source id
    what: str            # e.g. "members" or the source's title
    day: str | None      # as_of / checked; None: never checked
    line: int

    def age(self, today: dt.date) -> int | None:
        return (today - earliest_day(self.day)).days if self.day else None

    def describe(self, file: str, today: dt.date) -> str:
        if self.kind == "event":
            return (f"{file}:{self.line}: [{self.item}] scheduled event '{self.what}' on {self.day} has passed: "
                    "check what happened, then drop 'scheduled: true' (or correct the date)")
        when = (("never checked" if self.kind == "source" else "no as_of date") if self.day is None else
                f"{'as of' if self.kind == 'fact' else 'checked'} {self.day} ({self.age(today)} days ago)")
        return f"{file}:{self.line}: [{self.item}] {self.kind} '{self.what}' {when}"


def _oldest_first(items: list[Dated]) -> list[Dated]:
    # never checked first, then by date; a partial date sorts as its earliest day; ties keep file order
    return sorted(items, key=lambda d: (d.day is not None, earliest_day(d.day) if d.day else dt.date.min, d.line))


def changing_facts(data: SiteData) -> list[Dated]:
    """Facts under keys marked `changes: true`, oldest as_of first."""
    changes = {k.id for k in data.fact_keys if k.changes}
    return _oldest_first([Dated("fact", ent.id, f.key, f.as_of, f.line)
                          for section in ENTITY_SECTIONS for ent in getattr(data, section)
                          for f in ent.facts if f.key in changes])


def sources_by_checked(data: SiteData) -> list[Dated]:
    """Every source, never-checked first, then oldest `checked` first."""
    return _oldest_first([Dated("source", s.id, s.title, s.checked, s.line) for s in data.sources])


def open_questions(data: SiteData) -> list[Dated]:
    """What the site could not verify, oldest `checked` first: each is worth another look."""
    return _oldest_first([Dated("open question", q.id, q.question, q.checked, q.line) for q in data.open_questions])


def passed_scheduled(data: SiteData, today: dt.date) -> list[Dated]:
    """Events marked `scheduled: true` whose day has passed (a notice, not an error: the build goes on)."""
    from .dates import last_day
    return [Dated("event", e.id, e.title, e.date, e.line) for e in data.events
            if e.scheduled and last_day(e.date) < today]


def stale(data: SiteData, today: dt.date, days: int = STALE_AFTER_DAYS) -> list[Dated]:
    """Changing facts and sources older than `days` (or never checked), and scheduled events whose day has
    passed; oldest first."""
    return _oldest_first([d for d in [*changing_facts(data), *sources_by_checked(data)]
                          if d.day is None or d.age(today) > days] + passed_scheduled(data, today))


def stale_notice(data: SiteData, file: str, today: dt.date, days: int = STALE_AFTER_DAYS) -> str | None:
    """One line for the build log, or None when nothing is older than `days`."""
    old = stale(data, today, days)
    if not old:
        return None
    facts = sum(d.kind == "fact" for d in old)
    events = sum(d.kind == "event" for d in old)
    passed = f" and {events} scheduled event(s) have passed" if events else ""
    return (f"STALE   -  {facts} changing fact(s) and {len(old) - facts - events} source(s) are over {days} days old "
            f"or never checked{passed}; oldest: {old[0].describe(file, today)}. `make stale` lists them all")


# --- what changed since the article (for /changes/) ------------------------------------------------------


def events_after(data: SiteData, day: str) -> list[Event]:
    """Events dated after `day`, by date. A partial date counts as after only if it cannot be earlier
    ('2024-10' is not after 2024-10-11; '2024-11' is)."""
    cutoff = dt.date.fromisoformat(day)
    return sorted((e for e in data.events if earliest_day(e.date) > cutoff), key=lambda e: e.date)
