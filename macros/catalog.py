"""Indexes over the validated data, every cross-reference resolved. No HTML here."""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .errors import SiteError, did_you_mean
from .model import ENTITY_SECTIONS, Cite, Entity, Event, SiteData, Term


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


def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page at from_url to to_url (both site-relative), so any base path works."""
    to_path, _, anchor = to_url.partition("#")
    start = posixpath.dirname(from_url.rstrip("/")) if not from_url.endswith("/") else from_url
    rel = posixpath.relpath(to_path or ".", start or ".")
    is_dir = to_path == "" or to_path.endswith("/")
    rel = "./" if rel == "." else rel + ("/" if is_dir and not rel.endswith("/") else "")
    return rel + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class Placed:
    """An entity with the section it came from, the page it lives on and that page's URL."""
    entity: Entity
    section: str
    page: str
    url: str


@dataclass
class Catalog:
    data: SiteData
    file: str
    directory_urls: bool = True
    sources: dict = field(default_factory=dict)
    fact_keys: dict = field(default_factory=dict)
    entities: dict[str, Placed] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    comparisons: dict = field(default_factory=dict)
    matrices: dict = field(default_factory=dict)
    term_aliases: dict[str, str] = field(default_factory=dict)
    # id -> pages (docs-relative paths) whose macros mention it; filled by note_usages()
    used_on: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    page_titles: dict[str, str] = field(default_factory=dict)
    page_meta: dict[str, dict] = field(default_factory=dict)
    events_by_entity: dict[str, list[Event]] = field(default_factory=dict)   # sorted by date
    referrers: dict[str, list[str]] = field(default_factory=dict)           # who lists an id as related

    def fail(self, what: str, record, hint: str | None = None) -> SiteError:
        return SiteError(what, file=self.file, line=getattr(record, "line", None) or None,
                         item=getattr(record, "id", None), hint=hint)

    # --- look-ups used by render and by the page checks -------------------------------------------
    def url_of(self, path: str) -> str:
        return page_url(path, self.directory_urls)

    def events_for(self, ident: str | None = None) -> list[Event]:
        if ident is None:
            return sorted(self.data.events, key=lambda e: e.date)
        return self.events_by_entity.get(ident, [])

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

    def page_title(self, path: str) -> str:
        return self.page_titles.get(path) or path.removesuffix(".md")

    def note_usages(self, usages: Mapping[str, Iterable[str]], titles: Mapping[str, str]) -> None:
        self.page_titles.update(titles)
        for page, ids in usages.items():
            for ident in ids:
                if page not in self.used_on[ident]:
                    self.used_on[ident].append(page)


def _index(records, what: str, cat: Catalog, into: dict) -> None:
    for rec in records:
        if rec.id in into:
            first = into[rec.id]
            first = getattr(first, "entity", first)
            raise cat.fail(f"duplicate {what} id '{rec.id}' (first defined on line {first.line})", rec,
                           hint="ids must be unique: rename one of them")
        into[rec.id] = rec


def _default_page(section: str, ident: str) -> str:
    return f"who.md#{ident}" if section == "actors" else f"{section}/{ident}.md"


def build_catalog(data: SiteData, file: str, docs_pages: Iterable[str] | None = None,
                  directory_urls: bool = True) -> Catalog:
    """Index the data and resolve every reference; docs_pages (if given) checks entity pages exist."""
    cat = Catalog(data=data, file=file, directory_urls=directory_urls)
    _index(data.sources, "source", cat, cat.sources)
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
    _check_references(cat)
    for ev in sorted(data.events, key=lambda e: e.date):
        for rid in ev.related:
            cat.events_by_entity.setdefault(rid, []).append(ev)
    for placed in cat.entities.values():
        for rid in placed.entity.related:
            cat.referrers.setdefault(rid, []).append(placed.entity.id)
    if docs_pages is not None:
        _check_pages(cat, set(docs_pages))
    return cat


def _need(cat: Catalog, ident: str, pool, what: str, where: str, record) -> None:
    """pool is a dict or set (membership must be O(1): this runs for every reference in the file)."""
    if ident not in pool:
        raise cat.fail(f"unknown {what} '{ident}' in {where}", record, hint=did_you_mean(ident, pool)
                       or f"add it to the data file first ({len(pool)} {what}s exist)")


def _check_cite(cat: Catalog, cite: Cite, where: str, owner) -> None:
    _need(cat, cite.source, cat.sources, "source id", where, owner if cite.line == 0 else cite)


def _check_references(cat: Catalog) -> None:
    linkable = {*cat.entities, *cat.terms}
    for placed in cat.entities.values():
        ent = placed.entity
        for rid in ent.related:
            _need(cat, rid, cat.entities, "entity id", f"related of '{ent.id}'", ent)
        for fact in ent.facts:
            _need(cat, fact.key, cat.fact_keys, "fact key", f"facts of '{ent.id}'", fact)
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
        for name in [term.term, *term.aliases]:
            cat.term_aliases.setdefault(name.casefold(), term.id)
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
            have = {f.key for f in cat.entities[rid].entity.facts}
            for key in comp.columns:
                if key not in have:
                    raise cat.fail(f"comparison '{comp.id}' needs fact '{key}' of '{rid}', which has none",
                                   comp, hint=f"add a sourced '{key}' fact to '{rid}' or drop the column")
    for mat in cat.matrices.values():
        for rid in [*mat.rows, *mat.columns]:
            _need(cat, rid, cat.entities, "entity id", f"rows/columns of matrix '{mat.id}'", mat)
        for cell in mat.cells:
            _need(cat, cell.row, set(mat.rows), "row", f"a cell of matrix '{mat.id}'", cell)
            _need(cat, cell.column, set(mat.columns), "column", f"a cell of matrix '{mat.id}'", cell)
            _check_cite(cat, cell, f"a cell of matrix '{mat.id}'", cell)


def _check_pages(cat: Catalog, pages: set[str]) -> None:
    for placed in cat.entities.values():
        path = placed.page.partition("#")[0]
        if path not in pages:
            raise cat.fail(f"entity '{placed.entity.id}' lives on page '{path}', which does not exist",
                           placed.entity, hint=did_you_mean(path, pages) or f"create docs/{path}")


# --- pages: the macro calls they make -------------------------------------------------------------

_CALL = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)\s*\((.*?)\)\s*-?\}\}")
_FIRST_STR = re.compile(r"""^\s*(?:\w+\s*=\s*)?(['"])(.*?)\1""")
_FENCE = re.compile(r"^\s*(```+|~~~+)")


@dataclass(frozen=True)
class MacroCall:
    name: str
    first: str | None       # first string argument, usually an id
    line: int


def scan_page(path: str, text: str) -> list[MacroCall]:
    """Macro calls in a page, with lines; fails on Jinja left inside a code block outside {% raw %}."""
    calls, fence, raw = [], None, False
    for lineno, line in enumerate(text.splitlines(), 1):
        if "{% raw %}" in line:
            raw = True
        if not raw:
            m = _FENCE.match(line)
            if m and (fence is None or m.group(1)[0] == fence[0]):
                fence = None if fence else m.group(1)
            elif fence and ("{{" in line or "{%" in line or "{#" in line):
                raise SiteError("'{{', '{%' or '{#' inside a code block would run as a macro", file=path,
                                line=lineno, hint="wrap the block in {% raw %} … {% endraw %}")
            else:
                for m in _CALL.finditer(line):
                    first = _FIRST_STR.match(m.group(2))
                    calls.append(MacroCall(m.group(1), first.group(2) if first else None, lineno))
        if "{% endraw %}" in line:
            raw = False
    return calls


# Which pool each id-taking macro draws from.
ID_POOLS = {"term": "terms", "ref": "entities", "infobox": "entities", "related": "entities",
            "article_points": "entities", "compare": "comparisons", "matrix": "matrices",
            "timeline": "entities", "notes": "entities", "cite": "sources"}
# Each pool as a kind of id, and the macro that links one ("'asean' is an entity: use ref('asean')").
ID_KINDS = {"terms": ("a glossary term", "term"), "entities": ("an entity", "ref"),
            "sources": ("a source", "cite"), "comparisons": ("a comparison", "compare"),
            "matrices": ("a matrix", "matrix")}
POOL_NAMES = {"sources": "source id", "terms": "glossary id", "entities": "entity id", "comparisons": "comparison id",
              "matrices": "matrix id"}


def check_calls(cat: Catalog, path: str, calls: list[MacroCall], macro_names: Iterable[str]) -> None:
    """Every macro exists and every id it names resolves; errors name page, line and a suggestion."""
    names = list(macro_names)
    for call in calls:
        if call.name not in names:
            raise SiteError(f"unknown macro '{call.name}'", file=path, line=call.line,
                            hint=did_you_mean(call.name, names) or f"macros are: {', '.join(sorted(names))}")
        pool_name = ID_POOLS.get(call.name)
        if pool_name and call.first is not None:
            pool = getattr(cat, pool_name)
            if call.first not in pool:
                raise SiteError(f"unknown {POOL_NAMES[pool_name]} '{call.first}' in {call.name}()", file=path,
                                line=call.line, hint=cat.suggest(call.first, pool_name))


def leftover_template(markdown: str) -> int | None:
    """Line of the first '{{' or '{%' left outside a code block after rendering, or None."""
    fence = None
    for lineno, line in enumerate(markdown.splitlines(), 1):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1)[0] == fence[0]):
            fence = None if fence else m.group(1)
        elif not fence and ("{{" in line or "{%" in line):
            return lineno
    return None
