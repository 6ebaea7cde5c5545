"""Print (issue 19): "Cite this page" prints open, every printed page carries the page's address and its
last-updated date, and the handout (?handout, or the button under the page) fits on at most 4 A4 pages."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

HANDOUT_MAX_PAGES = 4


def handout_pages(built_site) -> list[str]:
    """Every page that has the sections a handout is made of (it opens with 'In brief')."""
    out = []
    for f in sorted(built_site.rglob("index.html")):
        rel = f.parent.relative_to(built_site).as_posix()
        # the live pages; a kept edition's pages are byte copies of pages tested when it was cut
        if not rel.startswith(("print_page", "editions/")) and 'id="in-brief"' in f.read_text(encoding="utf-8"):
            out.append("" if rel == "." else rel + "/")
    return out


def pdf_pages(page) -> list[str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    return [" ".join((p.extract_text() or "").split()) for p in reader.pages]


def test_cite_this_page_prints_open(tab):
    tab.open("institutions/asean/")
    page = tab.page
    apa = page.locator("#cite-apa")
    assert not apa.is_visible(), "the citation should start folded on screen"
    page.emulate_media(media="print")            # no beforeprint here: CSS alone must unfold it
    assert apa.is_visible() and "ASEAN" in apa.inner_text(), "'Cite this page' prints closed"
    assert not page.locator(".handout-offer").is_visible(), "the handout button is printed"


def test_every_printed_page_has_address_and_date(tab):
    tab.open("instruments/a4p/")
    texts = pdf_pages(tab.page)
    assert len(texts) >= 2
    address = tab.url("instruments/a4p/")
    for n, text in enumerate(texts, 1):
        assert address in text.replace(" ", ""), f"printed page {n} has no address {address}: {text[:200]}"
        assert "Last updated" in text and f"page {n} of {len(texts)}" in text, f"printed page {n}: {text[:200]}"
    assert "APA" in " ".join(texts) and "Chicago" in " ".join(texts), "the citation is not printed"


def test_handouts_fit_on_four_a4_pages(tab, built_site):
    pages = handout_pages(built_site)
    assert len(pages) >= 30, pages
    too_long, counts = [], {}
    for n, path in enumerate(pages):
        tab.open(path + "?handout")
        page = tab.page
        assert page.locator("html.handout").count() == 1
        page.emulate_media(media="print")           # what is printed: read in the page (pypdf's text is slow)
        for what, selector in (("In brief", "h2#in-brief"), ("At a glance", "h2#at-a-glance"),
                               ("the questions", "h2#for-teachers"), ("the citation", "#cite-apa")):
            assert page.locator(selector).is_visible(), f"/{path}: the handout does not print {what}"
        assert "Questions for discussion" in page.locator("article").inner_text(), path
        printed = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True))).pages
        counts[path] = len(printed)
        if n == 0:                                  # and the PDF has those words, on one handout at least
            flat = " ".join(" ".join((p.extract_text() or "").split()) for p in printed)
            assert "In brief" in flat and "At a glance" in flat and "Questions for discussion" in flat and "APA" in flat
        if len(printed) > HANDOUT_MAX_PAGES:
            too_long.append(f"/{path}: {len(printed)} pages")
        page.emulate_media(media="screen")
    assert not too_long, "handouts longer than 4 A4 pages:\n" + "\n".join(too_long)
    print("handout pages:", counts)


def test_handout_button_prints_the_handout_and_returns(tab):
    tab.open("crises/myanmar-2021/")
    page = tab.page
    page.evaluate("window.print = () => { window.__printed = document.documentElement.classList.contains('handout');"
                  " window.dispatchEvent(new Event('afterprint')); }")
    page.get_by_role("button", name="Print a handout").click()
    assert page.evaluate("window.__printed") is True, "the button does not print in handout mode"
    assert page.locator("html.handout").count() == 0, "the page stays in handout mode after printing"
    assert page.locator("h2#timeline").is_visible()
