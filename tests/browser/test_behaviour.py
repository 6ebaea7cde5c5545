"""What a reader does, in a real browser: search, glossary definitions by mouse, keyboard and touch, dark
mode, printing, and the dark and phone-sized variants of the accessibility audit."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser.conftest import AUDITS, DESKTOP, PHONE, RENDER_ALL_ID, TABLET, table_wrap_problems

pytestmark = pytest.mark.browser

WIDE_TABLE_PAGE = "compare/recommendations/"
RESULT_LINKS = ".md-search-result__item a.md-search-result__link"


def path_of(url: str) -> str:
    return urlsplit(url).path


def assert_clean(tab):
    problems = tab.problems()
    assert not problems, "\n".join(problems)


# --- Search ------------------------------------------------------------------------------------------
def search(tab, query: str) -> list[str]:
    """Type the query into Material's search with real key presses; return the result links (hrefs)."""
    page = tab.page
    box = page.locator("input.md-search__input")
    if not box.is_visible():                       # narrow screens: the magnifier opens the search
        page.locator("label.md-header__button[for='__search']").first.click()
    box.click()
    page.keyboard.type(query, delay=20)
    page.locator(RESULT_LINKS).first.wait_for(state="visible")
    page.wait_for_function("(q) => document.querySelector('.md-search__input').value === q", arg=query)
    return page.locator(RESULT_LINKS).evaluate_all("(links) => links.map((a) => a.href)")


def open_result(tab, results: list[str], href: str):
    link = tab.page.locator(RESULT_LINKS).nth(results.index(href))
    more = link.locator("xpath=ancestor::details[1]")
    if more.count() and not more.evaluate("(d) => d.open"):
        more.locator("summary").click()                # "N more on this page"
    with tab.page.expect_navigation(wait_until="load"):
        link.click()


SEARCH_FILES = re.compile(r"/search/search_index\.json$|/workers/search\.[^/]*\.js$")


@pytest.mark.parametrize("reach", ["click", "slash key"])
def test_search_loads_nothing_until_the_reader_reaches_for_it(tab, reach):
    """docs/assets/start.js (search held back): a page view fetches neither the search index nor Material's
    search worker; reaching for search fetches both, and the first query finds its results."""
    requested = []
    tab.page.on("request", lambda r: requested.append(urlsplit(r.url).path) if SEARCH_FILES.search(r.url) else None)
    tab.open("crises/myanmar-2021/")
    tab.page.wait_for_load_state("networkidle")
    assert not requested, f"fetched before the reader reached for search: {requested}"
    if reach == "click":
        results = search(tab, "Rohingya")
    else:
        tab.page.keyboard.press("/")
        tab.page.keyboard.type("Rohingya", delay=20)
        tab.page.locator(RESULT_LINKS).first.wait_for(state="visible")
        results = tab.page.locator(RESULT_LINKS).evaluate_all("(links) => links.map((a) => a.href)")
    assert any(path_of(h).endswith("/crises/rohingya/") for h in results), results
    assert any(p.endswith("search_index.json") for p in requested), requested
    assert any("/workers/search." in p for p in requested), requested
    assert_clean(tab)


def test_search_finds_a_glossary_term(tab):
    """'veto' is a glossary term: its entry is among the results, the first result opens the glossary,
    and the entry's own result lands on the entry."""
    tab.open("institutions/asean/")
    results = search(tab, "veto")
    entry = [h for h in results if path_of(h).endswith("/glossary/") and urlsplit(h).fragment == "veto"]
    assert entry, f"the glossary entry 'veto' is not among the results: {results}"
    open_result(tab, results, results[0])
    assert path_of(tab.page.url).endswith("/glossary/"), (
        f"the first result for 'veto' opens {tab.page.url}, not the glossary; results: {results}")

    tab.open("institutions/asean/")
    results = search(tab, "veto")
    open_result(tab, results, entry[0])
    assert urlsplit(tab.page.url).fragment == "veto", tab.page.url
    heading = tab.page.locator("[id='veto']")
    assert heading.count() == 1 and heading.is_visible(), "the glossary has no visible entry with id 'veto'"
    assert_clean(tab)


def test_search_finds_an_institution_and_opens_its_page(tab):
    tab.open("")
    results = search(tab, "ADMM-Plus")
    assert any(path_of(h).endswith("/institutions/admm-plus/") for h in results), results
    open_result(tab, results, results[0])
    assert path_of(tab.page.url).endswith("/institutions/admm-plus/"), (
        f"the first result for 'ADMM-Plus' opens {tab.page.url}, not the institution's page; results: {results}")
    assert "ADMM-Plus" in tab.page.locator("h1").first.inner_text()
    assert_clean(tab)


# --- Glossary definitions -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def term_link(built_site) -> tuple[str, str]:
    """(page, glossary id) of a glossary link (`.xref-term > a`) outside the glossary; 'veto' preferred."""
    found = []
    for html_file in sorted(built_site.rglob("index.html")):
        rel = html_file.parent.relative_to(built_site).as_posix()
        page = "" if rel == "." else rel + "/"
        if page.startswith(("glossary/", "print_page/")):
            continue
        html = html_file.read_text(encoding="utf-8")
        for term_id in re.findall(r'<span class="xref xref-term"[^>]*><a href="[^"#]*glossary/#([^"]+)"', html):
            found.append((page, term_id))
    if not found:
        pytest.fail("no page links a glossary term ({{ term(...) }} renders `.xref-term > a`): nothing to test")
    return next((f for f in found if f[1] == "veto"), found[0])


def _xref(page, term_id):
    """The glossary link and the preview (site.js) that shows its definition."""
    link = page.locator(f".xref-term > a[href$='glossary/#{term_id}']").first
    return link, page.locator("#preview-pop")


def test_glossary_link_shows_its_definition_on_hover(tab, term_link):
    path, term_id = term_link
    tab.open(path)
    link, tip = _xref(tab.page, term_id)
    link.scroll_into_view_if_needed()
    assert not tip.is_visible(), "the definition shows before anything points at the link"
    link.hover()
    tip.wait_for(state="visible")
    box, screen = tip.bounding_box(), tab.page.viewport_size
    assert (box["x"] >= 0 and box["x"] + box["width"] <= screen["width"]
            and box["y"] >= 0 and box["y"] + box["height"] <= screen["height"]), (
        f"the definition of '{term_id}' on /{path} runs off the {screen['width']}×{screen['height']} screen: {box}")
    assert tip.inner_text().strip(), "the definition is empty"
    tab.page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    assert_clean(tab)


def test_glossary_link_shows_its_definition_on_keyboard_focus(tab, term_link):
    path, term_id = term_link
    tab.open(path)
    page = tab.page
    link, tip = _xref(page, term_id)
    page.mouse.move(0, 0)
    link.focus()                        # start on the link, step back one stop, and come back with Tab
    page.keyboard.press("Shift+Tab")
    assert not tip.is_visible(), "the definition stays open after focus has left the link"
    page.keyboard.press("Tab")
    assert link.evaluate("(a) => a === document.activeElement"), "Tab does not reach the glossary link"
    tip.wait_for(state="visible")
    described = link.get_attribute("aria-describedby")      # screen readers also hear it as the description
    assert described and page.locator(f"[id='{described}']").count() == 1, "the definition is not the link's description"
    assert page.locator(f"[id='{described}']").inner_text().strip() in tip.inner_text()
    assert link.get_attribute("aria-expanded") == "true" and link.get_attribute("aria-controls") == "preview-pop"
    assert_clean(tab)


def test_glossary_link_previews_then_leads_to_the_entry_on_a_touch_screen(open_tab, term_link):
    """The first tap opens the definition in place; its "full entry" link leads to the glossary entry."""
    path, term_id = term_link
    tab = open_tab(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        tab.open(path)
        link, tip = _xref(tab.page, term_id)
        link.scroll_into_view_if_needed()
        before = tab.page.url
        link.tap()
        tip.wait_for(state="visible")
        assert tab.page.url == before, "the first tap left the page instead of showing the definition"
        with tab.page.expect_navigation(wait_until="load"):
            tip.locator("a.preview-more").tap()
        parts = urlsplit(tab.page.url)
        assert parts.path.endswith("/glossary/") and parts.fragment == term_id, tab.page.url
        entry = tab.page.locator(f"[id='{term_id}']")
        assert entry.count() == 1, f"the glossary has no element with id '{term_id}'"
        top = entry.evaluate("(el) => el.getBoundingClientRect().top")
        assert 0 <= top < PHONE["height"], f"the entry is not on screen after the jump (top {top}px)"
        definition = entry.locator("xpath=following-sibling::*[1]")
        assert definition.count() and definition.is_visible() and definition.inner_text().strip(), (
            f"nothing readable follows the entry '{term_id}'")
        assert_clean(tab)
    finally:
        tab.close()


# --- Wide tables ----------------------------------------------------------------------------------------
def test_a_wide_table_scrolls_inside_its_container_by_the_arrow_keys(open_tab):
    """table_wrap_problems() runs on every page at 1280 and 768 px (test_pages.py); here it is shown to find a
    table wider than its column and to scroll it, so its arrow-key check is known to run."""
    tab = open_tab(viewport=TABLET)
    try:
        tab.open(WIDE_TABLE_PAGE)
        problems, wide = table_wrap_problems(tab.page, WIDE_TABLE_PAGE)
        assert not problems, "\n".join(problems)
        assert wide, f"no table on /{WIDE_TABLE_PAGE} is wider than its container at {TABLET['width']}px"
        assert_clean(tab)
    finally:
        tab.close()


# --- Cite this page -----------------------------------------------------------------------------------
def test_cite_this_page_copies_with_materials_clipboard(open_tab):
    tab = open_tab(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = tab.page
        tab.open("institutions/asean/")
        page.locator("details.cite-page:not(.cite-edition) summary").click()
        apa = page.locator("#cite-apa")
        expect(apa).to_contain_text("http://127.0.0.1:")          # site.js made the address absolute
        page.get_by_role("button", name="Copy the APA citation", exact=True).click()
        expect(page.locator(".md-dialog")).to_contain_text("Copied to clipboard")   # Material's own alert
        assert page.evaluate("navigator.clipboard.readText()") == apa.inner_text().strip()
        assert_clean(tab)
    finally:
        tab.close()


# --- Dark mode ----------------------------------------------------------------------------------------
def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def toggle_until(page, wanted: str, tries: int = 3) -> None:
    for _ in range(tries):
        if scheme(page) == wanted:
            return
        checked = "() => (document.querySelector('input[name=\"__palette\"]:checked') || {id: ''}).id"
        before = page.evaluate(checked)
        page.locator("form[data-palette] label:visible").first.click()
        page.wait_for_function(f"(before) => ({checked})() !== before", arg=before)   # the next palette is on
    assert scheme(page) == wanted, f"the palette toggle never reached '{wanted}' (now '{scheme(page)}')"


def test_dark_mode_toggles_and_persists(tab):
    page = tab.page
    tab.open("institutions/asean/")
    assert scheme(page) == "default", "a light-preferring reader should start in the light scheme"
    toggle_until(page, "slate")
    stored = page.evaluate("Object.keys(localStorage).filter((k) => k.endsWith('__palette'))")
    assert stored, "the choice is not stored in localStorage"
    page.reload(wait_until="load")
    assert scheme(page) == "slate", "dark mode is lost on reload"
    tab.open("crises/myanmar-2021/")
    assert scheme(page) == "slate", "dark mode is lost on the next page"
    toggle_until(page, "default")
    page.reload(wait_until="load")
    assert scheme(page) == "default", "the switch back to light is lost on reload"
    assert_clean(tab)


# --- Print --------------------------------------------------------------------------------------------
HIDDEN_IN_PRINT = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search"]


@pytest.mark.parametrize("system, shown, colour_scheme", [("light", "default", None), ("dark", "slate", "dark")])
def test_the_palette_follows_the_system_until_the_reader_picks_one(open_tab, system, shown, colour_scheme):
    """docs/assets/start.js runs the toggle (overrides/partials/palette.html), not Material's bundle: a reader who
    never chose gets the system's scheme, the browser's theme colour follows the header, and the color-scheme
    meta tag (each change of which restyles the whole page) is only there for the dark scheme."""
    tab = open_tab(color_scheme=system)
    try:
        page = tab.page
        tab.open("crises/myanmar-2021/")
        assert scheme(page) == shown
        page.wait_for_function("document.querySelector('meta[name=theme-color]')")
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        rgb = [int(n) for n in re.findall(r"\d+", header)[:3]]
        assert page.evaluate("document.querySelector('meta[name=theme-color]').content") == \
            "#" + "".join(f"{n:02x}" for n in rgb)
        metas = page.evaluate("[...document.querySelectorAll('meta[name=color-scheme]')].map((m) => m.content)")
        assert metas == ([colour_scheme] if colour_scheme else []), metas
        assert page.locator("form[data-palette] label:visible").count() == 1, "one toggle button is shown"
        assert page.evaluate("document.querySelector('form[data-md-component=palette]')") is None
        assert_clean(tab)
    finally:
        tab.close()


def test_the_palette_answers_enter_like_materials(tab):
    page = tab.page
    tab.open("glossary/")
    before = page.evaluate("document.querySelector('input[name=__palette]:checked').id")
    page.locator("input[name=__palette]:checked").focus()        # where Tab lands (the options are radios)
    page.keyboard.press("Enter")
    page.wait_for_function("(b) => document.querySelector('input[name=__palette]:checked').id !== b", arg=before)
    assert_clean(tab)


def test_no_palette_switch_at_start_only_when_the_reader_toggles(tab):
    """docs/assets/start.js (the toggle): the `data-md-color-switching` mark (which restyles the whole page
    twice) is not set on page load, and is set when the reader uses the toggle (no transitions then)."""
    page = tab.page
    page.add_init_script("""window.__switching = 0;
        new MutationObserver((records) => { window.__switching += records.filter(
            (r) => r.attributeName === 'data-md-color-switching' && r.target.hasAttribute(r.attributeName)).length; })
        .observe(document, {attributes: true, subtree: true, attributeFilter: ['data-md-color-switching']});""")
    tab.open("glossary/")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__switching") == 0, "the palette 'switched' on page load"
    toggle_until(page, "slate")
    page.wait_for_function("window.__switching > 0")
    assert scheme(page) == "slate"
    assert_clean(tab)


def test_print_view_hides_navigation(tab):
    page = tab.page
    tab.open("institutions/asean/")
    assert page.locator(".md-header").is_visible() and page.locator(".md-sidebar--primary").is_visible()
    page.emulate_media(media="print")
    shown = page.evaluate("""(selectors) => selectors.flatMap((s) => [...document.querySelectorAll(s)]
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => s))""", HIDDEN_IN_PRINT)
    assert not shown, f"still shown in print: {sorted(set(shown))}"
    assert page.locator(".md-content h1").first.is_visible(), "the article itself vanished in print"
    assert_clean(tab)


# --- The audit in the other schemes and sizes (the matrix: AUDITS in conftest.py) ----------------------
@pytest.mark.parametrize("color_scheme, viewport, pages, scope", list(AUDITS.values()), ids=list(AUDITS))
def test_wcag21_aa_in_other_schemes_and_sizes(open_tab, axe, color_scheme, viewport, pages, scope):
    tab = open_tab(viewport=viewport, color_scheme=color_scheme)
    failures = []
    try:
        for path in pages:
            tab.open(path)
            if color_scheme == "dark":
                assert scheme(tab.page) == "slate", "a dark-preferring reader should get the dark scheme"
            if scope is not None:
                assert tab.page.locator(", ".join(scope)).count(), f"/{path}: nothing matches {scope}"
            violations = axe.check(tab.page, context=None if scope is None else {"include": [[s] for s in scope]})
            if violations:
                failures.append(f"/{path}:\n" + "\n".join(violations))
    finally:
        tab.close()
    assert not failures, "\n".join(failures)


def test_the_audit_checks_blocks_far_from_the_screen_and_leaves_them_skipped(tab, axe):
    """The glossary's last entry is not drawn until a reader scrolls near it (content-visibility: auto). The
    audit must check its colours all the same (axe passes color-contrast there instead of giving up with
    "incomplete"), and leave the page as readers get it: the entry skipped again, the audit's style gone."""
    tab.open("glossary/")
    tab.page.evaluate("() => [...document.querySelectorAll('.md-typeset .gl-entry')].at(-1).dataset.probe = ''")
    last = ".gl-entry[data-probe]"
    skipped = f"() => !document.querySelector('{last} > *').checkVisibility({{contentVisibilityAuto: true}})"
    assert tab.page.evaluate(skipped), "the last glossary entry is drawn at load: nothing here to test"
    axe.start(tab.page, context={"include": [[last]]})
    outcome = tab.page.evaluate("() => window.__axe_run.then((r) => ({passes: r.passes.map((x) => x.id),"
                                " incomplete: r.incomplete.map((x) => x.id), violations: r.violations.length}))")
    assert "color-contrast" in outcome["passes"] and "color-contrast" not in outcome["incomplete"], outcome
    assert outcome["violations"] == 0, outcome
    assert tab.page.evaluate("(id) => document.getElementById(id) === null", RENDER_ALL_ID)
    tab.page.wait_for_timeout(100)
    assert tab.page.evaluate(skipped), "after the audit the far entry should be skipped again, as for a reader"
    assert_clean(tab)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("path, anchors, which", [("glossary/", ".gl-entry h3[id]", -1),
                                                  ("institutions/asean/", "ol.sources > li[id]", -8)],
                         ids=["last-glossary-entry", "source-far-down"])
def test_opening_a_page_at_an_anchor_far_down_lands_on_it(open_tab, javascript, path, anchors, which):
    """Glossary entries and source-list items are skipped until they near the screen (content-visibility: auto),
    each guessed at a fixed height until drawn. Opened at an anchor, the target must sit exactly at its scroll
    margin under the header (and the glossary's sticky bar). For the glossary the page draws every entry when it
    has a target (html:has(:target) in site.css): without that, once the scripts had changed the page, its last
    entry was 111 px too low on a phone. The same rule draws the figures above the source list; the source items
    themselves are not in it (a tag there made the browser restyle every list item at each change), and land
    exactly all the same. (Not the last source: the page ends before it can reach the top.)"""
    tab = open_tab(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript)
    try:
        tab.open(path)
        target = tab.page.evaluate("([sel, i]) => [...document.querySelectorAll(sel)].at(i).id", [anchors, which])
        tab.page.goto("about:blank")                 # a fresh load at the anchor, not a jump within the page
        tab.open(f"{path}#{target}")
        tab.page.wait_for_timeout(300)
        top, margin = tab.page.evaluate("(id) => { const e = document.getElementById(id);"
                                        " return [e.getBoundingClientRect().top, parseFloat(getComputedStyle(e).scrollMarginTop)]; }",
                                        target)
        assert abs(top - margin) <= 2, f"/{path}#{target} is {top:.0f} px from the top of the window, not {margin:.0f}"
        assert_clean(tab)
    finally:
        tab.close()
