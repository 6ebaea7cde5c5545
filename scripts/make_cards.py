"""Draw the link-preview card images (Open Graph), one per kind of page, into docs/assets/cards/<kind>.png.

    python scripts/make_cards.py          # needs Debian's Chromium (the browser tests' one)

Static files, committed: a build never draws them (no browser at build time). macros/seo.py names the kinds and
picks a page's card; the words on a card are the kind's label and the site's name and description, from mkdocs.yml.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from macros.seo import CARD_DIR, CARDS  # noqa: E402

LABELS = {"home": "An open explainer", "article": "The article in brief", "institution": "Institution",
          "instrument": "Instrument or meeting", "crisis": "Crisis", "recommendation": "Recommendation",
          "compare": "Comparison", "reference": "Reference", "teaching": "For teachers", "data": "Open data"}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)   # !ENV and python tags: not needed here


def card_html(kind: str, name: str, description: str) -> str:
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; width: 1200px; height: 630px; display: flex; flex-direction: column; justify-content: space-between;
  box-sizing: border-box; padding: 64px 72px; background: #283593; color: #fff;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }}
.kind {{ font-size: 34px; letter-spacing: .08em; text-transform: uppercase; color: #c5cae9; }}
h1 {{ font-size: 66px; line-height: 1.1; margin: 0; max-width: 1000px; }}
p {{ font-size: 27px; line-height: 1.4; margin: 0; color: #e8eaf6; max-width: 1020px; }}
.bar {{ height: 12px; width: 220px; background: #ffb300; }}
</style></head><body><div class="kind">{html.escape(LABELS[kind])}</div>
<h1>{html.escape(name)}</h1><div class="bar"></div><p>{html.escape(description)}</p></body></html>"""


def main() -> None:
    from playwright.sync_api import sync_playwright
    conf = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)   # noqa: S506
    name, description = conf["site_name"], " ".join(conf["site_description"].split())
    out = ROOT / "docs" / CARD_DIR
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        for kind in CARDS:
            page.set_content(card_html(kind, name, description))
            page.screenshot(path=str(out / f"{kind}.png"))
        browser.close()
    print(f"{len(CARDS)} cards in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
