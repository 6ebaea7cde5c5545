"""`make pdf`: the print-site page becomes one PDF holding every page of the site."""
import subprocess
import sys

import pytest
from pypdf import PdfReader
from conftest import ROOT


@pytest.mark.browser
def test_whole_site_pdf_has_every_page(real_site, tmp_path):
    assert real_site.code == 0, real_site.output
    pdf = tmp_path / "site.pdf"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_pdf.py"), str(real_site.site), str(pdf)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(pdf)                 # pure Python (pypdf, in the lock): no poppler needed
    assert len(reader.pages) >= 60, len(reader.pages)
    flat = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    for title in ["Association of Southeast Asian Nations", "Glossary", "Timeline", "Who's who",
                  "The four recommendations", "ASEAN, the UN and NATO", "Five-Point Consensus"]:
        assert title in flat, f"{title!r} missing from the PDF"
    # no page's "Cite this page" widget (its copy buttons) is part of the printed site: the print page holds
    # the pages' own content, and the PDF none of the buttons' labels
    printed = (real_site.site / "print_page" / "index.html").read_text(encoding="utf-8")
    article = printed[printed.index('id="print-site-page"'):]
    assert "md-clipboard" not in article and 'class="cite-page"' not in article
    assert "Copy the" not in flat
