"""Shared fixtures: the real site built once, and tiny throwaway MkDocs projects (one per behaviour)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import forkbuild

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

def mini_config() -> str:
    """The site's own mkdocs.yml for a mini project: the same theme, overrides, hooks, plugins, Markdown and
    validation settings, with another name and without the site's nav (MkDocs then lists the project's pages)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text[:text.index("\nnav:\n")] + "\n"
    return re.sub(r"^site_name: .*$", "site_name: Mini", text, count=1, flags=re.M)


# What a mini project copies from the site besides mkdocs.yml: the code, the theme overrides and the assets
# mkdocs.yml names (extra_css, extra_javascript).
PROJECT_PARTS = ("macros", "hooks", "overrides", "docs/assets")


def copy_site(dest: Path) -> Path:
    """A copy of the whole site project in dest (mkdocs.yml, data, pages, code, theme, kept editions): for tests that
    change one thing in the real site and build it. The editions come too: the data file's `editions:` records
    need their copies (the build refuses to lose an edition)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("docs", "data", "macros", "overrides", "hooks", "editions"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


MINI_PAGES = {
    "index.md": "# Home\n\nThe {{ term('veto') }} belongs to the {{ ref('unsc') }}.\n",
    "institutions/un.md": "---\nentity: un\n---\n# UN\n\n{{ infobox('un') }}\n\n{{ sources() }}\n",
    "institutions/unsc.md": "# UNSC\n\n{{ compare('un-unsc') }}\n\n{{ sources() }}\n",
    "glossary.md": "# Glossary\n\n{{ glossary() }}\n\n{{ sources() }}\n",
    # the site's own print page (the post-build step fills it with every page: macros/printpage.py)
    "print_page.md": (ROOT / "docs" / "print_page.md").read_text(encoding="utf-8"),
}


@dataclass
class Built:
    code: int
    output: str
    site: Path

    def html(self, page: str) -> str:
        assert self.code == 0, f"the build failed:\n{self.output}"
        return (self.site / page).read_text(encoding="utf-8")


def mkdocs(*argv, cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m mkdocs ARGV` in cwd: exit code, and the output (stdout and stderr as written) in .stdout. Run in a
    process forked from one that has MkDocs and the plugins imported already (tests/forkbuild.py)."""
    if os.environ.get(CHECK) == "check":        # as _in_process refuses a subprocess: the fork server is one too
        raise AssertionError(f"this test runs mkdocs {' '.join(map(str, argv))}: mark it build, site or serve "
                             "(tests/conftest.py)")
    return forkbuild.mkdocs(list(argv), cwd, ENV if env is None else env, timeout)


def build(project: Path, *args: str) -> Built:
    proc = mkdocs("build", "--strict", "-d", project / "site", *args, cwd=project)
    return Built(proc.returncode, proc.stdout, project / "site")


def line_of(text: str, line: str, after: str | None = None) -> int:
    """1-based number of the first line equal to `line` (after the first line equal to `after`, if given):
    tests name fixture lines by their text, never by a number that an edit of the fixture would move."""
    rows = text.splitlines()
    start = rows.index(after) + 1 if after is not None else 0
    return rows.index(line, start) + 1


def valid_data() -> str:
    return (FIXTURES / "valid.yml").read_text(encoding="utf-8")


def make_project(dest: Path, data: str | None = None, pages: dict[str, str] | None = None, extra_pages=None,
                 setup=None, maps: bool = False) -> Path:
    """The one project factory: a mini project in dest, derived from the site (mini_config, PROJECT_PARTS),
    with the fixture data (or `data`), MINI_PAGES (or `pages`) plus `extra_pages`, and the projected maps if
    `maps`. setup(dest) runs last (to plant what text cannot say: bytes, directories)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "mkdocs.yml").write_text(mini_config(), encoding="utf-8")
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, dest / part, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    (dest / "data").mkdir(exist_ok=True)
    (dest / "data" / "asean_un.yml").write_text(valid_data() if data is None else data, encoding="utf-8")
    if maps:
        (dest / "data" / "geo").mkdir(exist_ok=True)
        shutil.copy(ROOT / "data" / "geo" / "maps.json", dest / "data" / "geo" / "maps.json")
    for name, text in {**(MINI_PAGES if pages is None else pages), **(extra_pages or {})}.items():
        path = dest / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if setup:
        setup(dest)
    return dest


@pytest.fixture
def mini(tmp_path):
    """Make a tiny project (make_project) with the given data text and pages; build it."""
    def make(data: str | None = None, pages: dict[str, str] | None = None, extra_pages=None,
             setup=None, build_it: bool = True) -> Built | Path:
        """build_it=False only writes the project and returns its directory (for `mkdocs serve`)."""
        project = make_project(tmp_path, data, {**MINI_PAGES, **(pages or {})}, extra_pages, setup)
        return build(project) if build_it else project
    return make


def shared_build(tmp_path_factory, name: str, env: dict | None = None) -> Built:
    """The real site built once per test run with --strict (and env): the first xdist worker to ask builds it,
    under a lock in the run's shared temporary folder, and the others read the same build. Tests only read it."""
    import fcntl
    import json

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, record = shared / name, shared / f"{name}-build.json"
    with open(shared / f"{name}-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)              # released when the file closes
        if not record.is_file():
            proc = mkdocs("build", "--strict", "-d", out / "site", cwd=ROOT, env=env, timeout=600)
            record.write_text(json.dumps({"code": proc.returncode, "output": proc.stdout}), encoding="utf-8")
        built = json.loads(record.read_text(encoding="utf-8"))
    return Built(built["code"], built["output"], out / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Built:
    """The real site, built once per test run with --strict (shared_build)."""
    return shared_build(tmp_path_factory, "real")


def pytest_addoption(parser):
    parser.addoption("--engines", action="store_true",
                     help="also run the engine canary (ProperDocs and Zensical builds; `make test` passes this)")


# The tiers (Makefile): `make check` runs what is neither of these marks, in this process (< 60 s);
# `make test-fast` adds `site` (the one real build and the checks of its HTML); `make test` runs everything.
TIER_MARKS = {"build": "starts a process: MkDocs on a mini project, a script, or a build of a copy of the site",
              "site": "reads the real site, built once per test run (real_site)",
              "serve": "runs `mkdocs serve`"}
CHECK = "ASEAN_UN_TIER"          # =check: a test that starts a process (git aside) fails, naming the mark it lacks


def pytest_configure(config):
    for name, text in TIER_MARKS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def pytest_collection_modifyitems(config, items):
    """Marks that follow from fixtures (mini, published_site, edition_project: build; real_site: site; server: serve),
    then the canary, which
    builds the site twice more (minutes), runs with --engines (make test, CI) or -m canary."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, mark in (("mini", "build"), ("published_site", "build"), ("edition_project", "build"),
                              ("real_site", "site"), ("server", "serve")):
            if fixture in fixtures:
                item.add_marker(mark)
    if not (config.getoption("--engines") or "canary" in (config.getoption("-m") or "")):
        deselected = [item for item in items if item.get_closest_marker("canary")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("canary")]
    heaviest_modules_first(config, items)


# --- The order of the modules: heaviest first -------------------------------------------------------------
# Under xdist (--dist loadscope) a worker takes the next module whenever it runs short, in the order collected.
# Alphabetical order put a long module (the serve reload tests, a minute) among the last, where one worker could
# be left running it while the other had nothing to do. The longest first lets the short ones fill in at the
# end. A module's weight is its seconds in the last whole run here (pytest's cache, .pytest_cache/), else about a
# second per test that starts a process or a browser (a minute for the canary) and a hundredth for the rest. Only
# a whole run is kept: `make test`'s (--engines, no -m, -k or test ids). Within a module the order is kept (some
# modules plan their page loads by it).
MODULE_SECONDS = "asean-un/module-seconds"
PROCESS_MARKS = ("canary", "serve", "browser", "build")
_ran: dict[str, float] = {}          # module -> seconds, this run (in the controller, from every worker's reports)


def _module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def heaviest_modules_first(config, items) -> None:
    cache = getattr(config, "cache", None)          # None under -p no:cacheprovider
    weight = dict(cache.get(MODULE_SECONDS, {})) if cache is not None else {}
    guess: dict[str, float] = {}
    for item in items:
        heavy = any(item.get_closest_marker(mark) for mark in PROCESS_MARKS)
        cost = 60.0 if item.get_closest_marker("canary") else 1.0 if heavy else 0.01   # the canary: two builds
        module = _module_of(item.nodeid)
        guess[module] = guess.get(module, 0.0) + cost
    items.sort(key=lambda item: -weight.get(module := _module_of(item.nodeid), guess[module]))


def pytest_runtest_logreport(report):
    _ran[_module_of(report.nodeid)] = _ran.get(_module_of(report.nodeid), 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workerinput") or getattr(config, "cache", None) is None:
        return                          # a worker: the controller has every report
    whole = (config.getoption("--engines") and not config.getoption("-m") and not config.getoption("-k")
             and not any("::" in arg for arg in config.args))
    if whole and _ran and not session.shouldfail and not session.shouldstop:
        config.cache.set(MODULE_SECONDS, {**config.cache.get(MODULE_SECONDS, {}),
                                          **{module: round(seconds, 2) for module, seconds in _ran.items()}})


SITE_URL = "https://example.org/explainer/"
REPORT_URL = "https://tracker.example/new?title={title}&body={page}%23{section}"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Built:
    """The real site as deployed: built once (shared_build) with a fixed SITE_URL (absolute addresses, feeds, QR
    codes) and an issue tracker for "Report an error on this page"."""
    return shared_build(tmp_path_factory, "published", {**ENV, "SITE_URL": SITE_URL, "REPORT_ERROR_URL": REPORT_URL})


@pytest.fixture(autouse=True)
def _in_process(monkeypatch):
    """Under `make check`, only git may run in a subprocess (the page dates): anything else is a test that
    belongs to a slower tier and lacks its mark."""
    if os.environ.get(CHECK) != "check":
        return
    real = subprocess.Popen.__init__

    def refuse(self, args, *a, **k):
        first = args[0] if isinstance(args, (list, tuple)) else str(args).split()[0]
        if Path(str(first)).name != "git":
            raise AssertionError(f"this test starts {args!r}: mark it build, site or serve (tests/conftest.py)")
        return real(self, args, *a, **k)
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
