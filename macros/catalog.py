"""Indexes over the validated data, every cross-reference resolved. No HTML here."""
from __future__ import annotations

import functools

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from . import names
from .errors import SiteError, did_you_mean
from .model import ENTITY_SECTIONS, GLANCE_WORDS, Cite, Entity, Event, Fact, SiteData, Term, Then, per_data_object


def page_url(path: str, directory_urls: bool = True) -> str:
    """docs-relative Markdown path (+#anchor) -> site-relative URL, as MkDocs makes it ('' is home)."""
    path, _, anchor = path.partition("#")
    stem = path[:-3] if path.endswith(".md") else path
    if not directory_urls:
        url = stem + ".html"
    elif stem == "index":
        url = ""
    elif stem.endswith("/index"):
        url = stem[: -len("index")]
    else:
        url = stem + "/"
    return url + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=16384)   # pure, and asked for the same pairs again and again (every tooltip link)
def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page at from_url to to_url (both site-relative), so any base path works."""
    to_path, _, anchor = to_url.partition("#")
    start = posixpath.dirname(from_url.rstrip("/")) if not from_url.endswith("/") else from_url
    rel = posixpath.relpath(to_path or ".", start or ".")
    is_dir = to_path == "" or to_path.endswith("/")
    rel = "./" if rel == "." else rel + ("/" if is_dir and not rel.endswith("/") else "")
    return rel + (f"#{anchor}" if anchor else "")


# Each pool as a kind of id, and the macro that links one ("'asean' is an entity: use ref('asean')").
ID_KINDS = {"terms": ("a glossary term", "term"), "entities": ("an entity", "ref"),
            "sources": ("a source", "cite"), "comparisons": ("a comparison", "compare"),
            "matrices": ("a matrix", "matrix")}


@dataclass(frozen=True)
class Placed:
    """An entity with the section it came from, the page it lives on and that page's URL."""
    entity: Entity
    section: str
    page: str
    url: str


@dataclass(frozen=True, eq=False)        # compared and hashed by identity
class Catalog:
    """Everything the renderers read, complete when build_catalog() returns it; its mappings are read-only."""
    data: SiteData
    file: str
    directory_urls: bool = True
    sources: Mapping = field(default_factory=dict)
    publishers: Mapping = field(default_factory=dict)   # id -> Publisher (macros/policy.py checks the registry)
    fact_keys: Mapping = field(default_factory=dict)
    entities: Mapping[str, Placed] = field(default_factory=dict)
    terms: Mapping[str, Term] = field(default_factory=dict)
    events: Mapping[str, Event] = field(default_factory=dict)
    comparisons: Mapping = field(default_factory=dict)
    matrices: Mapping = field(default_factory=dict)
    used_on: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> pages whose term()/ref() name it
    page_titles: Mapping[str, str] = field(default_factory=dict)
    page_meta: Mapping[str, dict] = field(default_factory=dict)
    events_by_entity: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)   # sorted by date
    referrers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)           # who lists an id as related
    states: Mapping = field(default_factory=dict)
    votes: Mapping = field(default_factory=dict)
    figures: Mapping = field(default_factory=dict)      # figure id -> its words (title, caption, legend)
    corrections: Mapping = field(default_factory=dict)  # correction id -> Correction (errata, newest first)
    geo: Mapping | None = None      # the projected maps and places (site.load_geo), if loaded
    passages: Mapping = field(default_factory=dict)      # (source id, passage id) -> Passage
    facts: Mapping[str, tuple[Fact, ...]] = field(default_factory=dict)   # entity id -> its facts, derived first
    page_citations: tuple = ()      # evidence.Citation of every cite() on the pages (from the page scan)

    def fail(self, what: str, record, hint: str | None = None) -> SiteError:
        return SiteError(what, file=self.file, line=getattr(record, "line", None) or None,
                         item=getattr(record, "id", None), hint=hint)

    # --- look-ups used by render and by the page checks -------------------------------------------
    def url_of(self, path: str) -> str:
        return page_url(path, self.directory_urls)

    def events_for(self, ident: str | None = None) -> list[Event]:
        if ident is None:
            return sorted(self.data.events, key=lambda e: e.date)
        return list(self.events_by_entity.get(ident, ()))

    def related_to(self, ident: str) -> list[Placed]:
        """Entities this one lists as related, plus those that list it (both directions)."""
        own = self.entities[ident].entity.related
        back = self.referrers.get(ident, [])
        seen: dict[str, Placed] = {}
        for rid in [*own, *back]:
            if rid != ident and rid in self.entities:
                seen.setdefault(rid, self.entities[rid])
        return list(seen.values())

    def suggest(self, ident: object, pool_name: str) -> str:
        """What to write instead of an id that is not in the pool a macro draws from: the macro that
        takes it when it is another kind of id ('asean' is an entity: use ref('asean')), else the
        closest id of the right kind."""
        if not isinstance(ident, str):
            return f"ids are quoted strings, e.g. '{ident}'"
        for other, (what, macro) in ID_KINDS.items():
            if other != pool_name and ident in getattr(self, other):
                return f"'{ident}' is {what}: use {macro}('{ident}')"
        return did_you_mean(ident, getattr(self, pool_name)) or "check the id in data/asean_un.yml"

    def passage_hint(self, source: str, passage: str) -> str:
        """What to write instead of a passage id the source does not have (every place that checks one)."""
        own = [pid for sid, pid in self.passages if sid == source]
        return did_you_mean(passage, own) or (f"its passages are: {', '.join(own)}" if own else
                                              f"add it under 'passages:' of source '{source}' in data/asean_un.yml")

    def page_title(self, path: str) -> str:
        return self.page_titles.get(path) or path.removesuffix(".md")


def vote_text(vote, names: Mapping[str, str], lead: str | None = None) -> str:
    """A recorded Council vote as a fact shows it: '<lead> (25 March 2024): 14 in favour, 0 against, 1 abstaining'."""
    from .render import fmt_date      # a plain date formatter; render imports nothing back from here at call time
    text = f"{lead or vote.draft or vote.title} ({fmt_date(vote.date)}): {vote.in_favour} in favour, " \
           f"{vote.against} against, {vote.abstaining} abstaining"
    if vote.outcome == "vetoed":
        text += "; vetoed by " + ", ".join(names.get(s, s) for s in vote.vetoed_by)
    return text


def _resolved(data: SiteData, file: str) -> SiteData:
    """Values one record takes from another, filled in once: a member's joining date from its event, the
    article's cut-off from the event it looks ahead to. Writing both is refused: that would be a second copy."""
    return data if data._resolved else _resolve(data, file)


@per_data_object        # the same resolved object for the same data: what is made from it (export.to_json) too
def _resolve(data: SiteData, file: str) -> SiteData:
    events = {e.id: e for e in data.events}

    def event_of(ident, record, where):
        if ident not in events:
            raise SiteError(f"unknown event id '{ident}' in {where}", file=file, line=record.line or None,
                            item=getattr(record, "id", None) or getattr(record, "state", None),
                            hint=did_you_mean(ident, events) or "add the event under events: first")
        return events[ident]

    update = {}
    art = data.article
    if art is not None:
        if art.cutoff_event and art.cutoff:
            raise SiteError("the article record has both cutoff and cutoff_event", file=file, line=art.line or None,
                            hint="keep cutoff_event: the cut-off is that event's date (one record per fact)")
        if not art.cutoff_event and not art.cutoff:
            raise SiteError("the article record needs cutoff_event (the event it looks ahead to)", file=file,
                            line=art.line or None, hint="add cutoff_event: <an event id>")
        if art.cutoff_event:
            day = event_of(art.cutoff_event, art, "the article's cutoff_event").date
            update["article"] = art.model_copy(update={"cutoff": day})
    lists = []
    for ms in data.memberships:
        members = []
        for m in ms.members:
            if m.event and m.since:
                raise SiteError(f"member '{m.state}' of '{ms.body}' has both since and event", file=file,
                                line=m.line or ms.line or None, item=m.state,
                                hint="drop since: the joining date is the event's date (one record per fact)")
            if m.event:
                m = m.model_copy(update={"since": event_of(m.event, m, f"member '{m.state}' of '{ms.body}'").date})
            members.append(m)
        lists.append(ms.model_copy(update={"members": members}))
    update["memberships"] = lists
    votes = {v.id: v for v in data.votes}
    names = {st.id: st.name for st in data.states}
    for section in ENTITY_SECTIONS:
        entities = []
        for ent in getattr(data, section):
            if any(f.vote for f in ent.facts):
                facts = []
                for f in ent.facts:
                    if f.vote:
                        if f.vote not in votes:
                            raise SiteError(f"unknown vote id '{f.vote}' in fact '{f.key}' of '{ent.id}'", file=file,
                                            line=f.line or ent.line or None, item=ent.id,
                                            hint=did_you_mean(f.vote, votes) or "add the vote under votes: first")
                        f = f.model_copy(update={"value": vote_text(votes[f.vote], names, f.value)})
                    facts.append(f)
                ent = ent.model_copy(update={"facts": facts})
            entities.append(ent)
        update[section] = entities
    resolved = data.model_copy(update=update)
    resolved._resolved = True
    return resolved


def _index(records, what: str, cat: Catalog, into: dict) -> None:
    for rec in records:
        if rec.id in into:
            first = into[rec.id]
            first = getattr(first, "entity", first)
            raise cat.fail(f"duplicate {what} id '{rec.id}' (first defined on line {first.line})", rec,
                           hint="ids must be unique: rename one of them")
        into[rec.id] = rec


def _check_lookalikes(cat: Catalog) -> None:
    """Two entries of one kind whose ids or names read alike (equal TR39 skeletons: macros/names.py) are
    an error at the second, naming the first's line and the code points that tell them apart."""
    data = cat.data
    entities = [p.entity for p in cat.entities.values()]
    kinds = (("source", data.sources, ("id",)), ("publisher", data.publishers, ("id", "name")),
             ("fact key", data.fact_keys, ("id", "label")), ("entity", entities, ("id", "name")),
             ("glossary", data.glossary, ("id", "term")), ("event", data.events, ("id",)),
             ("state", data.states, ("id", "name")), ("vote", data.votes, ("id",)),
             ("comparison", data.comparisons, ("id",)), ("matrix", data.matrices, ("id",)))
    found = []
    for what, records, fields_ in kinds:
        for name in fields_:
            for rec, first in names.lookalikes(records, name):
                found.append((rec.line, what, name, rec, first))
    if not found:
        return
    _, what, name, rec, first = min(found, key=lambda f: f[0])
    mine, theirs = getattr(rec, name), getattr(first, name)
    same = "is the same as" if mine.casefold() == theirs.casefold() else "looks the same as"
    raise cat.fail(f"{what} {name} {mine!r} {same} {theirs!r} of '{first.id if hasattr(first, 'id') else ''}' "
                   f"(line {first.line}); they differ by {names.difference(mine, theirs)}", rec,
                   hint=f"readers cannot tell the two apart: rename one, or merge them")


def _default_page(section: str, ident: str) -> str:
    return f"who.md#{ident}" if section == "actors" else f"{section}/{ident}.md"


def build_catalog(data: SiteData, file: str, docs_pages: Iterable[str] | None = None,
                  directory_urls: bool = True, *, usages: Mapping[str, Iterable[str]] | None = None,
                  titles: Mapping[str, str] | None = None, page_meta: Mapping[str, dict] | None = None,
                  page_citations: Iterable = ()) -> Catalog:
    """Index the data and resolve every reference, in one pass; the result is complete and read-only.

    docs_pages (if given) checks entity pages exist; usages (page -> ids its term()/ref() calls name), titles
    and page_meta (page -> front matter) come from scanning the pages (site.py) and are indexed here too.
    """
    data = _resolved(data, file)
    cat = Catalog(data=data, file=file, directory_urls=directory_urls)
    _index(data.sources, "source", cat, cat.sources)
    for src in data.sources:
        for p in src.passages:
            if (src.id, p.id) in cat.passages:
                raise cat.fail(f"source '{src.id}' has two passages with id '{p.id}'", p,
                               hint="passage ids are unique within their source: rename one")
            cat.passages[(src.id, p.id)] = p
    cat.publishers.update({p.id: p for p in data.publishers})
    _index(data.fact_keys, "fact key", cat, cat.fact_keys)
    for section in ENTITY_SECTIONS:
        for ent in getattr(data, section):
            if ent.id in cat.entities:
                raise cat.fail(f"duplicate entity id '{ent.id}' (first defined on line "
                               f"{cat.entities[ent.id].entity.line})", ent, hint="ids must be unique")
            page = ent.page or _default_page(section, ent.id)
            cat.entities[ent.id] = Placed(ent, section, page, cat.url_of(page))
    _index(data.glossary, "glossary", cat, cat.terms)
    for term in data.glossary:
        if term.id in cat.entities:
            raise cat.fail(f"glossary id '{term.id}' is also an entity id", term,
                           hint=f"glossary ids for acronyms of entities start with 'acr-', e.g. 'acr-{term.id}'")
    _index(data.events, "event", cat, cat.events)
    _index(data.comparisons, "comparison", cat, cat.comparisons)
    _index(data.matrices, "matrix", cat, cat.matrices)
    _index(data.states, "state", cat, cat.states)
    _index(data.votes, "vote", cat, cat.votes)
    _index(data.figures, "figure", cat, cat.figures)
    _index(data.open_questions, "open question", cat, {})
    for q in data.open_questions:
        if q.source:
            _need(cat, q.source, cat.sources, "source id", f"open question '{q.id}'", q)
            _check_passage(cat, q.source, q.passage, f"open question '{q.id}'", q)
        for rid in q.related:
            _need(cat, rid, cat.entities, "entity id", f"related of open question '{q.id}'", q)
    _index(data.editions, "edition", cat, {})
    _index(sorted(data.corrections, key=lambda c: c.date, reverse=True), "correction", cat, cat.corrections)
    for fig in data.figures:
        if fig.source:
            _need(cat, fig.source, cat.sources, "source id", f"figure '{fig.id}'", fig)
            _check_passage(cat, fig.source, fig.passage, f"figure '{fig.id}'", fig)
    _check_lookalikes(cat)
    _check_figure_data(cat)
    made = _derived_facts(cat)
    for ident, placed in cat.entities.items():
        cat.facts[ident] = [*made.get(ident, []), *placed.entity.facts]
    _check_references(cat)
    for ev in sorted(data.events, key=lambda e: e.date):
        for rid in ev.related:
            cat.events_by_entity.setdefault(rid, []).append(ev)
    for placed in cat.entities.values():
        for rid in placed.entity.related:
            cat.referrers.setdefault(rid, []).append(placed.entity.id)
    if docs_pages is not None:
        _check_pages(cat, set(docs_pages))
    used_on: dict[str, list[str]] = {}
    for page, ids in (usages or {}).items():
        for ident in ids:
            if page not in used_on.setdefault(ident, []):
                used_on[ident].append(page)
    return _frozen(replace(cat, used_on=used_on, page_titles=dict(titles or {}), page_meta=dict(page_meta or {}),
                           page_citations=tuple(page_citations)))


def _frozen(cat: Catalog) -> Catalog:
    """The same catalog with every mapping read-only and every list in it a tuple."""
    def freeze(value):
        if isinstance(value, Mapping):
            return MappingProxyType({k: tuple(v) if isinstance(v, list) else v for k, v in value.items()})
        return value
    return replace(cat, **{f.name: freeze(getattr(cat, f.name)) for f in fields(cat)
                           if isinstance(getattr(cat, f.name), Mapping)})


def _need(cat: Catalog, ident: str, pool, what: str, where: str, record) -> None:
    """pool is a dict or set (membership must be O(1): this runs for every reference in the file)."""
    if ident not in pool:
        raise cat.fail(f"unknown {what} '{ident}' in {where}", record, hint=did_you_mean(ident, pool)
                       or f"add it to the data file first ({len(pool)} {what}s exist)")


def _check_cite(cat: Catalog, cite: Cite, where: str, owner) -> None:
    record = owner if cite.line == 0 else cite
    _need(cat, cite.source, cat.sources, "source id", where, record)
    _check_passage(cat, cite.source, cite.passage, where, record)


def _check_passage(cat: Catalog, source: str, passage: str | None, where: str, record) -> None:
    if passage and (source, passage) not in cat.passages:
        raise cat.fail(f"unknown passage '{passage}' of source '{source}' in {where}", record,
                       hint=cat.passage_hint(source, passage))


def _check_article(cat: Catalog) -> None:
    """The article record names an existing source; every ¶ cited exists; 'then' values need the article."""
    art = cat.data.article
    if art is not None:
        _need(cat, art.source, cat.sources, "source id", "the 'article' record", art)
    for placed in cat.entities.values():
        ent = placed.entity
        for point in ent.article:
            if art is None:
                raise cat.fail(f"'{ent.id}' has 'article' points but the data file has no 'article' record",
                               point, hint="add the top-level 'article:' record (see data/README.md)")
            _check_passage(cat, art.source, point.passage, f"an article point of '{ent.id}'", point)
            if point.para > art.paragraphs:
                raise SiteError(f"'{ent.id}' cites ¶{point.para}, but the article has {art.paragraphs} paragraphs",
                                file=cat.file, line=point.line or ent.line, item=ent.id,
                                hint=f"use a paragraph number from 1 to {art.paragraphs}")
        if art is None and any(f.then for f in ent.facts):
            raise cat.fail(f"a fact of '{ent.id}' has a 'then' value (what held when the article was written), "
                           "but the data file has no 'article' record", ent,
                           hint="add the top-level 'article:' record (see data/README.md)")


def _check_references(cat: Catalog) -> None:
    _check_article(cat)
    linkable = {*cat.entities, *cat.terms}
    for placed in cat.entities.values():
        ent = placed.entity
        for rid in ent.related:
            _need(cat, rid, cat.entities, "entity id", f"related of '{ent.id}'", ent)
        for fact in ent.facts:
            _need(cat, fact.key, cat.fact_keys, "fact key", f"facts of '{ent.id}'", fact)
            how = cat.fact_keys[fact.key].derived
            if how and any(f.key == fact.key and f is not fact for f in cat.facts[ent.id][:-len(ent.facts) or None]):
                raise cat.fail(f"fact '{fact.key}' of '{ent.id}' is written by hand, but '{ent.id}' has a {how} "
                               f"record that makes it", fact, hint=f"delete this fact and edit the '{how}' record "
                               "instead (one record per fact)")
            _check_cite(cat, fact, f"fact '{fact.key}' of '{ent.id}'", ent)
            if cat.fact_keys[fact.key].changes and not fact.as_of:
                raise cat.fail(f"fact '{fact.key}' of '{ent.id}' can change over time but has no as_of date",
                               fact, hint="add 'as_of: YYYY-MM-DD' (the date the source describes)")
            if fact.then:
                _check_cite(cat, fact.then, f"'then' of fact '{fact.key}' of '{ent.id}'", fact)
        for note in ent.notes:
            _check_cite(cat, note, f"a note on '{ent.id}'", ent)
    for term in cat.terms.values():
        _check_cite(cat, term, f"glossary entry '{term.id}'", term)
        for sid in term.see_also:
            if sid == term.id:
                raise cat.fail(f"glossary entry '{term.id}' lists itself in see_also", term,
                               hint="remove it: an entry cannot be its own 'see also'")
            _need(cat, sid, linkable, "glossary or entity id", f"see_also of '{term.id}'", term)
    for ev in cat.events.values():
        _check_cite(cat, ev, f"event '{ev.id}'", ev)
        for rid in ev.related:
            _need(cat, rid, cat.entities, "entity id", f"related of event '{ev.id}'", ev)
    for comp in cat.comparisons.values():
        for rid in comp.rows:
            _need(cat, rid, cat.entities, "entity id", f"rows of comparison '{comp.id}'", comp)
        for key in comp.columns:
            _need(cat, key, cat.fact_keys, "fact key", f"columns of comparison '{comp.id}'", comp)
        for rid in comp.rows:
            have = {f.key for f in cat.facts[rid]}
            for key in comp.columns:
                if key not in have:
                    raise cat.fail(f"comparison '{comp.id}' needs fact '{key}' of '{rid}', which has none",
                                   comp, hint=f"add a sourced '{key}' fact to '{rid}' or drop the column")
    for fix in cat.corrections.values():
        _check_cite(cat, fix, f"correction '{fix.id}'", fix)
    for mat in cat.matrices.values():
        for rid in [*mat.rows, *mat.columns]:
            _need(cat, rid, cat.entities, "entity id", f"rows/columns of matrix '{mat.id}'", mat)
        for cell in mat.cells:
            _need(cat, cell.row, set(mat.rows), "row", f"a cell of matrix '{mat.id}'", cell)
            _need(cat, cell.column, set(mat.columns), "column", f"a cell of matrix '{mat.id}'", cell)
            _check_cite(cat, cell, f"a cell of matrix '{mat.id}'", cell)


def _check_figure_data(cat: Catalog) -> None:
    """Memberships, Council seats and votes: every id resolves, and seats agree with the Council-terms facts."""
    bodies = set()
    for ms in cat.data.memberships:
        _need(cat, ms.body, cat.entities, "entity id", "body of a membership", ms)
        if ms.body in bodies:
            raise cat.fail(f"two membership lists for '{ms.body}'", ms, hint="merge them into one")
        bodies.add(ms.body)
        _check_cite(cat, ms, f"membership of '{ms.body}'", ms)
        seen = set()
        for m in ms.members:
            _need(cat, m.state, cat.states, "state id", f"members of '{ms.body}'", m)
            if m.state in seen:
                raise cat.fail(f"'{m.state}' is listed twice as a member of '{ms.body}'", m)
            seen.add(m.state)
            if m.source:
                _need(cat, m.source, cat.sources, "source id", f"member '{m.state}' of '{ms.body}'", m)
            _check_passage(cat, m.source or ms.source, m.passage, f"member '{m.state}' of '{ms.body}'", m)
    seen_seats = set()
    for seat in cat.data.council_seats:
        _need(cat, seat.state, cat.states, "state id", "a Council seat", seat)
        _check_cite(cat, seat, f"Council seat of '{seat.state}'", seat)
        if (seat.state, seat.start) in seen_seats:
            raise cat.fail(f"two Council seats of '{seat.state}' start in {seat.start}", seat,
                           hint="one record per term: delete or merge one")
        seen_seats.add((seat.state, seat.start))
    for none in cat.data.council_none:
        _need(cat, none.state, cat.states, "state id", "council_none", none)
        _check_cite(cat, none, f"council_none of '{none.state}'", none)
        if none.state in {s.state for s in cat.data.council_seats}:
            raise cat.fail(f"'{none.state}' is listed in council_none but has Council seats", none,
                           hint="delete one of the two records: a state either held seats or held none")
    permanent = {m.state for ms in cat.data.memberships if ms.vetoes for m in ms.members}
    for vote in cat.votes.values():
        _need(cat, vote.topic, cat.entities, "entity id", f"topic of vote '{vote.id}'", vote)
        _check_cite(cat, vote, f"vote '{vote.id}'", vote)
        if vote.event:
            _need(cat, vote.event, cat.events, "event id", f"vote '{vote.id}'", vote)
        for sid in vote.vetoed_by:
            _need(cat, sid, cat.states, "state id", f"vetoed_by of vote '{vote.id}'", vote)
            if permanent and sid not in permanent:
                raise cat.fail(f"'{sid}' cast a veto in vote '{vote.id}' but is not a permanent member", vote,
                               hint=f"permanent members (memberships, body 'unsc'): {', '.join(sorted(permanent))}")


def _seat_years(seat) -> str:
    return f"{seat.start}–{seat.end}" if seat.end != seat.start else str(seat.start)


def _derived_facts(cat: Catalog) -> dict[str, list[Fact]]:
    """Facts under keys marked `derived`, made from their one record: a state's elected Council terms from
    council_seats (or council_none), a body's members from its membership list. Nobody writes them by hand."""
    derived = {k.id: k.derived for k in cat.data.fact_keys if k.derived}
    out: dict[str, list[Fact]] = {}
    seat_key = next((k for k, how in derived.items() if how == "council_seats"), None)
    if seat_key:
        for seat in sorted(cat.data.council_seats, key=lambda s: (s.state, s.start)):
            value = _seat_years(seat) + (f" ({seat.uncertain})" if seat.uncertain else "")
            out.setdefault(seat.state, []).append(Fact(key=seat_key, value=value, source=seat.source,
                                                       passage=seat.passage, pin=seat.pin, __line__=seat.line))
        for none in cat.data.council_none:
            out.setdefault(none.state, []).append(Fact(key=seat_key, value="None", as_of=none.as_of,
                                                       source=none.source, passage=none.passage, pin=none.pin,
                                                       __line__=none.line))
    cutoff = cat.data.article.cutoff if cat.data.article else None
    for ms in cat.data.memberships:
        if not ms.complete:
            continue
        if derived.get(ms.key) != "memberships":    # a list the figures draw, shown by no fact
            continue
        names = [cat.states[m.state].name for m in ms.members if m.status == "member"]
        unclear = [cat.states[m.state].name for m in ms.members if m.status == "unclear"]
        value = f"{len(names)}: {', '.join(names)}" + (f"; not confirmed: {', '.join(unclear)}" if unclear else "")
        later = [m for m in ms.members if cutoff and m.since and str(m.since) > cutoff]
        then = None
        if later:
            before = [m for m in ms.members if m.status == "member" and m not in later]
            then = Then(value=str(len(before)), as_of=cutoff, source=ms.source, passage=ms.passage, pin=ms.pin)
        short = str(len(names)) if len(value.split()) > GLANCE_WORDS else None    # the count; the names under More
        out.setdefault(ms.body, []).insert(0, Fact(key=ms.key, value=value, short=short, as_of=ms.as_of,
                                                   source=ms.source, passage=ms.passage, pin=ms.pin, then=then,
                                                   __line__=ms.line))
    return out


def check_geo(cat: Catalog, geo: dict, file: str) -> None:
    """Every state that names a map shape has one in the boundary data."""
    names = geo["names"]
    for st in cat.states.values():
        if st.geo and st.geo not in names:
            raise SiteError(f"state '{st.id}' has geo '{st.geo}', which {file} does not contain", file=cat.file,
                            line=st.line or None, item=st.id, hint=did_you_mean(st.geo, names) or "run make geo")


def _check_pages(cat: Catalog, pages: set[str]) -> None:
    for placed in cat.entities.values():
        path = placed.page.partition("#")[0]
        if path not in pages:
            raise cat.fail(f"entity '{placed.entity.id}' lives on page '{path}', which does not exist",
                           placed.entity, hint=did_you_mean(path, pages) or f"create docs/{path}")
    for fix in cat.corrections.values():
        path = fix.page.partition("#")[0]
        if path not in pages:
            raise cat.fail(f"correction '{fix.id}' is on page '{path}', which does not exist", fix,
                           hint=did_you_mean(path, pages) or "name the page the error was on, e.g. 'timeline.md'")

