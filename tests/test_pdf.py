"""`make pdf`: the print-site page becomes one PDF holding every page of the site."""
import html
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader
from conftest import ROOT


def _outline_titles(outline) -> list[str]:
    out = []
    for item in outline:
        out.extend(_outline_titles(item) if isinstance(item, list) else [" ".join(item.title.split())])
    return out


def _page_titles(site) -> dict[str, str]:
    """Each built page's h1 (its title as printed), by address: the live pages, not the kept editions."""
    titles = {}
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        if rel.startswith(("editions", "print_page")):
            continue
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue                                # a redirect stub
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        if h1:
            titles[rel] = " ".join(html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).replace("¶", "").split())
    return titles


@pytest.mark.browser
def test_whole_site_pdf_has_every_page(real_site, tmp_path):
    assert real_site.code == 0, real_site.output
    pdf = tmp_path / "site.pdf"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_pdf.py"), str(real_site.site), str(pdf)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(pdf)                 # pure Python (pypdf, in the lock): no poppler needed
    assert len(reader.pages) >= 60, len(reader.pages)
    # Every page of the site is in the PDF's outline (its bookmarks, made from the printed headings): read from
    # the outline, not from the text of 300 pages, which pypdf needs a minute to extract.
    outline = set(_outline_titles(reader.outline))
    titles = _page_titles(real_site.site)
    assert len(titles) >= 50, titles
    missing = sorted(f"/{url}: {title}" for url, title in titles.items() if title not in outline)
    assert not missing, "pages missing from the PDF's outline:\n" + "\n".join(missing)
    # The outline is backed by real text: the first and the last printed pages have the site's words.
    first, last = (" ".join((reader.pages[n].extract_text() or "").split()) for n in (0, -1))
    assert "ASEAN" in first and last.strip(), (first[:200], last[:200])
    # no page's "Cite this page" widget (its copy buttons) is part of the printed site: the print page holds
    # the pages' own content, and the PDF none of the buttons' labels
    printed = (real_site.site / "print_page" / "index.html").read_text(encoding="utf-8")
    article = printed[printed.index('id="print-site-page"'):]
    assert "md-clipboard" not in article and 'class="cite-page"' not in article
    assert "Copy the" not in first + last
