"""Figure text reads at every width (issue 19): every label of every figure renders at 12–14 CSS px at 360,
768 and 1280 px wide, no two labels overlap, and the timeline's marks are tap targets of at least 24 px."""
from __future__ import annotations

import pytest

from browser.conftest import FIGURE_PAGES

pytestmark = pytest.mark.browser

WIDTHS = [360, 768, 1280]

# Rendered size of each <text>: its computed font size (SVG user units) times the SVG's scale (CSS px per unit).
TEXT_SIZES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure.fig svg.fig-svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;
    const k = box.width / svg.viewBox.baseVal.width;
    const fig = svg.closest('figure').id;
    const boxes = [];
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim() || t.closest('defs') || !t.getClientRects().length
          || getComputedStyle(t).display === 'none') continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * k;
      const r = t.getBoundingClientRect();
      out.push({fig, text: t.textContent.trim().slice(0, 40), px: Math.round(px * 100) / 100});
      boxes.push({text: t.textContent.trim().slice(0, 30), l: r.left, r: r.right, t: r.top, b: r.bottom});
    }
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
      if (w > 1 && h > 2) out.push({fig, overlap: `"${a.text}" and "${b.text}" (${w.toFixed(0)}×${h.toFixed(0)} px)`});
    }
  }
  return out;
}"""

TAP_TARGETS = """() => [...document.querySelectorAll('figure.fig svg a')].map((a) => {
  const r = a.getBoundingClientRect();
  return {label: (a.getAttribute('aria-label') || a.textContent).slice(0, 50), w: r.width, h: r.height};
})"""


@pytest.fixture(scope="module")
def figure_page(request, open_tab):
    """The page open once; each width is reached by resizing the window (the figures are SVG and CSS only,
    laid out again on resize as on load; no script places them)."""
    tab = open_tab(viewport={"width": WIDTHS[-1], "height": 900})
    tab.open(request.param)
    yield request.param, tab
    tab.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("figure_page", FIGURE_PAGES, ids=lambda p: "/" + p, indirect=True, scope="module")
def test_figure_text_is_12_to_14_px_and_never_overlaps(figure_page, width):
    path, tab = figure_page
    tab.page.set_viewport_size({"width": width, "height": 900})
    tab.page.wait_for_function("(w) => document.documentElement.clientWidth === w", arg=width)
    found = tab.page.evaluate(TEXT_SIZES)
    sizes = [f for f in found if "px" in f]
    assert sizes, f"no figure text on /{path}"
    wrong = [f"{f['fig']}: '{f['text']}' {f['px']} px" for f in sizes if not 11.95 <= f["px"] <= 14.05]
    overlaps = [f"{f['fig']}: {f['overlap']}" for f in found if "overlap" in f]
    assert not wrong, f"/{path} at {width}px, text outside 12–14 px:\n" + "\n".join(wrong[:40])
    assert not overlaps, f"/{path} at {width}px, labels overlap:\n" + "\n".join(overlaps[:40])
    targets = [t for t in tab.page.evaluate(TAP_TARGETS) if t["w"] < 24 or t["h"] < 24]
    assert not targets, f"/{path} at {width}px, tap targets under 24 px: {targets[:10]}"
    assert not tab.problems(), tab.problems()
