"""Pure render functions: catalog + page context in, escaped HTML out. They never read files."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from itertools import groupby

from . import dates, freshness, teaching
from .catalog import Catalog, relative_url
from .citation import cite_article
from .errors import SiteError, did_you_mean
from .evidence import text_fragment
from .model import SLUG, Cite, Fact, per_data_object
from .policy import host_of
from .safe import escape   # HTML-escaped and inert to Markdown: every value from the data goes through it

SECTION_TITLES = {"institutions": "Institutions", "instruments": "Instruments and meetings",
                  "crises": "Crises and challenges", "recommendations": "Recommendations",
                  "actors": "States and office holders"}
CHANGES_PAGE = "changes.md"
EMPTY = '<span class="empty">—</span>'      # a table cell with nothing to say (left out of a phone's cards)


@dataclass
class PageContext:
    """What one page's render calls share: where the page is and its citations."""
    url: str                      # site-relative URL of the page, e.g. 'institutions/asean/'
    src: str = "?"                # docs-relative source path, for messages
    citations: dict[str, list[str]] = field(default_factory=dict)  # source id -> pins, in cite order
    passages: dict[str, list[str]] = field(default_factory=dict)   # source id -> passage ids, in cite order
    sources_rendered: bool = False
    links_from: str | None = None  # site-relative URL relative links start from, if not the page's own (engine.py)
    site_url: str | None = None   # the site's absolute address, when known (SITE_URL): what needs one needs it
    entity: str | None = None      # the entity the page's front matter names (`entity:`), if any

    def href(self, to_url: str) -> str:
        return relative_url(self.url if self.links_from is None else self.links_from, to_url)


def fmt_date(day: str) -> str:
    parts = [int(p) for p in day.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    d = dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    return d.strftime("%B %Y") if len(parts) == 2 else f"{d.day} {d.strftime('%B %Y')}"


def article_written(cat: Catalog) -> str:
    """When the article was written, as readers see it ("October 2024"): the month of its cut-off day."""
    art = cat.data.article
    return fmt_date(art.cutoff[:7]) if art else "undated"


def _cutoff(cat: Catalog, ctx: PageContext, macro: str) -> str:
    if cat.data.article is None:
        raise SiteError(f"{macro}() compares with the article, but the data file has no 'article' record",
                        file=ctx.src, hint="add the top-level 'article:' record (see data/README.md)")
    return cat.data.article.cutoff


def article_citation(cat: Catalog) -> dict[str, str]:
    """How to cite the article itself (APA, MLA, Chicago), from the data file's 'article' record."""
    art = cat.data.article
    if art is None:
        return {}
    src = cat.sources[art.source]
    year = src.date.split("-")[0] if src.date else "n.d."
    return cite_article(src.title, src.url, year, art.author, art.author_family, art.container, art.imprint,
                        art.series)


def article_citations(cat: Catalog, ctx: PageContext) -> str:
    """The article's citations, one paragraph per style (the page's "cite the commentary" block)."""
    return "".join(f"<p><strong>{escape(style)}</strong>: {text}</p>\n"
                   for style, text in article_citation(cat).items())


def _preview_link(ctx: PageContext, href: str, text: str, kind: str, key: str) -> str:
    """A link to a glossary entry or an entity's page whose preview (definition or summary) the reader's script
    loads on demand from the one previews file (previews_js), by its key: the page itself holds no copy."""
    return (f'<span class="xref xref-{kind}"><a href="{escape(ctx.href(href))}" data-preview="{escape(key)}">'
            f'{escape(text)}</a></span>')


def term(cat: Catalog, ctx: PageContext, term_id: str, text: str | None = None) -> str:
    t = cat.terms.get(term_id)
    if t is None:
        raise SiteError(f"unknown glossary id '{term_id}' in term()", file=ctx.src,
                        hint=cat.suggest(term_id, "terms"))
    return _preview_link(ctx, cat.url_of(f"glossary.md#{t.id}"), text or t.inline, "term", f"term:{t.id}")


def ref(cat: Catalog, ctx: PageContext, entity_id: str, text: str | None = None) -> str:
    placed = _entity(cat, ctx, entity_id, "ref")
    return _preview_link(ctx, placed.url, text or placed.entity.label, "ref", f"ref:{entity_id}")


PREVIEWS_FILE = "assets/previews.js"     # in the built site, beside site.js, which loads it on demand


def previews_js(cat: Catalog) -> str:
    """Every glossary definition and entity summary a term() or ref() link previews, as one script that sets
    window.sitePreviews = {key: HTML} (a script, not JSON, so that the offline copy loads it from file:// too).
    An edit to a definition or summary changes this file, not every page that links the entry."""
    previews = {f"term:{t.id}": f"<strong>{escape(t.term)}</strong>: {escape(t.definition)}"
                for t in cat.terms.values()}
    previews.update({f"ref:{ident}": f"<strong>{escape(p.entity.name)}</strong>: {escape(p.entity.summary)}"
                     for ident, p in cat.entities.items()})
    body = json.dumps(dict(sorted(previews.items())), ensure_ascii=False, separators=(",", ":"))
    # nothing in it can end a script element or a line in older parsers
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.sitePreviews={body};\n"


def cite(cat: Catalog, ctx: PageContext, c: Cite) -> str:
    if ctx.sources_rendered:
        raise SiteError("a citation comes after sources() on this page", file=ctx.src,
                        hint="call sources() last, at the end of the page")
    pins = ctx.citations.setdefault(c.source, [])
    if c.pin and c.pin not in pins:
        pins.append(c.pin)
    n = list(ctx.citations).index(c.source) + 1
    src = cat.sources[c.source]
    target, at = f"src-{c.source}", c.pin
    if c.passage:
        used = ctx.passages.setdefault(c.source, [])
        if c.passage not in used:
            used.append(c.passage)
        target, at = f"src-{c.source}--{c.passage}", cat.passages[(c.source, c.passage)].at
    # The reader's preview (site.js) shows the source and its passage from the page's source list, where the
    # link leads without JavaScript and where print shows them: nothing about the source is repeated here.
    label = f"Source {n}: {src.title}" + (f", {at}" if at else "")
    return (f'<sup class="cite"><a href="#{escape(target)}" data-cite aria-label="{escape(label)}">'
            f'[{n}]</a></sup>')


def cite_source(cat: Catalog, ctx: PageContext, source_id: str, passage: str | None = None) -> str:
    """An inline citation in prose, numbered with the page's other citations: cite("<source>", "<passage>")
    names the passage of the source that supports the sentence (a locator without words is still read as a pin)."""
    if source_id not in cat.sources:
        raise SiteError(f"unknown source id '{source_id}' in cite()", file=ctx.src,
                        hint=cat.suggest(source_id, "sources"))
    if passage and re.fullmatch(SLUG, passage):
        if (source_id, passage) not in cat.passages:
            raise SiteError(f"unknown passage '{passage}' of source '{source_id}' in cite()", file=ctx.src,
                            hint=cat.passage_hint(source_id, passage))
        return cite(cat, ctx, Cite(source=source_id, passage=passage))
    dates.check_page_pin(cat.data, source_id, passage, ctx.src)
    return cite(cat, ctx, Cite(source=source_id, pin=passage))


def _as_of(day: str | None) -> str:
    return f' <span class="as-of">(as of {escape(fmt_date(day))})</span>' if day else ""


def fact_html(cat: Catalog, ctx: PageContext, fact: Fact, glance: bool = False) -> str:
    """A fact's value, citation and as-of date (and what held when the article was written). glance: for an
    infobox row or a table cell, its `short` form with the full value behind a "More" disclosure (no script;
    printed open)."""
    out = f"{escape(_glance(fact, glance))}{cite(cat, ctx, fact)}{_as_of(fact.as_of)}"
    if fact.then:
        out += (f'<span class="then">When the article was written ({escape(article_written(cat))}): '
                f"{escape(_glance(fact.then, glance))}{cite(cat, ctx, fact.then)}{_as_of(fact.then.as_of)}</span>")
    if glance and (fact.short or (fact.then and fact.then.short)):
        full = escape(fact.value)
        if fact.then and fact.then.short:
            full += f'<span class="then">Then: {escape(fact.then.value)}</span>'
        out += _more(full)
    return out


def _more(full_html: str) -> str:
    """The full text behind a short form: a "More" disclosure, no script (hidden in print)."""
    return f'<details class="fact-more"><summary>More</summary><p>{full_html}</p></details>'


def _cell(cat: Catalog, ctx: PageContext, c) -> str:
    """A matrix cell: its short form and citation, the full text behind "More" (as fact_html does for facts)."""
    if c.short is None:
        return f"{escape(c.text)}{cite(cat, ctx, c)}"
    return f"{escape(c.short)}{cite(cat, ctx, c)}{_more(escape(c.text))}"


def _glance(fact, glance: bool) -> str:
    return fact.short if glance and fact.short else fact.value


def fact_rows(cat: Catalog, ctx: PageContext, facts) -> str:
    """One <dt>label</dt><dd>…</dd> row per label (infoboxes and the who's who), in the order the labels first
    appear: a single value as it is, several as a list, never the same label twice."""
    groups: dict[str, list] = {}
    for f in facts:
        groups.setdefault(f.key, []).append(f)
    rows = []
    for key, group in groups.items():
        if len(group) == 1:
            value = fact_html(cat, ctx, group[0], glance=True)
        else:
            value = ('<ul class="facts-list">' + "".join(f"<li>{fact_html(cat, ctx, f, glance=True)}</li>"
                                                        for f in group) + "</ul>")
        rows.append(f"<dt>{escape(cat.fact_keys[key].label)}</dt><dd>{value}</dd>")
    return "".join(rows)


def infobox(cat: Catalog, ctx: PageContext, entity_id: str | None = None) -> str:
    entity_id = page_entity(ctx, entity_id, "infobox")
    ent = _entity(cat, ctx, entity_id, "infobox").entity
    if not cat.facts[entity_id]:
        raise SiteError(f"infobox('{entity_id}') has no facts to show", file=ctx.src,
                        hint=f"add sourced facts to '{entity_id}' in the data file")
    rows = fact_rows(cat, ctx, cat.facts[entity_id])
    # No title inside: it would repeat the page's H1 (and its short name as a tag) under "At a glance".
    return (f'<aside class="infobox" aria-label="At a glance: {escape(ent.label)}">'
            f'<dl>{rows}</dl></aside>')


def _table(ctx: PageContext, anchor: str, title: str, caption: str | None, head: list[str],
           body: list[tuple[str, list[str]]]) -> str:
    """A table that scrolls inside its own focusable region and stacks into cards on a phone."""
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    rows = []
    for row_head, cells in body:
        tds = "".join(f'<td data-label="{escape(h)}"' + (' class="is-empty"' if c == EMPTY else "")
                      + f">{c}</td>" for h, c in zip(head[1:], cells))
        rows.append(f'<tr><th scope="row">{row_head}</th>{tds}</tr>')
    cap = f'{escape(title)}' + (f'<span class="caption-note">{escape(caption)}</span>' if caption else "")
    # The caption sits outside the scroller (it was clipped inside it); the anchor is the block's, so a link
    # to it shows the caption; the scroller is a named, focusable region that arrow keys scroll.
    return (f'<figure class="table-block" id="{escape(anchor)}"><figcaption class="table-caption" '
            f'id="{escape(anchor)}-caption">{cap}</figcaption>'
            f'<div class="table-wrap" role="region" tabindex="0" '
            f'aria-labelledby="{escape(anchor)}-caption"><table class="data-table" aria-labelledby="{escape(anchor)}-caption">'
            f'<thead><tr>{ths}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></figure>')


def compare(cat: Catalog, ctx: PageContext, comparison_id: str) -> str:
    comp = cat.comparisons.get(comparison_id)
    if comp is None:
        raise SiteError(f"unknown comparison id '{comparison_id}' in compare()", file=ctx.src,
                        hint=cat.suggest(comparison_id, "comparisons"))
    head = [""] + [cat.fact_keys[k].label for k in comp.columns]
    body = []
    for rid in comp.rows:
        facts = {}
        for f in cat.facts[rid]:
            facts.setdefault(f.key, []).append(f)
        cells = ["<br>".join(fact_html(cat, ctx, f, glance=True) for f in facts[k]) for k in comp.columns]
        body.append((ref(cat, ctx, rid), cells))
    return _table(ctx, comp.id, comp.title, comp.caption, head, body)


def matrix(cat: Catalog, ctx: PageContext, matrix_id: str) -> str:
    mat = cat.matrices.get(matrix_id)
    if mat is None:
        raise SiteError(f"unknown matrix id '{matrix_id}' in matrix()", file=ctx.src,
                        hint=cat.suggest(matrix_id, "matrices"))
    head = [""] + [cat.entities[c].entity.label for c in mat.columns]
    cells = {(c.row, c.column): c for c in mat.cells}
    body = []
    for rid in mat.rows:
        row = []
        for cid in mat.columns:
            c = cells.get((rid, cid))
            row.append(_cell(cat, ctx, c) if c else EMPTY)
        body.append((ref(cat, ctx, rid), row))
    return _table(ctx, mat.id, mat.title, mat.caption, head, body)


def glossary(cat: Catalog, ctx: PageContext) -> str:
    terms = sorted(cat.terms.values(), key=lambda t: t.term.casefold())
    letters, blocks = [], []
    for letter, group in groupby(terms, key=lambda t: t.term[0].upper()):
        # one anchor per heading: terms starting with different non-letters ('"', "'") get one each
        anchor = f"letter-{letter.lower()}" if letter.isascii() and letter.isalpha() else f"letter-u{ord(letter):04x}"
        letters.append(f'<a href="#{anchor}">{escape(letter)}</a>')
        items = []
        for t in group:
            aka = (f'<span class="aka">Also: {escape(", ".join(t.aliases))}</span>' if t.aliases else "")
            see = ", ".join(_plain_link(cat, ctx, s, label) for s, label in see_also_labels(cat, t))
            used = ", ".join(f'<a href="{escape(ctx.href(cat.url_of(p)))}">{escape(cat.page_title(p))}</a>'
                             for p in cat.used_on.get(t.id, []) if cat.url_of(p) != ctx.url)
            extra = (f'<p class="see-also">See also: {see}</p>' if see else "") + (
                f'<p class="appears-on" data-search-exclude>Appears on: {used}</p>' if used else "")
            # Each entry is a heading so that search indexes it as its own hit ("veto" -> #veto).
            items.append(f'<div class="gl-entry"><h3 id="{escape(t.id)}"><dfn>{escape(t.term)}</dfn> '
                         f'<a class="headerlink" href="#{escape(t.id)}" title="Link to this entry">¶</a>'
                         f"</h3>{aka}<p>{escape(t.definition)}{cite(cat, ctx, t)}</p>{extra}</div>")
        blocks.append(f'<h2 id="{anchor}">{escape(letter)}</h2><div class="glossary">{"".join(items)}</div>')
    # A bar that stays at the top while the reader scrolls: the letters, and a filter that site.js shows.
    search = ('<p class="gl-filter" hidden><label for="gl-filter">Filter</label> '
              '<input type="search" id="gl-filter" autocomplete="off" spellcheck="false" '
              'placeholder="a term, an acronym or a word of its definition"> '
              '<output for="gl-filter" aria-live="polite"></output></p>')
    nav = (f'<div class="az-bar" data-search-exclude><nav class="az" aria-label="Glossary letters">{" ".join(letters)}</nav>'
           f"{search}</div>")
    return nav + "".join(blocks)


def related(cat: Catalog, ctx: PageContext, entity_id: str | None = None) -> str:
    entity_id = page_entity(ctx, entity_id, "related")
    _entity(cat, ctx, entity_id, "related")
    groups = []
    others = cat.related_to(entity_id)
    for section, title in SECTION_TITLES.items():
        links = [ref(cat, ctx, p.entity.id) for p in others if p.section == section]
        if links:
            groups.append(f"<dt>{title}</dt><dd>{', '.join(links)}</dd>")
    if not groups:
        raise SiteError(f"related('{entity_id}') found nothing", file=ctx.src,
                        hint=f"list related ids under '{entity_id}' in the data file")
    return f'<dl class="related" data-search-exclude>{"".join(groups)}</dl>'


def article_points(cat: Catalog, ctx: PageContext, entity_id: str | None = None) -> str:
    entity_id = page_entity(ctx, entity_id, "article_points")
    ent = _entity(cat, ctx, entity_id, "article_points").entity
    if not ent.article:
        raise SiteError(f"'{entity_id}' has no 'article' points", file=ctx.src,
                        hint="add what the article says (para, says) in the data file")
    art = cat.data.article.source   # the catalog guarantees the record when points exist
    items = "".join(
        f'<li><a class="para" href="{escape(ctx.href(cat.url_of(f"article.md#p{p.para}")))}">¶{p.para}</a> '
        f"{escape(p.says)}{cite(cat, ctx, Cite(source=art, passage=p.passage) if p.passage else Cite(source=art, pin=f'¶{p.para}'))}</li>"
        for p in sorted(ent.article, key=lambda p: p.para))
    return f'<ul class="article-points">{items}</ul>'


def notes(cat: Catalog, ctx: PageContext, entity_id: str | None = None) -> str:
    entity_id = page_entity(ctx, entity_id, "notes")
    placed = _entity(cat, ctx, entity_id, "notes")
    ent = placed.entity
    items = "".join(f"<li>{escape(n.text)}{cite(cat, ctx, n)}</li>" for n in ent.notes)
    out = f'<ul class="notes">{items}</ul>' if items else ""
    if any(f.then for f in cat.facts[ent.id]):
        href = ctx.href(cat.url_of(f"{CHANGES_PAGE}#{changes_anchor(placed.page)}"))
        out += (f'<p class="changes-link">Some facts about {escape(ent.label)} have changed since the article: '
                f'see <a href="{escape(href)}">what has changed since the article</a>.</p>')
    return out


def _scheduled(ev) -> str:
    """An event still to come (data: scheduled: true) says so next to its date."""
    return ' <span class="scheduled">(scheduled)</span>' if ev.scheduled else ""


def timeline(cat: Catalog, ctx: PageContext, entity_id: str | None = None) -> str:
    if entity_id is not None:
        _entity(cat, ctx, entity_id, "timeline")
    events = cat.events_for(entity_id)
    if not events:
        raise SiteError(f"timeline('{entity_id}') has no events", file=ctx.src,
                        hint="add events whose 'related' lists it, or drop the call")
    items = []
    for ev in events:
        tags = " ".join(f'<a class="tag" href="{escape(ctx.href(cat.entities[r].url))}" '
                        f'data-tag="{escape(r)}">{escape(cat.entities[r].entity.label)}</a>'
                        for r in ev.related if r != entity_id)          # no link to the page itself
        items.append(f'<li id="ev-{escape(ev.id)}" data-related="{escape(" ".join(ev.related))}">'
                     f'<time datetime="{escape(ev.date)}">{escape(fmt_date(ev.date))}</time>{_scheduled(ev)} '
                     f'<strong>{escape(ev.title)}</strong>{cite(cat, ctx, ev)}'
                     f'<p>{escape(ev.summary)}</p>{_event_vote(cat, ctx, ev)}<p class="tags">{tags}</p></li>')
    if entity_id is not None:   # a page's slice repeats the timeline page: keep it out of the search index
        return f'<ol class="timeline" data-search-exclude>{"".join(items)}</ol>'
    listing = f'<ol class="timeline">{"".join(items)}</ol>'
    # The whole timeline gets a filter; CSS shows it only when JavaScript runs (html.js, set by Material).
    tagged = {r for ev in events for r in ev.related}
    groups = []
    for section, title in SECTION_TITLES.items():
        opts = "".join(f'<option value="{escape(p.entity.id)}">{escape(p.entity.label)}</option>'
                       for p in cat.entities.values() if p.section == section and p.entity.id in tagged)
        if opts:
            groups.append(f'<optgroup label="{escape(title)}">{opts}</optgroup>')
    control = ('<p class="timeline-filter"><label for="events-filter">Show events for </label>'
               '<select id="events-filter"><option value="">everything</option>'
               f'{"".join(groups)}</select> <output for="events-filter" aria-live="polite"></output></p>')
    return control + listing


def sources(cat: Catalog, ctx: PageContext) -> str:
    if ctx.sources_rendered:
        raise SiteError("sources() is called a second time on this page", file=ctx.src,
                        hint="keep one sources() call, at the end of the page")
    if not ctx.citations:
        raise SiteError("sources() on a page that cites nothing", file=ctx.src,
                        hint="cite facts through infobox(), compare(), timeline() … or drop sources()")
    ctx.sources_rendered = True
    items = []            # in the order of the note numbers in the text (a badge marks primary sources)
    for n, sid in enumerate(ctx.citations, 1):
        items.append(f'<li id="src-{escape(sid)}" value="{n}">'
                     f'{source_html(cat, sid, ctx.citations[sid], ctx.passages.get(sid, ()))}</li>')
    return f'<ol class="sources" data-search-exclude>{"".join(items)}</ol>'


@per_data_object
def _passages_shown(data) -> dict:
    """passage_html's answers for this data object (a passage's HTML depends on its source's record only)."""
    return {}


def passage_html(cat: Catalog, source_id: str, passage_id: str) -> str:
    """The source's own words, in quotation marks, with the English rendering, the locator and a link that
    lands on the words (a text fragment) where the source is a web page."""
    shown = _passages_shown(cat.data)
    if (source_id, passage_id) not in shown:
        shown[(source_id, passage_id)] = _passage_html(cat, source_id, passage_id)
    return shown[(source_id, passage_id)]


def _passage_html(cat: Catalog, source_id: str, passage_id: str) -> str:
    s, p = cat.sources[source_id], cat.passages[(source_id, passage_id)]
    out = f'<q class="passage-quote">{escape(p.quote)}</q>'
    if p.en:
        out += f' <span class="passage-en">(in English: “{escape(p.en)}”)</span>'
    if p.at:
        out += f' <span class="passage-at">{escape(p.at)}</span>'
    if s.url:
        out += (f' <a class="passage-link" href="{escape(text_fragment(s.url, p.quote))}" rel="noopener">'
                f'{"go to the passage" if text_fragment(s.url, p.quote) != s.url else "open the source"}</a>')
    return out


def source_html(cat: Catalog, source_id: str, pins: list[str] | tuple = (), passages: list[str] | tuple = ()) -> str:
    s = cat.sources[source_id]
    title = escape(s.title)
    if s.url:
        title = f'<a href="{escape(s.url)}" rel="noopener">{title}</a>'
    publisher = cat.publishers.get(s.publisher)     # an unknown id is refused by macros/policy.py
    bits = [f"<cite>{title}</cite>", escape(publisher.name if publisher else s.publisher)]
    if s.symbol:
        bits.append(f'UN doc. <span class="symbol">{escape(s.symbol)}</span>')
    if s.date:
        bits.append(escape(fmt_date(s.date)))
    if pins:   # pins like "¶7, ¶11" overlap: list each part once, in order of first citation
        parts = list(dict.fromkeys(part.strip() for pin in pins for part in pin.split(",")))
        bits.append("cited at " + escape(", ".join(parts)))
    kind = '<span class="badge primary">primary</span>' if s.primary else '<span class="badge">secondary</span>'
    checked = []      # `via` is shown as a host name, never linked: it may be a copy we do not vouch for
    if s.checked:
        checked.append(f"checked {escape(fmt_date(s.checked))}")
    if s.via:
        checked.append(f'read via <span class="via">{escape(host_of(s.via))}</span>')
    kind += f' <span class="src-checked">{", ".join(checked)}.</span>' if checked else ""
    words = "".join(f'<li id="src-{escape(source_id)}--{escape(pid)}">{passage_html(cat, source_id, pid)}</li>'
                    for pid in passages)
    return (", ".join(bits) + f". {kind}" + (f' <span class="src-note">{escape(s.note)}</span>' if s.note else "")
            + (f'<ul class="src-passages">{words}</ul>' if words else ""))


def for_teachers(cat: Catalog, ctx: PageContext, objectives: list, questions: list, answers: list | None = None) -> str:
    """Learning objectives and discussion questions from the page's front matter, each question followed by its
    answer (front matter `answers:`, macros/teaching.py) behind <details>: revealed without JavaScript."""
    if len(objectives) < 2 or len(questions) < 3:
        raise SiteError("for_teachers() needs at least 2 'objectives' and 3 'questions' in the front matter",
                        file=ctx.src, hint="add them as YAML lists at the top of the page")
    obj = "".join(f"<li>{escape(str(o))}</li>" for o in objectives)
    given = teaching.answers_of({"answers": answers, "questions": questions}, ctx.src, "") if answers else []
    qs = "".join(f"<li>{escape(str(q))}" + (answer_html(cat, ctx, given[i]) if given else "") + "</li>"
                 for i, q in enumerate(questions))
    return (f'<div class="for-teachers"><p><strong>After this page, students can:</strong></p><ul>{obj}</ul>'
            f"<p><strong>Questions for discussion:</strong></p><ol>{qs}</ol></div>")


def answer_html(cat: Catalog, ctx: PageContext, answer) -> str:
    cites = "".join(cite_source(cat, ctx, s, p) for s, p in answer.cites)
    return (f'<details class="answer"><summary>Answer</summary><p>{escape(answer.text)}{cites}</p></details>')


def key_terms(cat: Catalog, ctx: PageContext) -> str:
    """The glossary terms this page links, in alphabetical order (from the page scan)."""
    page = ctx.src.removeprefix("docs/")
    ids = sorted({i for i, pages in cat.used_on.items() if page in pages and i in cat.terms},
                 key=lambda i: cat.terms[i].term.casefold())
    if not ids:
        raise SiteError("key_terms() on a page that links no glossary terms", file=ctx.src,
                        hint="link terms with term('id') first")
    return '<ul class="key-terms" data-search-exclude>' + "".join(f"<li>{term(cat, ctx, i)}</li>" for i in ids) + "</ul>"


def who(cat: Catalog, ctx: PageContext) -> str:
    """The who's who: every actor with its facts, what the article says and where it appears."""
    blocks = []
    for placed in (p for p in cat.entities.values() if p.section == "actors"):
        ent = placed.entity
        facts = fact_rows(cat, ctx, cat.facts[ent.id])
        said = article_points(cat, ctx, ent.id) if ent.article else ""
        seen = ", ".join(ref(cat, ctx, p.entity.id) for p in cat.related_to(ent.id) if p.section != "actors")
        blocks.append(f'<section class="actor"><h2 id="{escape(ent.id)}">{escape(ent.name)}</h2>'
                      f"<p>{escape(ent.summary)}</p>" + (f'<dl class="facts">{facts}</dl>' if facts else "")
                      + (f"<p><strong>In the article:</strong></p>{said}" if said else "")
                      + (f'<p class="appears-on">Related pages: {seen}</p>' if seen else "") + "</section>")
    return "".join(blocks)


def listing(cat: Catalog, ctx: PageContext, section: str) -> str:
    """Every entity of a section with its one-line summary (for section index pages)."""
    if section not in SECTION_TITLES:
        raise SiteError(f"unknown section '{section}' in listing()", file=ctx.src,
                        hint=did_you_mean(section, SECTION_TITLES) or f"sections: {', '.join(SECTION_TITLES)}")
    items = "".join(f'<li><a href="{escape(ctx.href(p.url))}"><strong>{escape(p.entity.name)}</strong></a>'
                    f"<br>{escape(p.entity.summary)}</li>"
                    for p in cat.entities.values() if p.section == section)
    return f'<ul class="listing">{items}</ul>'


def teaching_index(cat: Catalog, ctx: PageContext) -> str:
    """Every page's learning objectives and discussion questions, and answers, collected from front matter: a contents list
    first, then one heading per section in the nav's order (the data lists entities in that order) and one per
    page, so the page's table of contents reaches each of them."""
    def block(path: str, meta: dict) -> str:
        link = f'<a href="{escape(ctx.href(cat.url_of(path)))}">{escape(cat.page_title(path))}</a>'
        obj = "".join(f"<li>{escape(str(o))}</li>" for o in meta["objectives"])
        given = teaching.answers_of(meta, f"docs/{path}", "")
        qs = "".join(f"<li>{escape(str(q))}" + (answer_html(cat, ctx, given[i]) if given else "") + "</li>"
                     for i, q in enumerate(meta.get("questions", [])))
        return (f'<section class="teaching"><h4 id="{teach_anchor(path)}">{link}</h4>'
                f"<p><strong>Objectives</strong></p><ul>{obj}</ul>"
                f"<p><strong>Questions</strong></p><ol>{qs}</ol></section>")

    with_objectives = {path: meta for path, meta in cat.page_meta.items() if meta.get("objectives")}
    if not with_objectives:
        raise SiteError("teaching_index() found no page with 'objectives' in its front matter", file=ctx.src)
    groups: list[tuple[str, str, list[str]]] = []
    placed: set[str] = set()
    for section, title in SECTION_TITLES.items():
        paths = [p.page for p in cat.entities.values() if p.section == section and p.page in with_objectives]
        paths = list(dict.fromkeys(paths))
        if paths:
            groups.append((section, title, paths))
            placed.update(paths)
    rest = sorted(p for p in with_objectives if p not in placed)
    if rest:
        groups.append(("other", "Other pages", rest))
    toc = "".join(f'<li><a href="#teach-{escape(section)}">{escape(title)}</a>: ' + ", ".join(
        f'<a href="#{teach_anchor(p)}">{escape(cat.page_title(p))}</a>' for p in paths) + "</li>"
        for section, title, paths in groups)
    out = [f'<nav class="teach-toc" aria-label="Objectives and questions: contents"><ul>{toc}</ul></nav>']
    for section, title, paths in groups:
        out.append(f'<h3 id="teach-{escape(section)}">{escape(title)} '
                   f'<a class="headerlink" href="#teach-{escape(section)}" title="Link to this section">¶</a></h3>')
        out.extend(block(p, with_objectives[p]) for p in paths)
    return "".join(out)


def teach_anchor(path: str) -> str:
    """'institutions/asean.md' -> 'teach-institutions-asean' (addresses under contract)."""
    return escape("teach-" + path[:-3].replace("/", "-"))


def teaching_downloads(cat: Catalog, ctx: PageContext) -> str:
    """Links to the self-check and reading-path packages macros/publish.py writes (the cartridge's web links
    need the site's absolute address, so it is offered only when that is known)."""
    from .lms import CC_PATH, QTI_PATH
    items = [f'<li><a href="{escape(ctx.href(QTI_PATH))}" download>Questions and answers as a QTI 2.1 package</a> '
             "(every page's discussion questions as essay items, each answer and its evidence in the scorer's "
             "rubric): import it into Canvas or Moodle as a quiz or question bank.</li>"]
    if ctx.site_url:
        items.append(f'<li><a href="{escape(ctx.href(CC_PATH))}" download>The reading paths as an IMS Common '
                     "Cartridge</a> (.imscc, one module per path, a web link per page): import it into Canvas, "
                     "Moodle or another LMS as a course.</li>")
    return f'<ul class="teaching-downloads">{"".join(items)}</ul>'


def changes_anchor(page: str) -> str:
    """The anchor on the changes page for the entities of one page: 'institutions/asean.md' -> 'on-institutions-asean'."""
    return "on-" + page.partition("#")[0].removesuffix(".md").replace("/", "-")


def changed_facts(cat: Catalog, ctx: PageContext) -> str:
    """Every fact that changed after the article (it has a `then`), in one table: page, fact, then, now, as of.
    The first row of each page's facts carries the anchors other pages link to (#on-<page>, #on-<page>-table)."""
    groups: dict[str, list] = {}
    for ent, fact in ((p.entity, f) for p in cat.entities.values() for f in cat.facts[p.entity.id] if f.then):
        groups.setdefault(cat.entities[ent.id].page.partition("#")[0], []).append((ent, fact))
    if not groups:
        raise SiteError("changed_facts() found no fact with a 'then' value", file=ctx.src,
                        hint="record what held when the article was written under a fact's 'then', or drop the call")
    then_head = f"When the article was written ({article_written(cat)})"
    head = ["Page", "Fact", then_head, "Now", "Now as of"]
    rows = []
    for page, items in groups.items():
        anchor, title = changes_anchor(page), cat.page_title(page)
        several = len({ent.id for ent, _ in items}) > 1        # name the entity only where the page has several
        for i, (ent, f) in enumerate(items):
            row_id = f' id="{escape(anchor)}"' if i == 0 else ""
            th_id = f' id="{escape(anchor)}-table"' if i == 0 else ""
            page_cell = (f'<a href="{escape(ctx.href(cat.url_of(page)))}">{escape(title)}</a>' if i == 0
                         else f'<span class="same-page">{escape(title)}</span>')
            fact = (f"{ref(cat, ctx, ent.id)}: " if several else "") + escape(cat.fact_keys[f.key].label)
            cells = [fact,
                     f'<span class="was">{escape(f.then.value)}</span>{cite(cat, ctx, f.then)}{_as_of(f.then.as_of)}',
                     f'<span class="now"><span class="changed-mark" aria-hidden="true">▲ </span>{escape(f.value)}</span>'
                     f'{cite(cat, ctx, f)}',
                     escape(fmt_date(f.as_of)) if f.as_of else EMPTY]
            tds = "".join(f'<td data-label="{escape(h)}"' + (' class="is-empty"' if c == EMPTY else "") + f">{c}</td>"
                          for h, c in zip(head[1:], cells))
            first = ' class="page-first"' if i == 0 else ""
            rows.append(f'<tr{row_id}{first}><th scope="row"{th_id}>{page_cell}</th>{tds}</tr>')
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    return ('<figure class="table-block changes-table" id="changes-table"><figcaption class="table-caption" '
            'id="changes-table-caption">What changed, page by page<span class="caption-note">Then: what held when the '
            'article was written; now (▲): what holds today, with the date it describes.</span></figcaption>'
            '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="changes-table-caption">'
            '<table class="data-table" aria-labelledby="changes-table-caption">'
            f'<thead><tr>{ths}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></figure>')


def events_since(cat: Catalog, ctx: PageContext) -> str:
    """Events dated after the day the article looked ahead to (its record's cutoff), by year, oldest first."""
    cutoff = _cutoff(cat, ctx, "events_since")
    events = freshness.events_after(cat.data, cutoff)
    if not events:
        raise SiteError(f"events_since() found no event after {fmt_date(cutoff)}", file=ctx.src,
                        hint="add dated events to the data file, or drop the call")
    blocks = []
    for year, group in groupby(events, key=lambda e: e.date[:4]):
        items = []
        for ev in group:
            tags = " ".join(f'<a class="tag" href="{escape(ctx.href(cat.entities[r].url))}">'
                            f'{escape(cat.entities[r].entity.label)}</a>' for r in ev.related)
            items.append(f'<li><time datetime="{escape(ev.date)}">{escape(fmt_date(ev.date))}</time>{_scheduled(ev)} '
                         f'<strong>{escape(ev.title)}</strong>{cite(cat, ctx, ev)}'
                         f'<p>{escape(ev.summary)}</p>{_event_vote(cat, ctx, ev)}<p class="tags">{tags}</p></li>')
        blocks.append(f'<h3 id="since-{escape(year)}">{escape(year)} '
                      f'<a class="headerlink" href="#since-{escape(year)}" title="Link to this section">¶</a></h3>'
                      f'<ol class="timeline">{"".join(items)}</ol>')
    return "".join(blocks)


def open_questions(cat: Catalog, ctx: PageContext) -> str:
    """What the site could not verify (the data's open_questions), each with what was found and when."""
    items = []
    for q in cat.data.open_questions:
        pages = ", ".join(ref(cat, ctx, rid) for rid in q.related)
        cited = cite(cat, ctx, Cite(source=q.source, passage=q.passage, pin=q.pin)) if q.source else ""
        items.append(f'<li id="open-{escape(q.id)}"><strong>{escape(q.question)}</strong> {escape(q.found)}{cited} '
                     f'<span class="as-of">(checked {escape(fmt_date(q.checked))})</span>'
                     + (f' <span class="see-also">See {pages}.</span>' if pages else "") + "</li>")
    if not items:
        raise SiteError("open_questions() found no open question in the data file", file=ctx.src,
                        hint="drop the call, or add records under open_questions:")
    return f'<ul class="open-questions">{"".join(items)}</ul>'


# --- values in prose: a sentence that states a structured record says it through its record -------------

def event_date(cat: Catalog, ctx: PageContext, event_id: str) -> str:
    """The date of a recorded event, as the site writes dates ("25 March 2024")."""
    ev = cat.events.get(event_id)
    if ev is None:
        raise SiteError(f"unknown event id '{event_id}' in event_date()", file=ctx.src,
                        hint=did_you_mean(event_id, cat.events) or "check the event id in data/asean_un.yml")
    return escape(fmt_date(ev.date))


VOTE_PARTS = ("in_favour", "against", "abstaining")


def vote_count(cat: Catalog, ctx: PageContext, vote_id: str, part: str = "in_favour") -> str:
    """One count of a recorded Council vote: vote_count("gaza-res-2728") -> "14"."""
    vote = cat.votes.get(vote_id)
    if vote is None:
        raise SiteError(f"unknown vote id '{vote_id}' in vote_count()", file=ctx.src,
                        hint=did_you_mean(vote_id, cat.votes) or "check the vote id under votes: in data/asean_un.yml")
    if part not in VOTE_PARTS:
        raise SiteError(f"vote_count() has no part '{part}'", file=ctx.src,
                        hint=did_you_mean(part, VOTE_PARTS) or f"parts: {', '.join(VOTE_PARTS)}")
    return str(getattr(vote, part))


def seat(cat: Catalog, ctx: PageContext, state: str, start: int) -> str:
    """An elected Council term as the site writes it ("2019–2020"), from its council_seats record."""
    found = next((s for s in cat.data.council_seats if s.state == state and s.start == start), None)
    if found is None:
        have = [f"{s.state} {s.start}" for s in cat.data.council_seats if s.state == state]
        raise SiteError(f"no Council seat of '{state}' starting in {start} in seat()", file=ctx.src,
                        hint=(f"its seats start in: {', '.join(h.split()[1] for h in have)}" if have else
                              did_you_mean(state, {s.state for s in cat.data.council_seats}) or
                              "add the seat under council_seats: in data/asean_un.yml"))
    return f"{found.start}–{found.end}" if found.end != found.start else str(found.start)


def _member(cat: Catalog, ctx: PageContext, body: str, state: str, macro: str):
    ms = next((m for m in cat.data.memberships if m.body == body), None)
    if ms is None:
        raise SiteError(f"no membership list for '{body}' in {macro}()", file=ctx.src,
                        hint=did_you_mean(body, {m.body for m in cat.data.memberships}) or "check the body id")
    m = next((m for m in ms.members if m.state == state), None)
    if m is None:
        raise SiteError(f"'{state}' is not a member of '{body}' in {macro}()", file=ctx.src,
                        hint=did_you_mean(state, {m.state for m in ms.members}) or "check the state id")
    return ms, m


def joined(cat: Catalog, ctx: PageContext, state: str, body: str = "asean") -> str:
    """When a state joined a body ("1995", "26 October 2025"), from its membership record."""
    _, m = _member(cat, ctx, body, state, "joined")
    if not m.since:
        raise SiteError(f"the membership of '{state}' in '{body}' has no 'since' date for joined()", file=ctx.src,
                        hint="add since: to the member in data/asean_un.yml")
    return escape(fmt_date(str(m.since)))


def member_count(cat: Catalog, ctx: PageContext, body: str, when: str = "now") -> str:
    """How many members a body's list has ("now"), or had when the article was written ("then")."""
    ms = next((m for m in cat.data.memberships if m.body == body), None)
    if ms is None:
        raise SiteError(f"no membership list for '{body}' in member_count()", file=ctx.src,
                        hint=did_you_mean(body, {m.body for m in cat.data.memberships}) or "check the body id")
    if when not in ("now", "then"):
        raise SiteError(f"member_count() takes 'now' or 'then', not '{when}'", file=ctx.src)
    cutoff = _cutoff(cat, ctx, "member_count") if when == "then" else None
    return str(sum(1 for m in ms.members if m.status == "member"
                   and not (cutoff and m.since and str(m.since) > cutoff)))


def article_info(cat: Catalog, ctx: PageContext, field: str) -> str:
    """The article's metadata from its record: series number, when it was written, its cut-off, its ¶ range."""
    art = cat.data.article
    if art is None:
        raise SiteError("article_info() needs the top-level 'article:' record", file=ctx.src)
    values = {"series": art.series or "", "written": article_written(cat), "cutoff": fmt_date(art.cutoff),
              "paragraphs": f"¶1–¶{art.paragraphs}", "author": art.author, "title": cat.sources[art.source].title,
              "container": art.container, "url": cat.sources[art.source].url or ""}
    if field not in values:
        raise SiteError(f"article_info() has no field '{field}'", file=ctx.src,
                        hint=did_you_mean(field, values) or f"fields: {', '.join(values)}")
    return escape(values[field])


def corrections(cat: Catalog, ctx: PageContext) -> str:
    """The errata: every correction, newest first, with what was wrong, what is right, the page and the source."""
    if not cat.corrections:
        return '<p class="corrections-none">No correction has been recorded yet.</p>'
    items = []
    for fix in cat.corrections.values():
        path, _, anchor = fix.page.partition("#")
        where = ctx.href(cat.url_of(path)) + (f"#{anchor}" if anchor else "")
        items.append(f'<li id="fix-{escape(fix.id)}"><time datetime="{escape(fix.date)}">{escape(fmt_date(fix.date))}'
                     f'</time>, on <a href="{escape(where)}">{escape(cat.page_title(path))}</a>'
                     f'<dl><dt>What was wrong</dt><dd>{escape(fix.wrong)}</dd>'
                     f'<dt>What is right</dt><dd>{escape(fix.right)}{cite(cat, ctx, fix)}</dd></dl></li>')
    return f'<ol class="corrections">{"".join(items)}</ol>'


def _event_vote(cat: Catalog, ctx: PageContext, ev) -> str:
    """The tally of the recorded Council vote an event belongs to (votes: event), drawn from that record."""
    from .catalog import vote_text
    vote = next((v for v in cat.votes.values() if v.event == ev.id), None)
    if vote is None:
        return ""
    names = {st.id: st.name for st in cat.states.values()}
    return f'<p class="vote-tally">{escape(vote_text(vote, names, "Vote"))}{cite(cat, ctx, vote)}</p>'


def error_box(message: str) -> str:
    """What `mkdocs serve` shows in place of a page that has an error (`mkdocs build` stops instead)."""
    return ('<div class="build-error" role="alert" style="border:2px solid #b00020;padding:0 1em;margin:1em 0">'
            "<p><strong>This page could not be built.</strong> Fix the problem below and save: the page "
            "reloads. (<code>mkdocs build</code> stops on this error.)</p>"
            f"<pre><code>{escape(message)}</code></pre></div>\n")


# --- helpers ----------------------------------------------------------------------------------------

def page_entity(ctx: PageContext, entity_id: str | None, macro: str) -> str:
    """The entity a macro is about: the one it names, else the one the page's front matter names."""
    if entity_id is not None:
        return entity_id
    if ctx.entity is None:
        raise SiteError(f"{macro}() names no entity and the page's front matter names none", file=ctx.src,
                        hint=f"write {macro}(\"<entity id>\"), or add 'entity: <id>' to the front matter")
    return ctx.entity


def _entity(cat: Catalog, ctx: PageContext, entity_id: str, macro: str):
    placed = cat.entities.get(entity_id)
    if placed is None:
        raise SiteError(f"unknown entity id '{entity_id}' in {macro}()", file=ctx.src,
                        hint=cat.suggest(entity_id, "entities"))
    return placed


def see_also_labels(cat: Catalog, t) -> list[tuple[str, str]]:
    """(id, label) for a glossary entry's see-also links: never the entry itself, never one label twice.

    An entity whose short label reads like the entry or another link (the A4P page next to the A4P entry)
    is named in full instead; whatever still reads the same as the entry, or as an earlier link, is dropped.
    """
    def short(ident):
        return cat.terms[ident].term if ident in cat.terms else cat.entities[ident].entity.label

    ids = [i for i in dict.fromkeys(t.see_also) if i != t.id]
    own = {t.term.casefold(), t.inline.casefold()}
    counts: dict[str, int] = {}
    for i in ids:
        counts[short(i).casefold()] = counts.get(short(i).casefold(), 0) + 1
    out, seen = [], set(own)
    for i in ids:
        label = short(i)
        if i in cat.entities and (label.casefold() in own or counts[label.casefold()] > 1):
            label = cat.entities[i].entity.name
        if label.casefold() not in seen:
            seen.add(label.casefold())
            out.append((i, label))
    return out


def _plain_link(cat: Catalog, ctx: PageContext, ident: str, label: str | None = None) -> str:
    if ident in cat.terms:
        return f'<a href="#{escape(ident)}">{escape(label or cat.terms[ident].term)}</a>'
    placed = cat.entities[ident]
    return f'<a href="{escape(ctx.href(placed.url))}">{escape(label or placed.entity.label)}</a>'


def href(cat: Catalog, ctx: PageContext, path: str) -> str:
    """A site-relative address ('data/asean_un.json', 'print_page/') as a link from this page, for raw HTML in
    pages: <a href="{{ href('data/asean_un.json') }}">. Right under any base path and in every engine."""
    return html.escape(ctx.href(path), quote=True)   # an address inside an HTML tag: HTML-escaped only
