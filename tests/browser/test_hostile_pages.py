"""Poisoned pages in a real browser: a site whose data holds every hostile fragment (tests/hostile.py) opens
with no dialog, no event handler or script URL in the DOM, and no request to any other host, on every page
including the print page; hovering and focusing every tooltip link changes nothing."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

import hostile
from browser.conftest import built_pages, serve

pytestmark = pytest.mark.browser

HANDLERS_JS = """() => [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]
    .filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `<${el.tagName} ${a.name}>`))"""
SCRIPT_URLS_JS = """() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .flatMap((el) => ['href', 'src', 'action', 'formaction'].map((n) => el.getAttribute(n)))
    .filter((u) => u && /^\\s*(javascript|data|vbscript):/i.test(u))"""


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    built, planter = hostile.build_poisoned(tmp_path_factory.mktemp("poisoned") / "project", hostile.FRAGMENTS, 3)
    if built.code != 0:
        pytest.fail("the poisoned project did not build:\n" + built.output[-3000:])
    return built.site


def test_poisoned_pages_run_nothing_and_load_nothing_from_outside(chromium, poisoned_site):
    pages = built_pages(poisoned_site)
    assert "print_page/" in pages and "glossary/" in pages and len(pages) >= 8
    with serve(poisoned_site) as base:
        port = urlsplit(base).port
        dialogs, outside, found = [], [], []

        def local(url: str) -> bool:
            parts = urlsplit(url)
            return parts.scheme in ("data", "blob", "about") or (parts.hostname == "127.0.0.1" and parts.port == port)

        def route(r):
            if local(r.request.url):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort("blockedbyclient")

        context = chromium.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        try:
            context.route("**/*", route)
            context.on("request", lambda req: None if local(req.url) else outside.append(req.url))
            tab = context.new_page()
            tab.on("dialog", lambda d: (dialogs.append(f"{tab.url}: {d.type} {d.message!r}"), d.dismiss()))
            for path in pages:
                response = tab.goto(base + path, wait_until="load")
                assert response is not None and response.ok, f"/{path}: HTTP {response and response.status}"
                for link in tab.locator(".xref a").all()[:25]:
                    if link.is_visible():
                        link.hover()
                    link.focus()
                    link.blur()                # its tooltip (the site's CSS) would cover the next link
                    tab.mouse.move(0, 0)
                tab.wait_for_load_state("networkidle")
                found += [f"/{path}: {h}" for h in tab.evaluate(HANDLERS_JS)]
                found += [f"/{path}: script URL {u!r}" for u in tab.evaluate(SCRIPT_URLS_JS)]
        finally:
            context.close()
    assert not dialogs, "\n".join(dialogs)
    assert not outside, "\n".join(outside)
    assert not found, "\n".join(found[:30])
