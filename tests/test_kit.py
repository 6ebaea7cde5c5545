"""Reuse kit: every figure and comparison table is followed by links to a self-contained SVG (figures), a CSV of its
data, its own citation and an embed page; every download carries the licence and the credit line."""
import csv
import html
import io
import re

from lxml import etree

from conftest import ROOT, SITE_URL
from macros import kit

SVG = "{http://www.w3.org/2000/svg}"
CREDIT = kit.Credit("Site", "Page", SITE_URL + "compare/x/", "2026-11-30")


def test_light_css_writes_the_light_colours_in_and_keeps_only_figure_rules():
    css = kit.light_css((ROOT / "docs" / "assets" / "site.css").read_text(encoding="utf-8"), "map")
    assert "var(" not in css and "#3f64b0" in css                      # --fig-member, light scheme
    assert "#7c9ee6" not in css                                          # not the dark scheme's
    assert ".fig-svg.fig-map text" in css and ".fig-data" not in css and "font-family" in css


def test_box_follows_a_figure_or_table_and_leaves_anything_else_alone():
    fig = '<div class="fig-block"><figure class="fig" id="fig-x"><svg><title id="fig-x-title">X &amp; Y</title></svg></figure></div>'
    out = kit.box(fig, lambda p: "../../" + p, "compare/x/", CREDIT)
    assert out.startswith(fig) and 'href="../../kit/compare-x/fig-x/fig-x.svg" download' in out
    assert 'href="../../kit/compare-x/fig-x/"' in out and "Cite this figure" in out
    assert "Site. (2026, November 30). X & Y [Figure]. In Page. " + SITE_URL + "compare/x/#fig-x" in html.unescape(out)
    assert "{" not in out.split("</figure></div>", 1)[1] and "[Figure]" not in out   # inert to Markdown and Jinja
    table = ('<figure class="table-block" id="t1"><figcaption class="table-caption" id="t1-caption">T</figcaption>'
             '<div class="table-wrap" role="region"><table></table></div></figure>')
    assert ".svg" not in kit.box(table, str, "compare/x/", CREDIT) and "CSV of the data" in kit.box(table, str, "", CREDIT)
    assert kit.box("<p>no figure</p>", str, "", CREDIT) == "<p>no figure</p>"


def read_csv(text):
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    return comments, list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("#")))))


def test_every_figure_and_comparison_table_has_its_kit(published_site):
    site = published_site.site
    assert published_site.code == 0, published_site.output
    seen = 0
    for page in site.rglob("index.html"):
        rel = page.relative_to(site).parts
        if {"print_page", "kit", "search"} & set(rel):   # an edition's too: its kits are the edition's own
            continue
        text = page.read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="fig" id="([^"]+)"', text)
        tables = [t for t in re.findall(r'<figure class="table-block" id="([^"]+)"', text) if not t.endswith("-table")]
        kits = [f.rstrip("/").rsplit("/", 1)[1] for f, *_ in kit.items(text)]
        assert kits == [i for i in re.findall(r'<(?:figure class="fig"|figure class="table-block") id="([^"]+)"', text)
                        if i in figures or i in tables], page
        for base, kind, title, page_url, credit in kit.items(text):
            item = base.rstrip("/").rsplit("/", 1)[1]
            folder = site / base
            comments, rows = read_csv((folder / f"{item}.csv").read_text(encoding="utf-8"))
            assert comments[0] == f"# {title}" and "CC BY 4.0" in comments[2] and credit.address in comments[1]
            assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), item
            assert not any(c.startswith(("=", "+", "@")) for r in rows for c in r)
            embed = (folder / "index.html").read_text(encoding="utf-8")
            assert "md-header" not in embed and "<script" not in embed and "CC BY 4.0" in embed
            assert not re.search(r'(?:src|href)="https?://(?!creativecommons\.org|example\.org)', embed)
            if kind == "figure":
                svg = etree.fromstring((folder / f"{item}.svg").read_bytes())   # well-formed XML, SVG namespace
                assert svg.tag == SVG + "svg" and svg.get("width") and svg.get("viewBox")
                style = svg.find(SVG + "style").text
                assert "var(" not in style and "font-family" in style
                credit_text = " ".join(t.text for t in svg.iter(SVG + "text") if t.getparent().get("class") == "credit")
                assert "CC BY 4.0" in credit_text and title in credit_text
                assert not svg.findall(".//" + SVG + "a")                   # no links into the site
            seen += 1
    assert seen >= 15


def test_a_kit_csv_holds_the_tables_facts_without_markers(published_site):
    text = (published_site.site / "kit" / "compare-asean-un-nato" / "asean-un-nato" / "asean-un-nato.csv").read_text()
    _, rows = read_csv(text)
    assert rows[0][0] == "" and "Members" in rows[0]
    assert [r[0] for r in rows[1:]] == ["ASEAN", "UN", "NATO"]
    assert "[1]" not in text and "When the article was written" in text
