"""One record per fact, tested as a reader would notice: change a record in a copy of the project, rebuild, and
the old value is gone from every page while the new one shows; prose says structured values through macros;
no fact-bearing string is kept in the Python that draws pages."""
from __future__ import annotations

import ast
import collections
import glob
import html
import re
import sys

import pytest
import yaml

from conftest import ROOT, build, copy_site

sys.path.insert(0, str(ROOT))
from macros.loader import load_data  # noqa: E402
from macros.model import ENTITY_SECTIONS  # noqa: E402
from macros.render import fmt_date  # noqa: E402

DATA = load_data(ROOT / "data" / "asean_un.yml")


def _record(text: str, head: str) -> tuple[int, int]:
    """The span of the YAML list item that starts with `head` (up to the next item at its indentation)."""
    start = text.index(head)
    indent = len(head) - len(head.lstrip("\n")) and 0
    col = len(head.lstrip("\n")) - len(head.lstrip("\n").lstrip(" "))
    nxt = re.compile(rf"\n {{{col}}}- ").search(text, start + len(head))
    return start, nxt.start() if nxt else len(text)


def _change(text: str, head: str, old: str, new: str) -> str:
    start, end = _record(text, head)
    item = text[start:end]
    assert item.count(old) == 1, f"{old!r} not once in the record {head!r}"
    return text[:start] + item.replace(old, new) + text[end:]


def _page_texts(site) -> dict[str, str]:
    """Every page as a reader sees its words (tags dropped, entities decoded, spaces collapsed)."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        if "print_page" in path.parts:      # the whole site again on one page
            continue
        if path.relative_to(site).parts[0] == "editions":   # a fixed edition keeps what held when it was cut
            continue
        raw = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
        out[path.relative_to(site).as_posix()] = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    return out


def _count(texts: dict[str, str], pattern: str) -> int:
    return sum(len(re.findall(pattern, t)) for t in texts.values())


# Each mutation: (what, record head, old text in the record, new text, the old value as pages show it, the new).
MUTATIONS = [
    ("a Council term", "\n- state: singapore\n  start: 2001\n", "end: 2002", "end: 2003",
     r"2001–2002", r"2001–2003"),
    ("a vote count", "\n- id: gaza-res-2728\n", "in_favour: 14\n  against: 0\n  abstaining: 1",
     "in_favour: 13\n  against: 0\n  abstaining: 2", r"14–0–1|14 in favour, 0 against, 1 abstaining",
     r"13–0–2|13 in favour, 0 against, 2 abstaining"),
    ("a join year", "\n  - state: viet-nam\n    since: 1995", "since: 1995", "since: 1996",
     r"Viet Nam\W{0,40}1995|1995\W{0,40}Viet Nam", r"Viet Nam\W{0,40}1996|1996\W{0,40}Viet Nam"),
    ("a membership", "\n- body: quad\n", "  - state: japan\n", "",
     r"4: Australia, India, Japan, United States", r"3: Australia, India, United States"),
    ("the article's cut-off", "\narticle:", "cutoff_event: asean-un-summit-2024",
     "cutoff_event: guterres-press-conference-2024-09-18",
     r"article was written \(October 2024\)", r"article was written \(September 2024\)"),
]


@pytest.fixture(scope="module")
def mutated(tmp_path_factory, real_site):
    """The project with one record of each kind changed, built once, next to the real site."""
    project = copy_site(tmp_path_factory.mktemp("mutated"))
    text = (project / "data" / "asean_un.yml").read_text(encoding="utf-8")
    for _, head, old, new, _, _ in MUTATIONS:
        text = _change(text, head, old, new)
    (project / "data" / "asean_un.yml").write_text(text, encoding="utf-8")
    built = build(project)
    assert built.code == 0, built.output[-3000:]
    return _page_texts(real_site.site), _page_texts(built.site), built.site


@pytest.mark.parametrize("what,head,old,new,shown_old,shown_new", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_changing_one_record_changes_every_page(mutated, what, head, old, new, shown_old, shown_new):
    before, after, _ = mutated
    assert _count(before, shown_old) > 0, f"the real site never shows {what} as {shown_old!r}: the test is stale"
    left = [page for page, t in after.items() if re.search(shown_old, t)]
    assert not left, f"after changing {what}, the old value still shows on {left}"
    assert _count(after, shown_new) >= _count(before, shown_old), f"the new value of {what} shows in fewer places"


def test_open_data_follows_the_changed_records(mutated):
    *_, site = mutated
    seats = (site / "data" / "council_seats.csv").read_text(encoding="utf-8")
    assert "singapore,Singapore,2001,2003" in seats and "2001,2002" not in seats.split("singapore")[1][:20]
    votes = (site / "data" / "votes.csv").read_text(encoding="utf-8")
    assert re.search(r"gaza-res-2728,.*,adopted,13,0,2,", votes)
    facts = (site / "data" / "facts.csv").read_text(encoding="utf-8")
    assert "quad,participants,\"3: Australia, India, United States\"" in facts


# --- prose -------------------------------------------------------------------------------------------

def _prose(text: str) -> str:
    """A page's own words: macro calls and front matter blanked (lines kept, for messages)."""
    text = re.sub(r"\A---\n.*?\n---\n", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: " " * len(m.group(0)), text, flags=re.S)


def _copies_in(text: str) -> list[tuple[str, int]]:
    """Structured values written by hand into a page: event dates, Council terms, vote tallies, join years,
    the article's series and ¶ range."""
    prose, found = _prose(text), []

    def where(match):
        return prose.count("\n", 0, match.start()) + 1
    by_day = collections.Counter(fmt_date(e.date) for e in DATA.events if len(e.date) == 10)
    for day in by_day:
        found += [(f"the date of a recorded event ({day}): use event_date()", where(m))
                  for m in re.finditer(rf"\b{re.escape(day)}\b", prose)]
    for seat in DATA.council_seats:
        if seat.end != seat.start:
            found += [(f"a Council term ({seat.start}–{seat.end}): use seat()", where(m))
                      for m in re.finditer(rf"\b{seat.start}[–-]{seat.end}\b", prose)]
    for vote in DATA.votes:
        found += [(f"a vote tally of '{vote.id}': use vote_count()", where(m)) for m in
                  re.finditer(rf"\b{vote.in_favour}[–-]{vote.against}[–-]{vote.abstaining}\b", prose)]
    names = {s.id: s.name for s in DATA.states}
    for ms in DATA.memberships:
        for m in ms.members:
            if m.since and ms.show_years:
                pat = rf"{re.escape(names[m.state])}\W{{1,12}}(joined|became)\W[^.]{{0,30}}\b{str(m.since)[:4]}\b"
                found += [(f"the year {names[m.state]} joined: use joined()", where(x)) for x in re.finditer(pat, prose)]
    art = DATA.article
    for value, macro in ((art.series, "article_info('series')"), (f"¶1–¶{art.paragraphs}", "article_info('paragraphs')")):
        found += [(f"the article's {value}: use {macro}", where(m)) for m in re.finditer(re.escape(value), prose)]
    return found


def test_pages_say_structured_values_through_their_records():
    problems = [f"docs/{path.relative_to(ROOT / 'docs')}:{line}: {what}"
                for path in sorted((ROOT / "docs").rglob("*.md"))
                for what, line in _copies_in(path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_the_copy_detector_finds_copies():
    """The check above can fail: each kind of hand-written copy is found in a sample page."""
    seat = next(s for s in DATA.council_seats if s.end != s.start)
    vote = DATA.votes[0]
    event = next(e for e in DATA.events if len(e.date) == 10)
    page = (f"---\ntitle: t\n---\nIt sat in {seat.start}–{seat.end}. The vote was "
            f"{vote.in_favour}-{vote.against}-{vote.abstaining}. On {fmt_date(event.date)} it met. "
            f"See {DATA.article.series}.\n{{{{ event_date('{event.id}') }}}}\n")
    kinds = {re.split(r" \(| of |:", what)[0] for what, _ in _copies_in(page)}
    assert kinds == {"a Council term", "a vote tally", "the date", f"the article's {DATA.article.series}"}


def test_summaries_do_not_restate_terms_or_join_years():
    """Free-text summaries (previews, page descriptions) leave structured values to the records."""
    seats = collections.defaultdict(list)
    for s in DATA.council_seats:
        seats[s.state].append(s)
    since = {m.state: str(m.since)[:4] for ms in DATA.memberships if ms.show_years for m in ms.members if m.since}
    bad = []
    for section in ENTITY_SECTIONS:
        for ent in getattr(DATA, section):
            years = {str(y) for s in seats.get(ent.id, []) for y in (s.start, s.end)} | (
                {since[ent.id]} if ent.id in since else set())
            hit = [y for y in years if re.search(rf"\b{y}\b", ent.summary)]
            if hit:
                bad.append(f"{ent.id} (line {ent.line}): {', '.join(sorted(hit))}")
    assert not bad, "summaries restating a Council term or join year: " + "; ".join(bad)


def test_facts_and_events_leave_vote_tallies_to_the_vote_records():
    """A fact or timeline entry about a recorded Council vote names the vote (`vote:` / the vote's `event:`) and
    shows the tally made from it; none types the numbers again."""
    from macros.render import fmt_date
    bad = []
    for vote in DATA.votes:
        tally = [rf"\b{vote.in_favour}[-–]{vote.against}[-–]{vote.abstaining}\b", rf"\b{vote.in_favour} (votes|in favour)\b"]
        marks = [m for m in (vote.draft.split(" ")[0] if vote.draft else None, fmt_date(vote.date)) if m]
        for sec in ENTITY_SECTIONS:
            for ent in getattr(DATA, sec):
                for f in ent.facts:
                    if f.value and not f.vote and any(m in f.value for m in marks) and \
                            any(re.search(t, f.value) for t in tally):
                        bad.append(f"fact '{f.key}' of '{ent.id}' (line {f.line}) restates vote '{vote.id}'")
        for ev in DATA.events:
            if ev.id == vote.event and any(re.search(t, ev.summary) for t in tally):
                bad.append(f"event '{ev.id}' (line {ev.line}) restates the tally of vote '{vote.id}'")
    assert not bad, "; ".join(bad)


# --- Python ------------------------------------------------------------------------------------------

DRAWING = ("render.py", "figures.py", "citation.py")
NUMBER_WORDS = r"\b(three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
               r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)\b"


def _fact_strings(source: str, names: set[str]) -> list[tuple[int, str, str]]:
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            value = node.value
            why = [f"the name {n!r}" for n in names if re.search(rf"\b{re.escape(n)}\b", value)]
            if re.search(r"\b(1[89]|20)\d\d\b", value):
                why.append("a year")
            if re.search(NUMBER_WORDS, value, re.I):
                why.append("a count in words")
            found += [(node.lineno, value, w) for w in why]
    return found


def test_no_fact_bearing_string_in_the_code_that_draws_pages():
    """Names are data; the boundary data's own names (Natural Earth's, in data/geo/maps.json) are the keys the
    drawing code places labels by, not what it shows, and are allowed."""
    import json
    boundary = set(json.loads((ROOT / "data" / "geo" / "maps.json").read_text(encoding="utf-8"))["names"])
    names = {s.name for s in DATA.states} | {e.name for sec in ENTITY_SECTIONS for e in getattr(DATA, sec)} | {
        e.short for sec in ENTITY_SECTIONS for e in getattr(DATA, sec) if e.short}
    names = {n for n in names if len(n) >= 4} - boundary
    bad = [f"macros/{name}:{line}: {why} in {value[:60]!r}" for name in DRAWING
           for line, value, why in _fact_strings((ROOT / "macros" / name).read_text(encoding="utf-8"), names)]
    assert not bad, "facts belong in data/asean_un.yml:\n" + "\n".join(bad)


def test_the_fact_string_check_finds_facts():
    sample = 'x = "joined after the article"\ny = f"the eight other countries"\nz = "Myanmar"\nw = "in 1997"\n'
    found = {why for _, _, why in _fact_strings(sample, {"Myanmar"})}
    assert found == {"a count in words", "the name 'Myanmar'", "a year"}
