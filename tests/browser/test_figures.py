"""Figures and comparison tables in a real browser (issue 11): visible and inside a phone screen, axe-clean
in both colour schemes, nothing fetched from elsewhere, and row headers never broken inside a word."""
from __future__ import annotations

import pytest

from pathlib import Path

pytestmark = pytest.mark.browser

FIGURE_PAGES = ["", "institutions/asean/", "institutions/unsc/", "crises/myanmar-2021/", "crises/rohingya/",
                "crises/south-china-sea/", "crises/ukraine-veto/", "compare/unsc-terms/", "compare/arf-admm-quad/",
                "timeline/"]
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


@pytest.mark.parametrize("path", FIGURE_PAGES, ids=lambda p: "/" + p)
def test_figures_visible_within_a_phone_screen(open_tab, path):
    tab = open_tab(viewport={"width": 360, "height": 780})
    try:
        tab.open(path)
        figs = tab.page.evaluate(FIGURES_IN_VIEW, 360)
        assert figs, f"no figure on /{path}"
        bad = [f for f in figs if not f["visible"] or f["left"] < -0.5 or f["right"] > 360.5]
        assert not bad, bad
        assert not tab.page.evaluate(OUTSIDE_REFS)
        assert not tab.problems(), tab.problems()
    finally:
        tab.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", FIGURE_PAGES, ids=lambda p: "/" + p)
def test_pages_with_figures_pass_axe(open_tab, axe, path, scheme):
    tab = open_tab(color_scheme=scheme)
    try:
        tab.open(path)
        assert tab.page.evaluate("() => getComputedStyle(document.body).getPropertyValue('--fig-land').trim()")
        violations = axe.check(tab.page)
        assert not violations, "\n".join(violations)
    finally:
        tab.close()


@pytest.mark.parametrize("width", [1280, 768])
@pytest.mark.parametrize("path", COMPARE_PAGES, ids=lambda p: "/" + p)
def test_compare_row_headers_never_break_inside_a_word(open_tab, path, width):
    tab = open_tab(viewport={"width": width, "height": 900})
    try:
        tab.open(path)
        if path != "compare/":
            assert tab.page.locator("table.data-table th[scope=row]").count() > 0
        narrow = tab.page.evaluate(ROW_HEADERS_TOO_NARROW)
        assert not narrow, f"/{path} at {width}px: " + "; ".join(narrow)
    finally:
        tab.close()
