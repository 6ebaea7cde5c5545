"""/compare/ lists every comparison table the nav lists (issue 19: it listed 4 of 6)."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_compare_index_links_every_comparison_in_the_nav():
    nav = re.findall(r"^\s*- (?:[^:\n]+: )?compare/([a-z0-9-]+)\.md\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    pages = [p for p in nav if p != "index"]
    assert len(pages) >= 6, pages
    index = (ROOT / "docs/compare/index.md").read_text(encoding="utf-8")
    missing = [p for p in pages if f"]({p}.md)" not in index]
    assert not missing, f"docs/compare/index.md does not link {missing}"
