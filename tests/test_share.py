"""Share: copy link, a QR code made at build time (segno, SVG, offline) and a plain Google Classroom link on every
page; the printed page carries the QR code and the address. All but "Copy link" need SITE_URL."""
import re
from urllib.parse import parse_qs, urlsplit

import segno

from conftest import SITE_URL
from macros import share


def test_qr_code_is_inline_svg_of_the_address():
    svg = share.qr_svg(SITE_URL + "glossary/")
    assert svg.startswith("<svg ") and 'viewBox="0 0 ' in svg and 'role="img"' in svg
    # the same matrix as segno's own rendering of the address: the code encodes exactly this address
    line = r'class="qrline"[^>]* d="([^"]+)"'
    assert re.search(line, svg).group(1) == re.search(
        line, segno.make(SITE_URL + "glossary/", error="m").svg_inline(scale=1)).group(1)
    assert "<script" not in svg and "http" not in svg.replace(SITE_URL, "").split("<title>")[0]


def test_classroom_link_is_a_plain_share_url():
    link = share.classroom_link(SITE_URL + "crises/gaza/", "Gaza & the Council")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "classroom.google.com", "/share")
    assert parse_qs(parts.query) == {"url": [SITE_URL + "crises/gaza/"], "title": ["Gaza & the Council"]}


def test_without_an_address_only_copy_link_remains():
    assert share.page_meta(None, "glossary/", "Glossary") == {"share_address": None, "share_qr": None,
                                                              "share_classroom": None}


def test_every_published_page_has_the_share_control_and_a_printed_qr_code(published_site):
    pages = [p for p in published_site.site.rglob("index.html")
             if not {"search", "print_page", "kit", "editions"} & set(p.relative_to(published_site.site).parts)]
    assert len(pages) > 40
    for path in pages:
        text = path.read_text(encoding="utf-8")
        url = SITE_URL + path.parent.relative_to(published_site.site).as_posix().removeprefix(".") 
        url = url if url.endswith("/") else url + "/"
        assert '<details class="share"' in text and 'data-copy-link="' + url + '"' in text, path
        assert 'href="https://classroom.google.com/share?url=' in text, path
        printed = text[text.index('<div class="share-print"'):]
        assert "<svg" in printed and url in printed[:printed.index("</div>")], path
    assert not re.search(r'<script[^>]+src="https?://', text)          # no third-party script


def test_unpublished_copy_offers_copy_link_only(real_site):
    text = real_site.html("glossary/index.html")
    assert 'class="md-button share-copy" data-copy-link=""' in text
    assert "classroom.google.com" not in text and "share-print" not in text
