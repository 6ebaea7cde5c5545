"""The teacher's tools in a real browser, on the site as deployed (SITE_URL set) with one edition published: the
share control (copy link, QR code, Classroom link), answers behind <details>, the printed QR code and answer key,
the reuse kit's embed page in an iframe, and the edition banner that leads to the live page. Both schemes, 360 px
and desktop, with axe; nothing may be requested from a third party."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browser.conftest import DESKTOP, PHONE, Tab, _is_local, serve
from conftest import ENV, ROOT, mkdocs

pytestmark = pytest.mark.browser
DAY = "2026-12-07"
SHOTS = os.environ.get("SCREENSHOTS")      # a folder: save screenshots there to look at them


@pytest.fixture(scope="module")
def deployed(published_site, tmp_path_factory):
    """The published site with an edition of DAY under /editions/ (built with EDITION, as make edition does)."""
    assert published_site.code == 0, published_site.output
    root = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(published_site.site, root)
    env = {**ENV, "EDITION": DAY, "SITE_URL": f"https://example.org/explainer/editions/{DAY}/"}
    proc = mkdocs("build", "--strict", "-d", root / "editions" / DAY, cwd=ROOT, env=env, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with serve(root) as url:
        yield url, root


@pytest.fixture
def make_tab(chromium, deployed):
    """Tabs that block third parties. The site's own absolute address (SITE_URL: Material asks it for the
    sitemap) is answered from the same local files, as the deployed host would."""
    base, root = deployed
    own = "https://example.org/explainer/"
    tabs = []

    def make(viewport=DESKTOP, color_scheme="light", **options) -> Tab:
        context = chromium.new_context(service_workers="block", viewport=viewport, color_scheme=color_scheme,
                                       reduced_motion="reduce", **options)
        context.set_default_timeout(20_000)
        tab = Tab(context=context, page=None, base=base)

        def route(r):
            if _is_local(r.request.url, base):
                r.continue_()
            elif r.request.url.startswith(own):
                local = root / r.request.url.removeprefix(own).split("#")[0].split("?")[0]
                local = local / "index.html" if local.is_dir() else local
                r.fulfill(path=str(local)) if local.is_file() else r.fulfill(status=404)
            else:
                tab.third_party.append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)
        tab.page = context.new_page()
        tab.page.on("pageerror", lambda e: tab.page_errors.append(e.message))
        tab.page.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
        tabs.append(tab)
        return tab
    yield make
    for tab in tabs:
        tab.close()
        tab.context.close()             # a context of its own (its route answers the deployed host)


def shot(tab, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def test_share_control_copies_the_link_and_shows_the_qr_code(make_tab):
    tab = make_tab(permissions=["clipboard-read", "clipboard-write"])
    page = tab.page
    tab.open("institutions/unsc/")
    share = page.locator("details.share")
    share.locator("summary").click()
    assert share.locator("svg.qr-code").is_visible()
    share.locator("button.share-copy").click()
    page.wait_for_function("document.querySelector('.share-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == "https://example.org/explainer/institutions/unsc/"
    link = share.locator("a.share-classroom").get_attribute("href")
    assert link.startswith("https://classroom.google.com/share?url=https%3A%2F%2Fexample.org")
    share.scroll_into_view_if_needed()
    shot(tab, "share-open-desktop-light")
    assert not tab.problems(), tab.problems()


def test_answers_open_without_javascript(make_tab):
    tab = make_tab(java_script_enabled=False)
    page = tab.page
    tab.open("institutions/unsc/")
    first = page.locator("details.answer").first
    assert not first.locator("p").is_visible()
    first.locator("summary").click()
    assert first.locator("p").is_visible() and "concurring votes" in first.inner_text()
    assert not tab.third_party


def test_print_carries_the_qr_code_address_and_answer_key(make_tab):
    tab = make_tab()
    page = tab.page
    tab.open("institutions/unsc/")
    assert not page.locator(".share-print").is_visible() and not page.locator(".answer-key").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".share-print svg").is_visible()
    assert "https://example.org/explainer/institutions/unsc/" in page.locator(".share-print").inner_text()
    assert page.locator(".answer-key li").count() == 3 and page.locator(".answer-key").is_visible()
    assert not page.locator("details.share").is_visible() and not page.locator(".kit").first.is_visible()


def test_embed_page_works_in_an_iframe_without_the_sites_chrome(make_tab, axe):
    tab = make_tab()
    page = tab.page
    tab.open("institutions/asean/")
    href = page.locator(".kit a", has_text="Embed page").first.get_attribute("href")
    for embed in ("kit/institutions-asean/fig-asean-map/", "kit/compare-asean-un-nato/asean-un-nato/"):
        tab.open(embed)
        assert not axe.check(page), embed
    tab.open("institutions/asean/")
    page.set_content(f'<iframe src="{tab.url("institutions/asean/" + href)}" width="700" height="700"></iframe>')
    frame = page.frame_locator("iframe")
    assert frame.locator("svg").first.is_visible()
    assert frame.locator(".md-header").count() == 0 and "CC BY 4.0" in frame.locator("p.credit").inner_text()
    assert not tab.third_party


def test_edition_banner_leads_to_the_live_page_and_back(make_tab):
    tab = make_tab()
    page = tab.page
    tab.open(f"editions/{DAY}/institutions/asean/")
    banner = page.locator(".edition-banner")
    assert banner.is_visible() and "7 December 2026" in banner.inner_text()
    shot(tab, "edition-banner-desktop-light")
    banner.locator("a").click()
    page.wait_for_load_state()
    assert page.url == tab.url("institutions/asean/")
    assert page.locator(".edition-banner").count() == 0
    assert not tab.problems(), tab.problems()


PAGES = ["institutions/unsc/", "compare/asean-un-nato/", "teaching/", "changes/", f"editions/{DAY}/crises/gaza/"]
# What these tests add to a page: axe audits these, opened; the rest of the page is audited in the audit matrix
# (browser/conftest.py AUDITS) or, for a kept edition, as the live page it copies.
TOOLS = ["details.share", "details.answer", "details.kit-cite", ".kit", ".answer-key", ".for-teachers",
         ".report-error", ".corrections", ".edition-banner", ".cite-edition", ".page-editions"]


@pytest.mark.parametrize("color_scheme, viewport", [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE),
                                                    ("dark", PHONE)], ids=["light-1280", "dark-1280", "light-360",
                                                                          "dark-360"])
def test_the_tools_pass_axe_and_fit_a_phone(make_tab, axe, color_scheme, viewport):
    tab = make_tab(viewport=viewport, color_scheme=color_scheme)
    page = tab.page
    failures = []
    for path in PAGES:
        tab.open(path)
        for sel in ("details.share", "details.answer", "details.kit-cite"):
            if page.locator(sel).count():
                page.locator(sel).first.evaluate("d => d.open = true")
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        if wide:
            failures.append(f"/{path}: wider than the {viewport['width']} px window")
        present = [[sel] for sel in TOOLS if page.locator(sel).count()]
        assert present, f"/{path}: none of the teacher's tools is on the page"
        violations = axe.check(page, context={"include": present})
        if violations:
            failures.append(f"/{path}:\n" + "\n".join(violations))
        if path == "institutions/unsc/":
            page.locator("details.share").scroll_into_view_if_needed()
            shot(tab, f"share-{color_scheme}-{viewport['width']}")
            page.locator("details.answer").first.scroll_into_view_if_needed()
            shot(tab, f"answers-{color_scheme}-{viewport['width']}")
        if path == "compare/asean-un-nato/":
            page.locator(".kit").first.scroll_into_view_if_needed()
            shot(tab, f"kit-{color_scheme}-{viewport['width']}")
        if path.startswith("editions/"):
            shot(tab, f"edition-{color_scheme}-{viewport['width']}")
    assert not tab.third_party, tab.third_party
    assert not failures, "\n".join(failures)
