"""The source's own words behind every citation: coverage, located errors, the article's quotations, the
reader's view (source list, text-fragment links) and the open-data citations table."""
from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT, valid_data

sys.path.insert(0, str(ROOT))
from macros import evidence, render  # noqa: E402
from macros.catalog import build_catalog  # noqa: E402
from macros.cli import main as cli  # noqa: E402
from macros.errors import SiteError  # noqa: E402
from macros.export import to_csv_tables  # noqa: E402
from macros.loader import load_data, parse_yaml, validate  # noqa: E402
from macros.pages import scan_page  # noqa: E402
from macros.site import read_pages  # noqa: E402

DATA = load_data(ROOT / "data" / "asean_un.yml")
ARTICLE = ROOT.parent / "shared" / "source" / "paragraphs.txt"


def _all_citations():
    calls = {f"docs/{p}": scan_page(f"docs/{p}", t) for p, t in read_pages(ROOT / "docs").items()}
    return [*evidence.data_citations(DATA, "data/asean_un.yml"), *evidence.page_citations(calls)]


def test_every_citation_shows_the_sources_words():
    cites = _all_citations()
    assert DATA.evidence == "required"
    assert len(cites) >= 1200
    missing = evidence.missing(cites)
    assert not missing, "\n".join(str(evidence.problem(c)) for c in missing[:20])


def test_make_sources_reports_the_coverage(capsys):
    assert cli(["sources", str(ROOT / "data" / "asean_un.yml"), "--docs", str(ROOT / "docs")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    with_words, total = map(int, re.fullmatch(r"evidence: (\d+)/(\d+) citations", out[-1]).groups())
    assert with_words == total == len(_all_citations())


def _catalog(text: str):
    return build_catalog(validate(parse_yaml(text, "d.yml"), "d.yml"), "d.yml")


WITH_PASSAGE = valid_data().replace("""    primary: true
    checked: 2026-11-30
""", """    primary: true
    checked: 2026-11-30
    passages:
      - id: art-23
        quote: "The Security Council shall consist of fifteen Members of the United Nations."
        at: Art. 23(1)
""", 1)


def test_a_citation_names_a_passage_of_its_own_source():
    cat = _catalog(WITH_PASSAGE.replace("        pin: Art. 23\n", "        passage: art-23\n"))
    fact = next(f for f in cat.facts["unsc"] if f.key == "founded")
    assert cat.passages[(fact.source, fact.passage)].at == "Art. 23(1)"
    with pytest.raises(SiteError, match=r"d\.yml:\d+: .*unknown passage 'art-32' of source 'charter'.*did you mean "
                                        r"'art-23'"):
        _catalog(WITH_PASSAGE.replace("        pin: Art. 23\n", "        passage: art-32\n"))
    with pytest.raises(SiteError, match="names passage 'art-23' and pin 'Art. 23'.*drop the pin"):
        _catalog(WITH_PASSAGE.replace("        pin: Art. 23\n", "        pin: Art. 23\n        passage: art-23\n"))


def test_a_passage_quotes_a_few_words_not_a_page():
    long = " ".join(["word"] * 50)
    with pytest.raises(SiteError, match=r"d\.yml:\d+: \[art-23\] .*passage 'art-23' quotes 56 words"):
        _catalog(WITH_PASSAGE.replace("fifteen Members of the United Nations.", long))


PAGE = "# UNSC\n\nFifteen members{{ cite('charter') }}.\n\n{{ sources() }}\n"
REQUIRED = "evidence: required\n" + WITH_PASSAGE


def test_the_build_refuses_a_citation_in_the_data_without_words(mini):
    built = mini(data=REQUIRED, pages={"institutions/unsc.md": PAGE})
    assert built.code != 0
    assert re.search(r"data/asean_un\.yml:\d+: .*cites 'charter' without the source's words", built.output), \
        built.output[-1500:]


def test_the_build_refuses_a_citation_on_a_page_without_words(mini):
    """Every data citation given its words: the page's cite() is then the first without them, at its line."""
    fixed = re.sub(r"\n +pin: .*", "", REQUIRED)
    fixed = re.sub(r"(\n( +)source: charter\n)(?!\2passage)", r"\1\2passage: art-23\n", fixed)
    fixed = fixed.replace("        says: Lin points to the UN's limits.\n",
                          "        says: Lin points to the UN's limits.\n        passage: p4\n")
    fixed = fixed.replace("    checked: 2026-11-30\nfact_keys", "    checked: 2026-11-30\n    passages:\n      - id: p4\n"
                          "        quote: \"the UN's limits\"\n        at: ¶4\nfact_keys")
    built = mini(data=fixed, pages={"institutions/unsc.md": PAGE})
    assert built.code != 0
    assert re.search(r"docs/institutions/unsc\.md:3: page docs/institutions/unsc\.md cites 'charter' without",
                     built.output), built.output[-1500:]


def test_a_page_names_a_passage_by_its_id():
    page = 'Fifteen{{ cite("charter", "art-32") }} and {{ cite("charter", "Art. 23") }}.\n'
    calls = scan_page("docs/x.md", page)
    cites = evidence.page_citations({"docs/x.md": calls})
    assert [(c.passage, c.pin) for c in cites] == [("art-32", None), (None, "Art. 23")]


# --- the article: short quotations, exactly its words -------------------------------------------------

def test_quotations_of_the_article_are_its_own_words_and_short():
    """The article is someone else's text: the site quotes it only briefly, word for word, in the ¶ named."""
    assert ARTICLE.is_file(), f"{ARTICLE} (shared/source beside the repository) holds the article's numbered text"
    text = ARTICLE.read_text(encoding="utf-8")
    paras = {int(m.group(1)): re.sub(r"\s+", " ", m.group(2)) for m in
             re.finditer(r"^¶(\d+)\s+(.*?)(?=^¶\d+\s|\Z)", text, re.S | re.M)}
    assert len(paras) == DATA.article.paragraphs
    art = next(s for s in DATA.sources if s.id == DATA.article.source)
    words = 0
    for p in art.passages:
        n = int(p.at.removeprefix("¶"))
        assert p.quote in paras[n], f"passage '{p.id}' is not ¶{n}'s own words"
        assert len(p.quote.split()) <= 15, f"passage '{p.id}' quotes {len(p.quote.split())} words of the article"
        words += len(p.quote.split())
    total = sum(len(t.split()) for t in paras.values())
    assert words <= 0.4 * total, f"the site quotes {words} of the article's {total} words"


# --- what readers and re-users see ------------------------------------------------------------------

def test_the_source_list_prints_the_passage_and_links_to_the_words():
    cat = _catalog(WITH_PASSAGE.replace("        pin: Art. 23\n", "        passage: art-23\n"))
    ctx = render.PageContext(url="institutions/unsc/")
    marker = render.cite_source(cat, ctx, "charter", "art-23")
    assert 'href="#src-charter--art-23"' in marker and "title=" not in marker
    html = render.sources(cat, ctx)
    item = re.search(r'<li id="src-charter--art-23">(.*?)</li>', html).group(1)
    assert "<q class=\"passage-quote\">The Security Council shall consist of fifteen Members of the United Nations.</q>" \
        in item and "Art. 23(1)" in item
    assert "full-text#:&#126;:text=The%20Security%20Council%20shall,of%20the%20United%20Nations." in item


def test_text_fragments_encode_what_would_split_a_directive():
    assert evidence.text_fragment("https://a.org/p", "one-two, three & four") == \
        "https://a.org/p#:~:text=one%2Dtwo%2C%20three%20%26%20four"
    assert evidence.text_fragment("https://a.org/doc.pdf", "words") == "https://a.org/doc.pdf"
    long = "a b c d e f g h i j"
    assert evidence.text_fragment("https://a.org/p", long) == "https://a.org/p#:~:text=a%20b%20c%20d,g%20h%20i%20j"


def test_open_data_has_one_row_per_citation_with_its_words():
    cat = build_catalog(DATA, "data/asean_un.yml",
                        page_citations=[c for c in _all_citations() if c.file.startswith("docs/")])
    rows = list(csv.DictReader(io.StringIO(to_csv_tables(cat)["citations.csv"])))
    assert len(rows) == len(_all_citations())
    assert all(r["quote"] and r["passage"] for r in rows)
    sample = next(r for r in rows if r["source"] == "un-charter" and r["passage"] == "art-27-3")
    assert sample["quote"].startswith("Decisions of the Security Council on all other matters")


def test_open_data_follows_the_pages_citations_for_the_same_data():
    """to_csv_tables keeps its last answer for the same data object and pages' citations: a page that cites
    one more passage (a page edit under serve, the data unchanged) still gets a row for it."""
    pages = [c for c in _all_citations() if c.file.startswith("docs/")]
    fewer = build_catalog(DATA, "data/asean_un.yml", page_citations=pages[1:])
    more = build_catalog(DATA, "data/asean_un.yml", page_citations=pages)
    assert fewer.data is more.data
    rows = lambda cat: list(csv.DictReader(io.StringIO(to_csv_tables(cat)["citations.csv"])))  # noqa: E731
    assert len(rows(fewer)) + 1 == len(rows(more))
