"""Figures and comparison tables in a real browser (issue 11): visible and inside a phone screen, nothing
fetched from elsewhere, and row headers never broken inside a word. Their accessibility is audited with their
pages: light in test_pages.py, dark in the audit matrix (browser/conftest.py AUDITS: each kind of figure)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser.conftest import AUDITS, FIGURE_PAGES

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
COMPARE_PAGES = sorted("compare/" if md.stem == "index" else f"compare/{md.stem}/" for md in (DOCS / "compare").glob("*.md"))

FIGURES_IN_VIEW = """(vw) => [...document.querySelectorAll('figure.fig')].map((f) => {
  const svg = f.querySelector('svg'), r = svg.getBoundingClientRect(), cs = getComputedStyle(svg);
  return {id: f.id, width: r.width, height: r.height, left: r.left, right: r.right,
          visible: cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0};
})"""

OUTSIDE_REFS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure.fig svg')) {
    for (const el of svg.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const v = attr.value.trim();
        if ((attr.name === 'href' || attr.name === 'xlink:href' || attr.name === 'src') && !v.startsWith('#'))
          out.push(`${el.tagName} ${attr.name}=${v}`);
        for (const m of v.matchAll(/url\\(([^)]*)\\)/g)) if (!m[1].trim().replace(/['"]/g, '').startsWith('#'))
          out.push(`${el.tagName} ${attr.name}=${v}`);
      }
    }
  }
  return out;
}"""

ROW_HEADERS_TOO_NARROW = """() => {
  const out = [];
  const canvas = document.createElement('canvas').getContext('2d');
  for (const th of document.querySelectorAll('.md-content table.data-table th[scope="row"]')) {
    const cs = getComputedStyle(th);
    canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const words = th.innerText.split(/\\s+|(?<=-)/).filter(Boolean);   // a break after a hyphen is fine
    const longest = Math.max(...words.map((w) => canvas.measureText(w).width));
    const inner = th.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (inner + 0.5 < longest) out.push(`"${th.innerText.trim()}": ${inner.toFixed(1)}px < ${longest.toFixed(1)}px`);
  }
  return out;
}"""


def test_every_page_with_a_figure_is_listed(built_site):
    """FIGURE_PAGES decides which pages the dark audit and the figure tests visit: it must name every page
    that draws a figure (kept editions and the print-all page aside)."""
    drawn = sorted("" if f.parent == built_site else f.parent.relative_to(built_site).as_posix() + "/"
                   for f in built_site.rglob("index.html")
                   if '<figure class="fig' in f.read_text(encoding="utf-8")
                   and f.relative_to(built_site).parts[0] not in ("editions", "print_page", "kit"))
    assert sorted(FIGURE_PAGES) == drawn


def test_every_kind_of_figure_is_audited_dark(built_site):
    """Each kind of figure (its id, a locator map's place aside) is on a page the dark audit visits."""
    def kinds(path):
        ids = re.findall(r'<figure class="fig[^"]*" id="([^"]+)"', (built_site / path / "index.html").read_text("utf-8"))
        return {re.sub(r"^fig-map-.*", "fig-map", i) for i in ids}
    dark = {path for scheme, _viewport, pages, _scope in AUDITS.values() if scheme == "dark" for path in pages}
    every = set().union(*(kinds(p) for p in FIGURE_PAGES))
    audited = set().union(*(kinds(p) for p in dark))
    assert every and not every - audited, f"figures never audited dark: {sorted(every - audited)}"


@pytest.fixture(scope="module")
def one_tab(open_tab):
    """One tab for the module, reset (events forgotten, viewport set) before each page: a fresh browser context
    per page cost a renderer process and a cold cache each time."""
    tab = open_tab()
    yield tab
    tab.close()


@pytest.mark.parametrize("path", FIGURE_PAGES, ids=lambda p: "/" + p)
def test_figures_visible_within_a_phone_screen(one_tab, path):
    tab = one_tab
    tab.reset(viewport={"width": 360, "height": 780})
    tab.open(path)
    assert tab.page.evaluate("() => getComputedStyle(document.body).getPropertyValue('--fig-land').trim()"), \
        "the figures' palette (site.css) is not loaded"
    figs = tab.page.evaluate(FIGURES_IN_VIEW, 360)
    assert figs, f"no figure on /{path}"
    bad = [f for f in figs if not f["visible"] or f["left"] < -0.5 or f["right"] > 360.5]
    assert not bad, bad
    assert not tab.page.evaluate(OUTSIDE_REFS)
    assert not tab.problems(), tab.problems()


@pytest.mark.parametrize("width", [1280, 768])
@pytest.mark.parametrize("path", COMPARE_PAGES, ids=lambda p: "/" + p)
def test_compare_row_headers_never_break_inside_a_word(one_tab, path, width):
    tab = one_tab
    tab.reset(viewport={"width": width, "height": 900})
    tab.open(path)
    if path != "compare/":
        assert tab.page.locator("table.data-table th[scope=row]").count() > 0
    narrow = tab.page.evaluate(ROW_HEADERS_TOO_NARROW)
    assert not narrow, f"/{path} at {width}px: " + "; ".join(narrow)
