"""The engine canary (scripts/canary.py): its comparison on tiny pages, and the real run on all three engines."""
import os
import subprocess
import sys

import pytest

from conftest import ENV, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import canary  # noqa: E402


def page(main: str, chrome: str = "") -> str:
    return (f'<html><head><meta name="generator" content="x"></head><body><nav id="nav">{chrome}</nav>'
            f'<main><article class="md-content__inner md-typeset">{main}</article></main>'
            f'<script>var x = "not text";</script></body></html>')


def test_main_text_is_the_article_only_with_whitespace_normalised():
    got = canary.read_page(page("<h1 id='t'>Title</h1>\n\n<p>One   <b>two</b>\nthree<br>four</p><img id='i' alt='x'>",
                                chrome="Menu"))
    assert got.found
    assert got.text == "Title One two three four"
    assert got.ids == {"t", "i"}


def test_nested_articles_and_void_tags_do_not_end_the_main_text_early():
    got = canary.read_page(page("<div><article id='inner'><p>a</p></article><hr><input id='in'></div><p>b</p>")
                           + "<footer>after</footer>")
    assert got.text == "a b" and got.ids == {"inner", "in"}


def test_map_blocks_are_compared_like_any_text():
    """Every engine draws the maps now (from data/geo/maps.json): a map missing on one side is a difference."""
    drawn = page("<p>a</p><div class='fig-block' data-map><figure id='fig-m'><svg><title>Map</title></svg>"
                 "<figcaption>The map <a href='#x'>x</a></figcaption></figure></div><p>b</p>")
    note = page("<p>a</p><div class='fig-block' data-map><p>This map is not drawn here.</p></div><p>b</p>")
    got = canary.read_page(drawn)
    assert got.text == "a Map The map x b" and got.ids == {"fig-m"} and got.links == ("/#x",)
    assert canary.compare_pages({"p/index.html": drawn}, {"p/index.html": note})
    assert canary.compare_pages({"p/index.html": drawn}, {"p/index.html": drawn}) == []


def test_a_page_without_main_content_is_reported():
    assert not canary.read_page("<html><body><p>x</p></body></html>").found


def test_same_pages_compare_clean_and_chrome_differences_do_not_count():
    ref = {"a/index.html": page("<h2 id='x'>X</h2><p>text</p>", chrome="MkDocs nav")}
    other = {"a/index.html": page("<h2 id='x'>X</h2>\n<p>text</p>", chrome="Zensical nav"),
             "extra/index.html": page("new")}
    assert canary.compare_pages(ref, other) == []
    assert canary.extra_pages(ref, other) == ["extra/index.html"]


def test_missing_page_missing_anchor_and_changed_text_are_each_reported():
    ref = {"a/index.html": page("<h2 id='x'>X</h2><p>one two three</p>"), "b/index.html": page("b"),
           "print_page/index.html": page("all")}
    other = {"a/index.html": page("<h2>X</h2><p>one 2 three</p>")}
    problems = canary.compare_pages(ref, other, known_pages={"print_page/index.html"})
    assert "a/index.html: 1 address(es) missing: #x" in problems
    assert "a/index.html: main text differs" in problems
    assert any("[-two-] [+2+]" in p for p in problems)
    assert "b/index.html: page missing" in problems
    assert not any(p.startswith("print_page") for p in problems)     # a known difference


def test_properdocs_comparison_ignores_only_the_generator_tag(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for site, generator in ((a, "mkdocs-1.6.1"), (b, "properdocs-1.6.7")):
        (site / "x").mkdir(parents=True)
        (site / "x" / "index.html").write_text(
            page("<p>same</p>").replace('content="x"', f'content="{generator}"'), encoding="utf-8")
        (site / "search.json").write_text("{}", encoding="utf-8")
    assert canary.same_files(a, b) == []
    (b / "search.json").write_text('{"a": 1}', encoding="utf-8")
    (b / "x" / "index.html").write_text(page("<p>other</p>"), encoding="utf-8")
    (b / "new.txt").write_text("", encoding="utf-8")
    problems = canary.same_files(a, b)
    assert "search.json: differs" in problems and "x/index.html: differs" in problems
    assert "new.txt: extra" in problems
    assert any("[-same-] [+other+]" in p for p in problems)


@pytest.mark.canary
def test_the_site_is_the_same_on_properdocs_and_zensical(real_site):
    """`make canary` on the real site, reusing the session's MkDocs build (CI runs this through make test)."""
    assert real_site.code == 0, real_site.output
    if not os.environ.get("CANARY_DIR"):          # engines installed elsewhere (scripts/canary.py reads it)
        proc = subprocess.run(["make", "-s", ".canary/properdocs/.installed", ".canary/zensical/.installed"],
                              cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    proc = subprocess.run([sys.executable, "scripts/canary.py", "--mkdocs-site", str(real_site.site)], cwd=ROOT,
                          env=ENV, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert "== ProperDocs against MkDocs (every file, apart from the generator tag)\nidentical" in proc.stdout
    assert "every page, address, main text and link matches" in proc.stdout
    assert "== Zensical's open data (scripts/postbuild.py) against MkDocs' (byte for byte)\nidentical" in proc.stdout
    for engine in ("mkdocs", "properdocs", "zensical"):
        assert f"{engine}: refused, located" in proc.stdout, proc.stdout[-3000:]


@pytest.mark.parametrize("path, href, address", [
    ("a/b/index.html", "../../c/#x", "/c/#x"),
    ("a/b/index.html", "./", "/a/b/"),
    ("a/b/index.html", "././", "/a/b/"),            # Zensical's spelling of the same address
    ("a/b/index.html", ".././", "/a/"),
    ("a/b/index.html", "..", "/a/"),
    ("index.html", "", "/"),
    ("index.html", "#top", "/#top"),
    ("a/index.html", "img/x.png", "/a/img/x.png"),
    ("a/index.html", "../b/index.html#y", "/b/#y"),
    ("a/index.html", "https://undocs.org/S/RES/2669", "https://undocs.org/S/RES/2669"),
])
def test_links_resolve_to_site_absolute_addresses(path, href, address):
    assert canary.resolve(path, href) == address


def test_a_link_that_leads_elsewhere_is_reported():
    ref = {"a/b/index.html": page('<p><a href="../../glossary/#veto">veto</a></p>')}
    other = {"a/b/index.html": page('<p><a href="../../../glossary/#veto">veto</a></p>')}
    problems = canary.compare_pages(ref, other)
    assert problems[0] == "a/b/index.html: links lead elsewhere (1 vs 1 links; 1 differ)"
    assert problems[1] == "    /glossary/#veto -> outside the site: ../../../glossary/#veto"
