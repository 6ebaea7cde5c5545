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
