"""The whole-site print page (macros/printpage.py, a post-build step): every nav page once, every in-page link
resolving, ids unique, work linear in the size of a page, and skipped (the placeholder's note instead) while
`mkdocs serve` previews."""
from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from conftest import ENV, MKDOCS, ROOT, make_project, mkdocs
from macros import printpage as hook

KEYS = {".": "index", "institutions/asean": "institutions-asean", "glossary": "glossary"}


def rewrite(content: str, url: str = "institutions/asean/", seen=None) -> str:
    key = hook.page_key(url)
    return hook.rewrite(content, url, key, KEYS, "../", set() if seen is None else seen)


def test_page_keys_are_the_print_site_plugins():
    assert hook.page_key("") == "index"
    assert hook.page_key("institutions/asean/") == "institutions-asean"
    assert hook.page_key("institutions/asean.html") == "institutions-asean"


def test_ids_and_what_points_at_them_get_the_page_key():
    out = rewrite('<h2 id="how">How</h2><a href="#how" aria-describedby="tip-1 tip-2">x</a>'
                  '<span id="tip-1"></span><label for="f">F</label><select id="f"></select>'
                  '<div data-id="keep" class="id"></div>')
    assert 'id="institutions-asean-how"' in out and 'href="#institutions-asean-how"' in out
    assert 'aria-describedby="institutions-asean-tip-1 institutions-asean-tip-2"' in out
    assert 'for="institutions-asean-f"' in out and 'id="institutions-asean-f"' in out
    assert 'data-id="keep"' in out                      # not an id attribute


def test_links_between_print_pages_become_anchors_and_others_are_rebased():
    out = rewrite('<a href="../../glossary/#veto">v</a><a href="../../">home</a><a href="../../glossary/">g</a>'
                  '<a href="../../data/asean_un.json">json</a><a href="https://undocs.org/A/RES/79/1">UN</a>'
                  '<a href="mailto:x@example.org">m</a><img src="../../assets/map.svg" alt="">'
                  '<a href="../../print_page/">all</a><a href="../../404.html">missing</a>')
    assert 'href="#glossary-veto"' in out and 'href="#index"' in out and 'href="#glossary"' in out
    assert 'href="../data/asean_un.json"' in out and 'src="../assets/map.svg"' in out
    assert 'href="https://undocs.org/A/RES/79/1"' in out and 'href="mailto:x@example.org"' in out
    assert 'href="../404.html"' in out


def test_a_repeated_id_is_a_warning(caplog):
    seen = {"glossary"}
    with caplog.at_level(logging.WARNING):
        rewrite('<h2 id="veto">a</h2><h2 id="veto">b</h2>', url="glossary/", seen=seen)
    assert "glossary-veto" in caplog.text and "occurs twice" in caplog.text


def test_rewriting_is_linear_in_the_size_of_a_page():
    """mkdocs-print-site-plugin took time ∝ size² on one-line HTML; a 40× page must not take 1600× as long."""
    unit = ('<p><span class="xref"><a href="../../glossary/#veto" aria-describedby="tip-{i}">veto</a>'
            '<span class="xref-tip" id="tip-{i}" role="tooltip">A permanent member</span></span> '
            '<sup id="fnref:{i}"><a href="#fn:{i}">{i}</a></sup></p>')

    def best(n: int) -> float:
        page = "".join(unit.format(i=i) for i in range(n))
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rewrite(page)
            times.append(time.perf_counter() - t)
        return min(times)

    small, big = best(250), best(250 * 40)
    assert big / small < 120, f"40× the page took {big / small:.0f}× the time (linear ≈ 40×, quadratic ≈ 1600×)"


# --- the real site ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def print_page(real_site) -> str:
    assert real_site.code == 0, real_site.output
    return real_site.html("print_page/index.html")


def test_every_nav_page_is_in_the_print_page_once(print_page):
    import yaml

    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = yaml.safe_load(config[config.index("\nnav:"):])["nav"]

    def pages(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from pages(value)
            else:
                yield value

    expected = [hook.page_key(p.removesuffix(".md").removesuffix("index").rstrip("/") + "/") if p != "index.md"
                else "index" for p in pages(nav)]
    found = re.findall(r'<section class="print-page" id="([^"]+)">', print_page)
    assert found == expected


def test_every_link_inside_the_print_page_resolves_and_ids_are_unique(print_page):
    ids = Counter(re.findall(r'\sid="([^"]+)"', print_page))
    assert [i for i, n in ids.items() if n > 1] == []
    article = print_page[print_page.index('<div id="print-site-page"'):print_page.rindex("</article>")]
    targets = re.findall(r'\shref="#([^"]+)"', article)
    assert len(targets) > 1000
    assert sorted({t for t in targets if t not in ids}) == []
    refs = [r for v in re.findall(r'\saria-(?:describedby|labelledby)="([^"]+)"', article) for r in v.split()]
    assert sorted({r for r in refs if r not in ids}) == []
    assert "glossary-veto" in ids and "institutions-asean" in ids   # keys and anchors as the plugin made them


def test_no_print_page_assets_on_other_pages(real_site):
    html = real_site.html("institutions/asean/index.html")
    assert "print-page.css" not in html and "print-site" not in html
    assert "print-page.css" in real_site.html("print_page/index.html")


# --- preview: `mkdocs serve` skips the work ---------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _project(tmp_path: Path) -> Path:
    """A mini project (the site's own configuration, without its nav) with the site's print page."""
    pages = {"print_page.md": (ROOT / "docs" / "print_page.md").read_text(encoding="utf-8"),
             "a.md": "# A { #a }\n\n## Part { #part }\n\nSee [home](index.md#home).\n"}
    return make_project(tmp_path, extra_pages=pages)


def test_a_page_body_is_the_article_up_to_the_page_end_marker():
    built = ('<article class="md-content__inner md-typeset"><a href="e" class="md-content__button md-icon">E</a>'
             f'<h1 id="t">T</h1><p>x</p>{hook.PAGE_END}<details class="share">tools</details></article>')
    assert hook.page_body(built) == '<h1 id="t">T</h1><p>x</p>'
    assert hook.page_body("<html>no article</html>") is None


def test_the_nav_gives_the_order_and_sections_and_without_it_the_paths_do():
    nav = [{"Home": "index.md"}, {"Part": ["b.md", {"A": "a.md"}, {"Out": "https://example.org/"}]}, "print_page.md"]
    assert hook.nav_tree(nav, {}) == [("page", "Home", "index.md"),
                                      ("section", "Part", [("page", None, "b.md"), ("page", "A", "a.md")])]
    assert hook.nav_tree(None, {"b.md": {}, "index.md": {}, "print_page.md": {}, "a.md": {}}) == [
        ("page", None, "index.md"), ("page", None, "a.md"), ("page", None, "b.md")]


@pytest.mark.build
def test_build_writes_the_whole_page_and_serve_a_note(tmp_path):
    project = _project(tmp_path)
    proc = mkdocs("build", "--strict", "-d", project / "site", cwd=project, env=ENV, timeout=120)
    assert proc.returncode == 0, proc.stdout
    built = (project / "site" / "print_page" / "index.html").read_text(encoding="utf-8")
    assert 'id="a-part"' in built and 'href="#index-home"' in built and 'id="index-home"' in built
    assert '<section class="print-page" id="glossary">' in built and "print-site-placeholder" not in built
    assert "print-page.css" in built and "print-page.css" not in (project / "site" / "a" / "index.html").read_text()

    port = _free_port()
    serve = subprocess.Popen([*MKDOCS, "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"], cwd=project,
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, served = time.monotonic() + 60, None
        while time.monotonic() < deadline and served is None:
            try:
                served = urllib.request.urlopen(f"http://127.0.0.1:{port}/print_page/", timeout=5).read().decode()
            except OSError:
                time.sleep(0.1)
        assert served is not None, "mkdocs serve did not come up"
        assert "mkdocs build" in served and "print-site-placeholder" in served and 'id="a-part"' not in served
    finally:
        serve.terminate()
        serve.wait(timeout=20)
