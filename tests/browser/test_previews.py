"""Reference previews (issues 17 and 19): a [n] marker opens its source and passage, a term or entity link its
definition or summary, in one popover next to the link, by mouse hover, keyboard focus and touch tap; the
popover stays inside a 360 px screen, passes axe in both schemes, and without JavaScript the link still leads
to the source list or the entry."""
from __future__ import annotations

import html as html_mod
import re
from urllib.parse import unquote, urlsplit

import pytest

from browser.conftest import DESKTOP, PHONE, audited_whole

pytestmark = pytest.mark.browser

POP = "#preview-pop"
PAGE = "institutions/asean/"


def assert_clean(tab):
    problems = tab.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def marker(built_site) -> tuple[str, str]:
    """(href, passage quote) of the first [n] marker on PAGE that names a passage, from the built HTML."""
    html = (built_site / PAGE / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'<sup class="cite"><a href="(#src-[^"]+--[^"]+)" data-cite', html):
        m = re.search(rf'<li id="{re.escape(href[1:])}"><q class="passage-quote">(.*?)</q>', html)
        if m:
            quote = re.sub(r"<[^>]+>", "", m.group(1))
            return href, quote.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')
    pytest.fail(f"no [n] marker on /{PAGE} names a passage of its source: nothing to preview")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _inside(box, screen) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= screen["width"] + 0.5
            and box["y"] + box["height"] <= screen["height"] + 0.5)


def _cite(page, href):
    return page.locator(f"sup.cite > a[href='{href}']").first


def _shows_passage(page, quote, href):
    pop = page.locator(POP)
    pop.wait_for(state="visible")
    text = _norm(pop.inner_text())
    assert _norm(quote)[:60] in text, f"the preview of {href} does not show the passage:\n{text}"
    title = page.locator(f"[id='{unquote(href[1:]).split('--')[0]}'] cite").first.inner_text()
    assert _norm(title) in text, f"the preview of {href} does not name its source '{title}':\n{text}"
    return pop


def test_marker_preview_on_mouse_hover(tab, marker):
    href, quote = marker
    tab.open(PAGE)
    page = tab.page
    link = _cite(page, href)
    link.scroll_into_view_if_needed()
    assert not page.locator(POP).is_visible()
    link.hover()
    pop = _shows_passage(page, quote, href)
    assert link.get_attribute("aria-expanded") == "true" and link.get_attribute("aria-controls") == "preview-pop"
    assert _inside(pop.bounding_box(), page.viewport_size), pop.bounding_box()
    pop.locator("a.passage-link, a.preview-more").first.hover()          # the pointer can move into it
    page.wait_for_timeout(400)
    assert pop.is_visible(), "the preview closes when the pointer moves from the marker into it"
    page.mouse.move(5, 880)
    pop.wait_for(state="hidden")
    assert link.get_attribute("aria-expanded") == "false"
    assert_clean(tab)


def test_marker_preview_on_keyboard_focus(tab, marker):
    href, quote = marker
    tab.open(PAGE)
    page = tab.page
    link = _cite(page, href)
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert link.evaluate("(a) => a === document.activeElement")
    _shows_passage(page, quote, href)
    page.keyboard.press("Tab")                           # focus moves on into the preview: not trapped, not lost
    assert page.evaluate("() => document.activeElement.closest('#preview-pop') !== null"), (
        "Tab from the marker does not reach the preview's links")
    page.keyboard.press("Escape")
    page.locator(POP).wait_for(state="hidden")
    assert link.evaluate("(a) => a === document.activeElement"), "Escape does not return focus to the marker"
    link.press("Enter")                                  # the keyboard still follows the link
    page.wait_for_function("(h) => location.hash === h", arg=href)
    assert_clean(tab)


@pytest.fixture
def phone(open_tab):
    tab = open_tab(viewport=PHONE, has_touch=True, is_mobile=True)
    yield tab
    tab.close()


def test_marker_preview_on_touch_tap_at_360(phone, marker):
    href, quote = marker
    phone.open(PAGE)
    page = phone.page
    assert page.evaluate("matchMedia('(hover: none)').matches")
    before = page.url
    link = _cite(page, href)
    link.scroll_into_view_if_needed()
    link.tap()
    pop = _shows_passage(page, quote, href)
    assert page.url == before, f"the first tap followed the link to {page.url}"
    assert _inside(pop.bounding_box(), PHONE), f"the preview runs off the 360 px screen: {pop.bounding_box()}"
    for target in pop.locator("a").all():
        box = target.bounding_box()
        assert box["height"] >= 24, f"'{target.inner_text()}' is a {box['height']:.0f} px tall tap target"
    page.locator("h1").tap()                             # a tap elsewhere closes it
    pop.wait_for(state="hidden")
    assert_clean(phone)


def _glossary_definition(built_site, term_id: str) -> str:
    """The definition the glossary page itself shows for term_id (its entry's first paragraph, no markers)."""
    html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    m = re.search(rf'<h3 id="{re.escape(term_id)}">.*?</h3>(?:<span class="aka">.*?</span>)?<p>(.*?)</p>', html, re.S)
    assert m, f"no glossary entry #{term_id}"
    return _norm(html_mod.unescape(re.sub(r"<sup.*?</sup>|<[^>]+>", "", m.group(1))))


def test_term_preview_on_touch_tap_then_full_entry(phone, built_site):
    phone.open(PAGE)
    page = phone.page
    link = page.locator(".xref-term > a").first
    term_id = urlsplit(link.get_attribute("href")).fragment
    definition = _glossary_definition(built_site, term_id)
    assert definition[:60] not in _norm(page.locator("article").inner_text()), "the page holds the definition itself"
    link.scroll_into_view_if_needed()
    before = page.url
    link.tap()
    pop = page.locator(POP)
    pop.wait_for(state="visible")
    assert page.url == before, "the first tap on a term left the page"
    assert definition[:60] in _norm(pop.inner_text())
    assert _inside(pop.bounding_box(), PHONE)
    full = pop.locator("a.preview-more")
    assert "full entry" in full.inner_text().lower()
    with page.expect_navigation(wait_until="load"):
        full.tap()
    parts = urlsplit(page.url)
    assert parts.path.endswith("/glossary/") and parts.fragment == term_id, page.url
    assert_clean(phone)


def test_entity_preview_on_hover_and_escape(tab):
    tab.open(PAGE)
    page = tab.page
    link = page.locator(".md-content p .xref-ref > a").first
    link.scroll_into_view_if_needed()
    link.hover()
    pop = page.locator(POP)
    pop.wait_for(state="visible")
    assert pop.locator("a.preview-more").evaluate("(a) => a.href") == link.evaluate("(a) => a.href")
    assert "full entry" in pop.locator("a.preview-more").inner_text().lower()
    page.keyboard.press("Escape")
    pop.wait_for(state="hidden")
    assert_clean(tab)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_open_previews_pass_axe(open_tab, axe, marker, scheme, viewport):
    """The open popover and the link that opened it; the rest of PAGE is audited in the same scheme and width
    by the audit matrix (browser/conftest.py AUDITS)."""
    assert audited_whole(scheme, viewport["width"], PAGE), f"/{PAGE} is not in the audit matrix at this size"
    href, _ = marker
    scope = {"include": [[POP], ["[aria-expanded='true']"]]}
    tab = open_tab(viewport=viewport, color_scheme=scheme)
    try:
        tab.open(PAGE)
        link = _cite(tab.page, href)
        link.focus()
        tab.page.locator(POP).wait_for(state="visible")
        violations = axe.check(tab.page, context=scope)
        assert not violations, "\n".join(violations)
        term = tab.page.locator(".xref-term > a").first
        term.focus()
        tab.page.locator(POP).wait_for(state="visible")
        violations = axe.check(tab.page, context=scope)
        assert not violations, "\n".join(violations)
    finally:
        tab.close()


def test_without_javascript_the_marker_jumps_to_the_source_list(open_tab, marker):
    href, quote = marker
    tab = open_tab(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=False)
    try:
        tab.open(PAGE)
        _cite(tab.page, href).tap()
        tab.page.wait_for_function("(h) => location.hash === h", arg=href)
        target = tab.page.locator(f"[id='{unquote(href[1:])}']")
        assert target.is_visible() and _norm(quote)[:60] in _norm(target.inner_text())
    finally:
        tab.close()


def test_previews_load_on_demand_once_for_the_whole_page(tab):
    """The page holds no definitions: one file for the whole site brings them, after the reader moves,
    and only once however many links are opened (issue 21: lighter pages, one record per definition)."""
    asked = []
    tab.page.on("request", lambda r: asked.append(r.url) if urlsplit(r.url).path.endswith("/assets/previews.js") else None)
    tab.open(PAGE)
    tab.page.wait_for_timeout(400)
    assert asked == [], "the previews file loads before anyone asks for a preview"
    pop = tab.page.locator(POP)
    for link in (tab.page.locator(".md-content p .xref-ref > a").first, tab.page.locator(".xref-term > a").nth(1)):
        link.scroll_into_view_if_needed()
        link.hover()
        pop.wait_for(state="visible")
        key = link.get_attribute("data-preview")
        shown = tab.page.evaluate("(k) => window.sitePreviews[k]", key)
        assert shown and _norm(re.sub(r"<[^>]+>", "", html_mod.unescape(shown)))[:50] in _norm(pop.inner_text())
        tab.page.mouse.move(0, 0)
        pop.wait_for(state="hidden")
    assert len(asked) == 1, asked
    assert_clean(tab)


def test_without_javascript_a_term_link_leads_to_its_entry(open_tab):
    tab = open_tab(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=False)
    try:
        tab.open(PAGE)
        link = tab.page.locator(".xref-term > a").first
        term_id = urlsplit(link.get_attribute("href")).fragment
        with tab.page.expect_navigation(wait_until="load"):
            link.tap()
        parts = urlsplit(tab.page.url)
        assert parts.path.endswith("/glossary/") and parts.fragment == term_id
        assert tab.page.locator(f"[id='{term_id}']").is_visible()
    finally:
        tab.close()
