"""Feeds of what changed since the article: an Atom feed and a JSON Feed, both made from the data alone.

Three kinds of entry, each from its one record:

* a changed fact (a fact with a `then`): what held when the article was written and what holds now, dated by the
  new value's `as_of`, linked to the entity's page;
* an event after the article's cut-off, dated by the event, linked to its place on the timeline;
* a correction, dated by the day it was made, linked to the page (and section) the error was on.

`changes()` is a pure query over the catalog; `atom()` and `json_feed()` are pure functions of the entries and the
site's absolute address. Feed readers fetch a feed out of context, so feeds need absolute addresses: they are
written only when `site_url` is set (macros/publish.py). An entry's id is its permanent address on the site
(the page and an anchor), so it never changes when the wording does.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from . import freshness
from .catalog import Catalog
from .render import CHANGES_PAGE, fmt_date

ATOM_PATH = "changes.atom"
JSON_PATH = "changes.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Change:
    kind: str       # "fact", "event" or "correction"
    key: str        # unique among entries: the anchor part of its id
    day: str        # ISO date, possibly partial ('2025-10')
    title: str      # plain text
    text: str       # plain text
    url: str        # site-relative address of the page it concerns (with an anchor where there is one)
    source: str     # the source's title (every entry is cited)

    @property
    def when(self) -> dt.datetime:
        """Midnight UTC of the day (a partial date: its first day)."""
        return dt.datetime.combine(freshness.earliest_day(self.day), dt.time(), dt.timezone.utc)


def changes(cat: Catalog) -> list[Change]:
    """Every change since the article, newest first (ties: corrections, then facts, then events; then by key)."""
    out: list[Change] = []
    for placed in cat.entities.values():
        ent = placed.entity
        for fact in cat.facts[ent.id]:
            if not fact.then:
                continue
            label = cat.fact_keys[fact.key].label
            out.append(Change(
                "fact", f"fact-{ent.id}-{fact.key}-{fact.as_of or fact.then.as_of}", fact.as_of or fact.then.as_of,
                f"{ent.label}: {label} has changed",
                f"When the article was written: {fact.then.value} (as of {fmt_date(fact.then.as_of)}). "
                f"Now: {fact.value}" + (f" (as of {fmt_date(fact.as_of)})." if fact.as_of else "."),
                placed.url, cat.sources[fact.source].title))
    if cat.data.article is not None:
        for ev in freshness.events_after(cat.data, cat.data.article.cutoff):
            out.append(Change("event", f"ev-{ev.id}", ev.date, ev.title, ev.summary,
                              cat.url_of(f"timeline.md#ev-{ev.id}"), cat.sources[ev.source].title))
    for fix in cat.corrections.values():
        out.append(Change("correction", f"fix-{fix.id}", fix.date, f"Correction: {cat.page_title(fix.page.partition('#')[0])}",
                          f"What was wrong: {fix.wrong} What is right: {fix.right}", cat.url_of(fix.page),
                          cat.sources[fix.source].title))
    order = {"correction": 0, "fact": 1, "event": 2}
    return sorted(out, key=lambda c: (-c.when.timestamp(), order[c.kind], c.key))


def _absolute(site_url: str, url: str) -> str:
    return site_url.rstrip("/") + "/" + url


def entry_id(site_url: str, cat: Catalog, change: Change) -> str:
    """The entry's permanent id: its anchor on the changes page (where every kind of change is listed)."""
    return _absolute(site_url, cat.url_of(CHANGES_PAGE)) + "#" + change.key


def atom(cat: Catalog, site_name: str, site_url: str, entries: list[Change]) -> bytes:
    """The Atom 1.0 feed (RFC 4287), made with feedgen; `updated` is the newest entry's day (not the build's)."""
    from feedgen.feed import FeedGenerator
    fg = FeedGenerator()
    fg.id(_absolute(site_url, ATOM_PATH))
    fg.title(f"{site_name}: what has changed")
    fg.subtitle("Facts that changed since the article, events after it, and corrections to this site.")
    fg.author({"name": f"The editors of {site_name}"})
    fg.link(href=_absolute(site_url, cat.url_of(CHANGES_PAGE)), rel="alternate", type="text/html")
    fg.link(href=_absolute(site_url, ATOM_PATH), rel="self", type="application/atom+xml")
    fg.rights("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")
    fg.language("en")
    fg.generator("feedgen")
    for change in reversed(entries):          # feedgen prepends: add oldest first to keep newest first
        fe = fg.add_entry()
        fe.id(entry_id(site_url, cat, change))
        fe.title(change.title)
        fe.link(href=_absolute(site_url, change.url), rel="alternate", type="text/html")
        fe.updated(change.when)
        fe.published(change.when)
        fe.summary(f"{change.text} Source: {change.source}.")
        fe.category(term=change.kind)
    fg.updated(entries[0].when if entries else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    return fg.atom_str(pretty=True)


def json_feed(cat: Catalog, site_name: str, site_url: str, entries: list[Change]) -> str:
    """The JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the same entries as the Atom feed."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": f"{site_name}: what has changed",
        "home_page_url": _absolute(site_url, cat.url_of(CHANGES_PAGE)),
        "feed_url": _absolute(site_url, JSON_PATH),
        "description": "Facts that changed since the article, events after it, and corrections to this site.",
        "language": "en",
        "authors": [{"name": f"The editors of {site_name}"}],
        "items": [{
            "id": entry_id(site_url, cat, c),
            "url": _absolute(site_url, c.url),
            "title": c.title,
            "content_text": f"{c.text} Source: {c.source}.",
            "date_published": c.when.isoformat().replace("+00:00", "Z"),
            "tags": [c.kind],
        } for c in entries],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
