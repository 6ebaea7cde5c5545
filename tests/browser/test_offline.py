"""`make offline`: the zipped site works from file://, search included, with no request leaving the disk."""
import re
import subprocess
import zipfile

import pytest
from playwright.sync_api import expect
from conftest import ENV, ROOT


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory):
    proc = subprocess.run(["make", "offline"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(ROOT / "site-offline.zip") as zf:
        zf.extractall(out)
    return out


@pytest.mark.browser
def test_offline_zip_search_works_from_the_file_system(offline_copy, chromium):
    requests = []
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:", "blob:", "about:")) else route.abort())
        page.goto((offline_copy / "institutions" / "asean.html").as_uri())
        assert "ASEAN" in page.title()
        page.locator(".md-search__input").click()
        page.keyboard.type("veto", delay=40)
        first = page.locator(".md-search-result__item a").first
        first.wait_for(timeout=15000)
        target = first.evaluate("(a) => a.href")               # where the first result leads
        assert target.startswith("file://") and "/institutions/asean.html" not in target, target
        first.click()
        expect(page).to_have_url(target)                     # only the click can take us there
        fragment = target.partition("#")[2]
        if fragment:
            expect(page.locator(f"[id='{fragment}']")).to_contain_text(re.compile("veto", re.I))
        else:                                                # a page-level result: the page mentions it
            expect(page.locator("article").first).to_contain_text(re.compile("veto", re.I))
        # a cross-reference from the file system lands on the glossary entry
        page.goto((offline_copy / "institutions" / "unsc.html").as_uri())
        href = page.locator(".xref-term > a").first.get_attribute("href")
        assert ".html#" in href
    finally:
        context.close()
    leaving = [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
    assert leaving == [], leaving
