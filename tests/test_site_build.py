"""The real site: strict build with zero warnings, nothing left unrendered, nothing third-party."""
import re

import pytest


def test_strict_build_passes_with_zero_warnings(real_site):
    assert real_site.code == 0, real_site.output
    assert not re.search(r"\b(WARNING|ERROR)\b", real_site.output), real_site.output


@pytest.fixture(scope="module")
def pages(real_site):
    assert real_site.code == 0, real_site.output
    return {p.relative_to(real_site.site).as_posix(): p.read_text(encoding="utf-8")
            for p in real_site.site.rglob("*.html")}


def test_no_template_syntax_left(pages):
    for name, html in pages.items():
        body = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)
        assert "{{" not in body and "{%" not in body, name


def test_no_third_party_assets(pages):
    for name, html in pages.items():
        for tag, url in re.findall(r'<(script|link|img|iframe)\b[^>]*?(?:src|href)="(https?://[^"]+)"', html):
            pytest.fail(f"{name} loads {url} via <{tag}>")


def test_every_page_has_a_description(pages):
    for name, html in pages.items():
        if name.startswith(("404", "print_page")) or "http-equiv=\"refresh\"" in html:
            continue
        m = re.search(r'<meta name="description" content="([^"]+)"', html)
        assert m and len(m.group(1)) > 20, f"{name} has no meta description"


def test_no_scaffolding_left_in_the_pages():
    from conftest import ROOT
    left = [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md") if "DRAFT-PLACEHOLDER" in p.read_text()]
    assert left == [], f"unwritten scaffold pages: {left}"


def test_search_index_leaves_out_repeated_material(real_site):
    """Tooltips, source lists, related links and page timelines repeat other pages: not indexed."""
    import json
    index = (real_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert len(index) < 600_000, f"search index grew to {len(index)} bytes"
    texts = " ".join(d["text"] for d in json.loads(index)["docs"])
    assert "Appears on:" not in texts and "cited at" not in texts


def test_our_stylesheets_and_scripts_are_minified_and_their_sources_kept(real_site):
    """macros/postbuild.py minify_assets: what readers download has no comments; docs/assets keeps them."""
    from conftest import ROOT

    assert real_site.code == 0, real_site.output
    for name in ("site.css", "site.js", "start.js"):
        source = (ROOT / "docs" / "assets" / name).read_text(encoding="utf-8")
        built = (real_site.site / "assets" / name).read_text(encoding="utf-8")
        assert source.lstrip().startswith("/*"), f"docs/assets/{name} lost its opening comment"
        assert "/*" not in built and len(built) < 0.8 * len(source), f"assets/{name} is not minified"
