"""Browser fixtures: the built site on a local server, Debian's Chromium driven by Playwright, and tabs
that block and record every request that is not to the local server.

One browser per session. Each test gets a page of its own, in a browser context kept for the session per set of
context options (size, scheme, touch, permissions …): a page in a kept context cost 0.6 s of CPU to open and
load, a fresh context 1.4 s (its renderer, network and storage set up, every script compiled again). A closed tab
leaves nothing behind: its recorded events are its own, and it clears the site's local and session storage and
the context's cookies as it closes. The read-only checks of test_pages.py share a few reused tabs and reset what
they recorded before each page.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SERVER_LIFETIME = 30 * 60          # seconds: the server shuts itself down even if teardown never runs
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
TABLET = {"width": 768, "height": 1024}


# --- Which pages exist: known at collection time, from docs/ (the build only happens in a fixture) ----
def page_url(md: Path) -> str:
    """Site-relative URL of a Markdown source under docs/, as MkDocs builds it with use_directory_urls."""
    rel = md.relative_to(DOCS).with_suffix("")
    parts = list(rel.parts)
    if parts[-1].lower() in ("index", "readme"):
        parts = parts[:-1]
    return "".join(p + "/" for p in parts)


def _built_from_plugins() -> list[str]:
    """Pages that plugins generate without a Markdown source (only those enabled in mkdocs.yml)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return ["print_page/"] if "hooks/print_page.py" in config else []


def documented_pages() -> list[str]:
    pages = {page_url(md) for md in DOCS.rglob("*.md")
             if not any(part.startswith((".", "_")) for part in md.relative_to(DOCS).parts)}
    return sorted(pages | set(_built_from_plugins())) + ["404.html"]


PAGES = documented_pages()
# The pages that draw a figure (a map, chart or diagram): test_figures.py, test_figure_text.py, and the dark audit.
FIGURE_PAGES = ["", "institutions/asean/", "institutions/unsc/", "crises/myanmar-2021/", "crises/rohingya/",
                "crises/south-china-sea/", "crises/ukraine-veto/", "compare/unsc-terms/", "compare/arf-admm-quad/",
                "timeline/"]

# The one audit matrix. test_pages.py audits every page light at 1280 px. test_behaviour.py audits what that
# leaves out: each kind of page dark, the dark chrome at both sizes (the sidebars show only on a wide screen,
# the drawer and the header's buttons only on a narrow one), the light chrome on a phone, and, dark, the figures
# of one page of each kind of figure (the figures' palette changes with the scheme; test_figures.py checks every
# kind is here; the rest of those pages is text and chrome in the styles the whole-page audits cover). An entry
# is (scheme, viewport, pages, scope): scope None audits the whole page, else only the elements it selects. A
# test of a feature's own state (an open preview, opened teacher tools) audits only that feature, on a page the
# matrix audits whole: audited_whole() says so.
KINDS = ["", "institutions/asean/", "crises/myanmar-2021/", "compare/asean-un-nato/", "glossary/"]
DARK_FIGURES = ["crises/rohingya/", "institutions/unsc/", "compare/unsc-terms/", "timeline/"]
FIGURE_SCOPE = [".fig-block"]              # a figure, its caption and its data table (macros/figures.py)
AUDITS = {"dark-desktop": ("dark", DESKTOP, KINDS, None),
          "dark-phone": ("dark", PHONE, ["", "institutions/asean/", "teaching/", "changes/"], None),
          "dark-phone-figures": ("dark", PHONE, DARK_FIGURES, FIGURE_SCOPE),
          "light-phone": ("light", PHONE, ["", "institutions/asean/"], None)}


def audited_whole(color_scheme: str, width: int, path: str) -> bool:
    """Whether the whole page `path` is audited with axe in this scheme and width (by test_pages.py or AUDITS)."""
    if color_scheme == "light" and width == DESKTOP["width"]:
        return path in PAGES
    return any(scheme == color_scheme and viewport["width"] == width and path in pages and scope is None
               for scheme, viewport, pages, scope in AUDITS.values())


def pytest_generate_tests(metafunc):
    """`site_page`: one test per page (module scope, so a module can load each page only once)."""
    if "site_page" in metafunc.fixturenames:
        metafunc.parametrize("site_page", PAGES, ids=["/" + p for p in PAGES], scope="module")


def is_redirect_stub(html: str) -> bool:
    return 'http-equiv="refresh"' in html


def built_pages(site: Path) -> list[str]:
    """Every page of the built site that a reader can land on (redirect stubs excluded)."""
    out = []
    for index in site.rglob("index.html"):
        if is_redirect_stub(index.read_text(encoding="utf-8")):
            continue
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith(("kit/", "editions/")):
            continue    # embed pages and kept editions: tests/browser/test_teacher_tools.py audits them
        out.append("" if rel == "." else rel + "/")
    if (site / "404.html").exists():
        out.append("404.html")
    return sorted(out)


# --- The local server --------------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    timeout = 30                    # an idle keep-alive socket cannot hold a worker thread for ever

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that drops a connection mid-response (navigating away) is not a server error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, lifetime: float = SERVER_LIFETIME):
    """Serve `directory` on 127.0.0.1 at a free port; yield the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True,
                              name="site-server")
    thread.start()
    watchdog = threading.Timer(lifetime, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def built_site(real_site) -> Path:
    if real_site.code != 0:
        pytest.fail("the real site did not build, so it cannot be tested in a browser:\n" + real_site.output[-4000:])
    return real_site.site


@pytest.fixture(scope="session")
def page_lists(built_site) -> tuple[list[str], list[str]]:
    """(pages the tests visit, pages the build produced)."""
    return PAGES, built_pages(built_site)


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    with serve(built_site) as url:
        yield url


# --- The browser -------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium), "
                    "set CHROMIUM=/path/to/chromium, or run the other tests with `pytest -m 'not browser'`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass(repr=False)
class Tab:
    """A page in its own browser context, with everything worth complaining about recorded."""
    context: object
    page: object
    base: str
    third_party: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Tab {self.page.url if self.page else '(no page)'}>"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def open(self, path: str = ""):
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path or '/'}: HTTP {response and response.status}"
        return response

    def problems(self) -> list[str]:
        return ([f"third-party request (blocked): {u}" for u in self.third_party]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"local request failed: {m}" for m in self.bad_responses])

    def reset(self, viewport=DESKTOP):
        """Forget what was recorded, before the tab is reused for another page."""
        for events in (self.third_party, self.console_errors, self.page_errors, self.bad_responses):
            events.clear()
        self.page.set_viewport_size(viewport)

    def close(self):
        """Close the page, leaving the kept context as the next tab should find it: no storage, no cookies."""
        page, self.page = self.page, None
        try:
            if not page.url.startswith(self.base):
                page.goto(self.url("sitemap.xml"), wait_until="commit")      # a page of the site's origin
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        except Exception:               # noqa: BLE001 - JavaScript off, or the page is gone: nothing was stored
            pass
        finally:
            self.context.clear_cookies()
            _TABS.pop(page, None)
            page.close()


_TABS: dict = {}                        # page -> its Tab (what the kept contexts' events are recorded on)


def _tabs_of(context, request) -> list:
    """The open tab(s) a request belongs to: its page's, or, when it has none (a worker's), every open tab of the
    context, so that nothing goes unrecorded."""
    try:
        page = request.frame.page
        if page in _TABS:
            return [_TABS[page]]
    except Exception:                   # noqa: BLE001 - a request with no frame (a worker's)
        pass
    return [tab for tab in _TABS.values() if tab.context is context]


def _describe(error) -> str:
    """A page error with the script position it came from (the first frame of its stack)."""
    frames = [line.strip() for line in (error.stack or "").splitlines() if line.strip().startswith("at ")]
    return error.message + (f" ({frames[0]})" if frames else "")


def _is_local(url: str, base: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True                 # never leaves the browser
    return parts.hostname == "127.0.0.1" and parts.port == urlsplit(base).port


@pytest.fixture(scope="session")
def open_tab(chromium, site_url):
    """Factory: open_tab(**context_options) -> Tab, a new page in the kept context for those options. The caller
    closes it (or use the `tab` fixture)."""
    contexts: dict[str, object] = {}

    def context_for(options: dict, own: bool):
        key = repr(sorted(options.items())) + (f" own {len(contexts)}" if own else "")
        if key in contexts:
            return contexts[key]
        context = chromium.new_context(service_workers="block", **options)
        context.set_default_timeout(20_000)

        def third_party(request):
            for tab in _tabs_of(context, request):
                if request.url not in tab.third_party:
                    tab.third_party.append(request.url)

        def block(r):
            third_party(r.request)
            r.abort("blockedbyclient")

        # Only what is not the local site is routed, matched in the browser (a pattern, not a Python test):
        # the site's own requests never wait on this process.
        context.route(re.compile("^(?!" + re.escape(site_url) + ")"), block)
        # A second net under the first: anything the router did not see is still recorded.
        context.on("request", lambda req: None if _is_local(req.url, site_url) else third_party(req))

        def on_response(resp):
            if resp.status >= 400 and _is_local(resp.url, site_url):
                for tab in _tabs_of(context, resp.request):
                    tab.bad_responses.append(f"HTTP {resp.status} {resp.url}")

        context.on("response", on_response)
        contexts[key] = context
        return context

    def make(own_context: bool = False, **options) -> Tab:
        """own_context: a context for this tab alone (kept to the end all the same), for tabs used side by side
        that each need the keyboard focus of their own window (test_pages.py's pool)."""
        options.setdefault("viewport", DESKTOP)
        options.setdefault("color_scheme", "light")
        options.setdefault("reduced_motion", "reduce")
        context = context_for(options, own_context)
        page = context.new_page()
        tab = Tab(context=context, page=page, base=site_url)
        _TABS[page] = tab
        page.on("console", lambda m: tab.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: tab.page_errors.append(_describe(e)))
        page.on("websocket", lambda ws: None if _is_local(ws.url, site_url) else tab.third_party.append(ws.url))
        return tab

    yield make
    for context in contexts.values():
        context.close()


@pytest.fixture
def tab(open_tab):
    """A desktop-sized, light-scheme tab; closed after the test."""
    t = open_tab()
    yield t
    t.close()


# --- Accessibility -------------------------------------------------------------------------------------
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The site skips drawing blocks far from the screen (content-visibility: auto, docs/assets/site.css) until a
# reader scrolls near them. axe reads colours from what is drawn: on a skipped block it reports "incomplete"
# (not a violation) and checks nothing, which left most glossary entries and every figure below the fold
# unaudited. So while axe runs, a style (id RENDER_ALL_ID) draws every block, as a reader who scrolled through
# would see it; it is removed as soon as axe is done.
RENDER_ALL = "* { content-visibility: visible !important; }"
RENDER_ALL_ID = "__audit_render_all"


@pytest.fixture(scope="session")
def axe():
    """axe.check(page) -> violation descriptions (empty when the page passes); axe.start(page) then
    axe.report(page) to audit several pages at once."""
    class Axe:
        check = staticmethod(axe_violations)
        start = staticmethod(start_axe)
        report = staticmethod(axe_report)
    return Axe


def axe_violations(page, tags=WCAG_TAGS, context=None) -> list[str]:
    """Run axe-core on the page now and describe each violation."""
    start_axe(page, tags, context)
    return axe_report(page)


def start_axe(page, tags=WCAG_TAGS, context=None) -> None:
    """Inject axe-core (bundled with axe-playwright-python: no network) and start it without waiting, so
    several pages can be audited at once (each browser context has its own renderer process)."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    # axe.run does most of its work synchronously: deferred by a task, it runs after evaluate() returns.
    page.evaluate("([context, options, css, id]) => { const all = document.createElement('style');"
                  " all.id = id; all.textContent = css; document.head.append(all);"
                  " window.__axe_run = new Promise((go) => setTimeout(go, 0))"
                  ".then(() => axe.run(context || document, options)).finally(() => all.remove()); }",
                  [context, {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]},
                   RENDER_ALL, RENDER_ALL_ID])



def axe_report(page) -> list[str]:
    """Wait for the run start_axe() began and describe each violation (empty when the page passes)."""
    violations = page.evaluate("() => window.__axe_run.then((r) => r.violations)")
    out = []
    for v in violations:
        nodes = v["nodes"]
        out.append(f"{v['id']} ({v['impact']}, {len(nodes)} element{'s' * (len(nodes) != 1)}): {v['help']}")
        for node in nodes[:5]:
            summary = " ".join(node.get("failureSummary", "").split())[:300]
            out.append(f"    {' '.join(map(str, node['target']))}  {' '.join(node['html'].split())[:160]}"
                       f"\n        {summary}")
        if len(nodes) > 5:
            out.append(f"    … and {len(nodes) - 5} more")
    return out


# --- Wide tables -----------------------------------------------------------------------------------------
WRAPS = """() => [...document.querySelectorAll('.table-wrap')].map((w, index) => ({
  id: w.id || (w.closest('[id]') || {id: 'table-' + index}).id, index, shown: w.checkVisibility(), client: w.clientWidth, scroll: w.scrollWidth, overflowX: getComputedStyle(w).overflowX,
  focusable: w.tabIndex === 0, role: w.getAttribute('role'),
  named: !!(w.getAttribute('aria-label') || (w.getAttribute('aria-labelledby') &&
           document.getElementById(w.getAttribute('aria-labelledby')))),
  page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }))"""


def table_wrap_problems(page, path: str) -> tuple[list[str], int]:
    """At the page's present size: a table wider than the column scrolls inside its .table-wrap (by mouse,
    touch or arrow keys, as a named, focusable region) and the page itself never scrolls sideways. Returns
    (problems, how many tables were wider than their container and scrolled by the arrow keys)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    problems, wide = [], 0
    for w in page.evaluate(WRAPS):
        where = f"/{path}#{w['id']}"
        if w["page"] > w["screen"]:
            problems.append(f"/{path}: the page scrolls sideways ({w['page']}px > {w['screen']}px)")
        if not (w["focusable"] and w["role"] == "region" and w["named"]):
            problems.append(f"{where}: the scrolling region is not a named, focusable region")
        if w["scroll"] <= w["client"] or not w["shown"]:     # e.g. a figure's table in a closed box
            continue
        if w["overflowX"] not in ("auto", "scroll"):
            problems.append(f"{where}: wider than its container but overflow-x is {w['overflowX']}")
            continue
        region = page.locator(".table-wrap").nth(w["index"])
        region.focus()
        page.keyboard.press("ArrowRight")
        try:                                   # smooth scrolling takes a moment: wait for it, not a sleep
            page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=2000)
            wide += 1
        except PlaywrightTimeout:
            problems.append(f"{where}: the arrow keys do not scroll the table")
        region.evaluate("(el) => { el.scrollLeft = 0; el.blur(); }")
    return problems, wide
