"""Every page of the built site, in a real browser: clean console, nothing third-party, WCAG 2.1 AA
(axe-core), a phone-sized screen without horizontal scrolling, and wide tables that scroll inside their own
container at 1280 and 768 px.

Each page is loaded once (a module-scoped fixture parametrized by page, so pytest runs all the checks of
one page together) and each check is its own test, so a failure names both the page and the check.
"""
from __future__ import annotations

import os

import pytest

from browser.conftest import DESKTOP, PHONE, TABLET, table_wrap_problems

pytestmark = pytest.mark.browser

TABS = max(1, int(os.environ.get("BROWSER_TABS", "3")))   # pages loaded and audited at once
HEAVY_BYTES = 1_000_000     # pages this big (the print-all page) take minutes to audit: start them first
# The print-all page repeats every page, each audited on its own: here axe checks what it adds (cover,
# table of contents, section titles). PRINT_PAGE_FULL_AUDIT=1 audits all of it (minutes more).
AXE_SCOPE = {} if os.environ.get("PRINT_PAGE_FULL_AUDIT") else {
    "print_page/": {"exclude": [["#print-site-page > section.print-page:not(.md-section)"]]},
}


class TabPool:
    """A few long-lived tabs (one browser context each) that visit the pages in turn, a few pages ahead of
    the tests, with axe already running on each. Audits overlap in separate renderer processes, and a tab
    reused for the next page costs a fraction of a fresh context (measured: ~0.7 s of CPU instead of ~2.6 s
    per page). Each page still gets its own tests, and its recorded events are reset before it loads.
    Heavy pages are loaded and audited from the start, in tabs of their own, while the others go by."""

    def __init__(self, open_tab, axe, order: list[str], size: int, heavy=()):
        self.open_tab, self.axe, self.order, self.size = open_tab, axe, order, size
        self.heavy = [p for p in order if p in set(heavy)]
        self.idle, self.all, self.started, self.taken = [], [], {}, set()

    def _start(self, path: str) -> None:
        if self.idle:
            tab = self.idle.pop()
        else:
            tab = self.open_tab(viewport=DESKTOP, own_context=True)   # tabs side by side: a window each
            self.all.append(tab)
        tab.reset()
        try:
            tab.open(path)
            self.axe.start(tab.page, context=AXE_SCOPE.get(path))
            self.started[path] = tab
        except Exception as exc:          # raised again by the tests of this page
            self.started[path] = (tab, exc)

    def take(self, path: str):
        if not self.taken:
            for heavy in self.heavy:
                self._start(heavy)
        if path not in self.started:
            self._start(path)
        at = self.order.index(path) if path in self.order else len(self.order)
        for ahead in self.order[at + 1:]:
            if sum(p not in self.heavy for p in self.started) >= self.size:
                break
            if ahead not in self.started and ahead not in self.taken:
                self._start(ahead)
        self.taken.add(path)
        got = self.started.pop(path)
        if isinstance(got, tuple):
            tab, exc = got
            self.idle.append(tab)
            raise exc
        return got

    def give_back(self, tab) -> None:
        self.idle.append(tab)

    def close(self) -> None:
        for tab in self.all:
            tab.close()


@pytest.fixture(scope="module")
def pool(request, open_tab, axe, built_site):
    order = []                          # the pages this run will visit, in the order it visits them
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is request.module and callspec and "site_page" in callspec.params:
            order.append(callspec.params["site_page"])
    order = list(dict.fromkeys(order))
    files = {p: built_site / (p if p.endswith(".html") else p + "index.html") for p in order}
    heavy = [p for p, f in files.items() if f.is_file() and f.stat().st_size > HEAVY_BYTES]
    tabs = TabPool(open_tab, axe, order, TABS, heavy)
    yield tabs
    tabs.close()


@pytest.fixture(scope="module")
def visit(site_page, pool):
    """The page (`site_page` is parametrized in conftest.py), open in a desktop-sized, light-scheme tab,
    with an axe-core audit already running."""
    tab = pool.take(site_page)
    yield tab
    pool.give_back(tab)


def test_every_built_page_is_tested(page_lists):
    tested, built = map(set, page_lists)
    assert not built - tested, f"built but not tested (teach documented_pages() in tests/browser/conftest.py about them): {built - tested}"
    assert not tested - built, f"expected from docs/ but not built: {tested - built}"


def test_wcag21_aa_with_axe(visit, axe):
    violations = axe.report(visit.page)
    assert not violations, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(violations)


PHONE_OVERFLOW = """(vw) => {
  const doc = document.documentElement, problems = [];
  if (doc.scrollWidth > vw) {
    // Name the widest culprits that are not inside a horizontally scrolling container.
    const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 0.5) continue;
      let p = el.parentElement, inside = false;
      while (p && p !== document.body) { if (scrolls(p)) { inside = true; break; } p = p.parentElement; }
      if (!inside) culprits.push([Math.round(r.right), el]);
    }
    culprits.sort((a, b) => b[0] - a[0]);
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    problems.push(`the page scrolls sideways: scrollWidth ${doc.scrollWidth}px > ${vw}px; widest: ` +
      culprits.slice(0, 5).map(([right, el]) => `${name(el)} (right edge ${right}px)`).join(', '));
  }
  for (const table of document.querySelectorAll('.md-content table')) {
    const label = (table.caption ? table.caption.textContent : table.id || table.className).trim().slice(0, 60);
    let box = table.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (table.classList.contains('data-table')) {
      const wrap = table.closest('.table-wrap');
      if (!wrap) { problems.push(`table "${label}" is not inside a .table-wrap`); continue; }
      if (!['auto', 'scroll'].includes(getComputedStyle(wrap).overflowX))
        problems.push(`.table-wrap of "${label}" does not scroll (overflow-x: ${getComputedStyle(wrap).overflowX})`);
      box = wrap;
    }
    if (!box || box === document.body) {
      const r = table.getBoundingClientRect();
      if (r.right > vw + 0.5) problems.push(`table "${label}" overflows the screen and has no scrolling container`);
      continue;
    }
    const b = box.getBoundingClientRect();
    if (b.left < -0.5 || b.right > vw + 0.5)
      problems.push(`the scrolling container of table "${label}" is wider than the screen (${Math.round(b.left)}..${Math.round(b.right)}px)`);
  }
  return problems;
}"""


def test_fits_a_phone_screen(visit):
    """At 360×780 nothing scrolls sideways except a wide table, inside its own container."""
    page = visit.page
    page.set_viewport_size(PHONE)
    try:
        page.wait_for_function("(w) => document.documentElement.clientWidth === w", arg=PHONE["width"])
        problems = page.evaluate(PHONE_OVERFLOW, PHONE["width"])
    finally:
        page.set_viewport_size(DESKTOP)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", [DESKTOP, TABLET], ids=["1280", "768"])
def test_wide_tables_scroll_inside_their_container(visit, site_page, size):
    """At 1280 and 768 px (the phone size: test_fits_a_phone_screen), on the page already open."""
    if site_page == "print_page/":
        pytest.skip("the print-all page repeats every page's tables, each checked on its own page")
    page = visit.page
    page.set_viewport_size(size)
    try:
        page.wait_for_function("(w) => document.documentElement.clientWidth === w", arg=size["width"])
        problems, _wide = table_wrap_problems(page, site_page)
    finally:
        page.set_viewport_size(DESKTOP)
    assert not problems, "\n".join(problems)


def test_no_errors_and_nothing_third_party(visit):
    """Runs last for each page, so it also catches what happened while the other checks ran."""
    visit.page.wait_for_load_state("networkidle")
    problems = visit.problems()
    assert not problems, "\n".join(problems)
