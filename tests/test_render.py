"""Pure renderers: escaped HTML, relative links, tooltips, citations, tables."""
import json
import re

import pytest

from conftest import valid_data
from macros import render
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import parse_yaml, validate


def cat_of(text=None):
    return build_catalog(validate(parse_yaml(text or valid_data(), "d.yml"), "d.yml"), "d.yml")


@pytest.fixture
def cat():
    return cat_of()


def ctx(url="institutions/un/"):
    return render.PageContext(url=url, src="docs/p.md")


def _previews(cat) -> dict:
    js = render.previews_js(cat)
    assert js.startswith("window.sitePreviews=") and js.endswith(";\n")
    return json.loads(js[len("window.sitePreviews="):-2])


def test_term_links_relative_and_name_their_preview_which_the_page_does_not_hold(cat):
    c = ctx()
    html = render.term(cat, c, "veto")
    assert 'href="../../glossary/#veto"' in html and 'data-preview="term:veto"' in html
    assert "block a Council decision" not in html                     # the definition is loaded on demand
    assert render.term(cat, c, "veto", "the veto").count(">the veto</a>") == 1
    assert _previews(cat)["term:veto"] == f"<strong>Veto</strong>: {cat.terms['veto'].definition}"


def test_ref_names_its_preview_and_the_previews_file_holds_the_summary(cat):
    html = render.ref(cat, ctx(""), "unsc")
    assert 'href="institutions/unsc/"' in html and 'data-preview="ref:unsc"' in html and ">UNSC</a>" in html
    assert "The UN organ for peace and security." not in html
    assert "The UN organ for peace and security." in _previews(cat)["ref:unsc"]
    # every term and every entity has its preview, and nothing else is in the file
    assert set(_previews(cat)) == {f"term:{t}" for t in cat.terms} | {f"ref:{e}" for e in cat.entities}


def test_the_previews_file_keeps_hostile_text_inert(cat):
    import dataclasses
    t = cat.terms["veto"]
    bad = t.model_copy(update={"definition": "</script><script>alert(1)</script> & \u2028 <b>"})
    hostile = dataclasses.replace(cat, terms={**cat.terms, "veto": bad})
    js = render.previews_js(hostile)
    assert "</script" not in js and "<script" not in js and "\u2028" not in js
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in _previews(hostile)["term:veto"]


def test_unknown_ids_fail_with_suggestion(cat):
    with pytest.raises(SiteError, match="did you mean 'veto'"):
        render.term(cat, ctx(), "vetoo")
    with pytest.raises(SiteError, match="did you mean 'unsc'"):
        render.infobox(cat, ctx(), "unscc")


def test_infobox_cites_each_fact_and_shows_as_of(cat):
    c = ctx()
    html = render.infobox(cat, c, "un")
    assert html.count('<sup class="cite">') == 2
    assert 'href="#src-charter"' in html and "(as of 1 October 2024)" in html
    refs = render.sources(cat, c)
    assert 'id="src-charter"' in refs and "primary" in refs
    with pytest.raises(SiteError, match="after sources"):
        render.infobox(cat, c, "un")


def test_then_value_is_shown(cat):
    text = valid_data().replace('        value: "193"\n        source: charter\n        as_of: 2024-10-01\n',
                                '        value: "194"\n        source: charter\n        as_of: 2026-01-01\n'
                                '        then: {value: "193", as_of: 2024-10-01, source: charter}\n')
    html = render.infobox(cat_of(text), ctx(), "un")
    assert "When the article was written (October 2024): 193" in html


def test_citation_numbers_are_stable_and_pins_collected(cat):
    c = ctx()
    render.compare(cat, c, "un-unsc")
    refs = render.sources(cat, c)
    assert refs.count("<li") == 1 and "cited at Art. 23" in refs


def test_compare_table_is_a_labelled_scrollable_region_with_card_labels(cat):
    html = render.compare(cat, ctx(), "un-unsc")
    assert 'role="region" tabindex="0" aria-labelledby="un-unsc-caption"' in html
    assert '<th scope="col">Members</th>' in html and 'data-label="Members"' in html
    assert html.count("<tr>") == 3


def test_glossary_has_stable_anchors_see_also_and_backlinks():
    cat = build_catalog(validate(parse_yaml(valid_data(), "d.yml"), "d.yml"), "d.yml",
                        usages={"index.md": ["veto"], "glossary.md": ["veto"]}, titles={"index.md": "Home"})
    html = render.glossary(cat, ctx("glossary/"))
    assert '<h3 id="veto">' in html and '<h3 id="p5">' in html
    assert '<a href="#p5">P5</a>' in html
    assert 'Appears on: <a href="../">Home</a>' in html                  # not the glossary itself
    assert '<h2 id="letter-v">V</h2>' in html


def test_every_data_value_is_escaped():
    evil = valid_data().replace("The world organisation of states.", "<script>alert(1)</script> & co")
    evil = evil.replace('value: "193"', 'value: "<img src=x onerror=alert(1)>"')
    cat = cat_of(evil)
    out = render.previews_js(cat) + render.ref(cat, ctx(), "un") + render.infobox(cat, ctx(), "un")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in out


def test_timeline_and_related(cat):
    html = render.timeline(cat, ctx(), "un")
    assert '<time datetime="1945-06-26">26 June 1945</time>' in html
    assert 'data-related="un"' in html
    assert "UNSC" in render.related(cat, ctx(), "un")


def test_article_points_link_to_paragraphs(cat):
    html = render.article_points(cat, ctx(), "un")
    assert 'href="../../article/#p4"' in html and "¶4" in html


def test_fmt_date():
    assert render.fmt_date("2024-10-11") == "11 October 2024"
    assert render.fmt_date("2024-10") == "October 2024"
    assert render.fmt_date("2024") == "2024"


def test_overlapping_pins_are_listed_once(cat):
    html = render.source_html(cat, "charter", ["¶7, ¶11", "¶11", "¶5, ¶7"])
    assert "cited at ¶7, ¶11, ¶5" in html


def test_full_timeline_has_a_filter(cat):
    html = render.timeline(cat, ctx("timeline/"))
    assert '<p class="timeline-filter">' in html and '<option value="un">UN</option>' in html
    assert "timeline-filter" not in render.timeline(cat, ctx(), "un")


def test_term_reads_naturally_mid_sentence():
    text = valid_data().replace("    term: Veto\n", "    term: Veto\n    label: veto\n").replace(
        "    term: P5\n", "    term: P5 (permanent five)\n")
    cat = cat_of(text)
    assert ">veto</a>" in render.term(cat, ctx(), "veto")
    assert ">P5</a>" in render.term(cat, ctx(), "p5")
    assert "<dfn>P5 (permanent five)</dfn>" in render.glossary(cat, ctx("glossary/"))


def test_href_links_a_site_address_from_the_page_escaped(cat):
    assert render.href(cat, ctx("data/"), "data/asean_un.json") == "asean_un.json"
    assert render.href(cat, ctx("teaching/"), "print_page/") == "../print_page/"
    assert render.href(cat, render.PageContext(url="data.html"), "data/x.csv") == "data/x.csv"   # offline build
    # Zensical: links start from the source file's folder (engine.links_from), the engine rewrites them
    assert render.href(cat, render.PageContext(url="crises/gaza/", links_from="crises/"), "glossary/") == "../glossary/"
    assert render.href(cat, ctx("a/"), 'x"y/') == "../x&quot;y/"


def test_sources_are_listed_in_the_order_of_their_note_numbers(cat):
    """A numbered list a reader can follow: 1, 2, … whether a source is primary or not (a badge says which)."""
    c = ctx()
    first = render.cite_source(cat, c, "lin-2024")           # secondary, cited first: note 1
    second = render.cite_source(cat, c, "charter")           # primary, cited second: note 2
    assert ">[1]<" in first and ">[2]<" in second
    html = render.sources(cat, c)
    ids = re.findall(r'<li id="src-([^"]+)" value="(\d+)"', html)
    assert ids == [("lin-2024", "1"), ("charter", "2")]
    assert html.index('class="badge primary"') > html.index("src-charter")


LONG = " ".join(["word"] * 24)


def _with_short(short):
    return valid_data().replace('        value: "1945"\n        source: charter\n',
                                f'        value: "{LONG}"\n        short: "{short}"\n        source: charter\n', 1)


def test_a_fact_at_a_glance_shows_its_short_form_with_the_full_value_behind_more():
    cat = cat_of(_with_short("Signed in 1945 <at> San Francisco"))
    box = render.infobox(cat, ctx(), "un")
    assert "Signed in 1945 &lt;at&gt; San Francisco<sup" in box
    assert f'<details class="fact-more"><summary>More</summary><p>{LONG}</p></details>' in box
    table = render.compare(cat, ctx(), "un-unsc")
    assert "Signed in 1945 &lt;at&gt; San Francisco" in table and table.count('class="fact-more"') == 1
    assert render.infobox(cat_of(), ctx(), "un").count("fact-more") == 0     # no short form: the value, no More


def test_a_short_form_over_fifteen_words_is_a_located_error():
    text = _with_short(" ".join(["w"] * 16))
    with pytest.raises(SiteError, match=r"d\.yml:\d+.*16 words.*at most 15"):
        cat_of(text)


def test_a_long_value_without_a_short_form_is_a_located_error():
    text = valid_data().replace('        value: "1945"\n', f'        value: "{LONG}"\n', 1)
    with pytest.raises(SiteError, match=r"d\.yml:\d+.*24 words.*add `short:`"):
        cat_of(text)
