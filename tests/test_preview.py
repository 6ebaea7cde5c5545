"""`mkdocs serve` rebuilds (hooks/preview.py): what a rebuild reuses, it would have made the same way.

Each test drives MkDocs the way `mkdocs serve` does (a fresh config per rebuild, one process, the `serve`
startup event) on a tiny project with the real macros, then compares the pages with a plain `mkdocs build`
of the same files, which uses no cache at all.
"""
from __future__ import annotations

import pytest

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ENV, MINI_PAGES, make_project, mkdocs

pytestmark = pytest.mark.build

DRIVER = textwrap.dedent("""
    import json, logging, shutil, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project, steps = Path(sys.argv[1]), json.loads(sys.stdin.read())
    warnings = []
    class Count(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                warnings[-1].append(record.getMessage())
    logging.getLogger("mkdocs").addHandler(Count())
    first = True
    report = []
    for n, step in enumerate(steps):
        for name, text in step.items():
            (project / name).write_text(text, encoding="utf-8")
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / f"serve-{n}"))
        if first:
            config.plugins.on_startup(command="serve", dirty=False)
            first = False
        warnings.append([])
        try:
            build(config)
            ok = True
        except Abort:
            ok = False
        hook = next(m for m in list(sys.modules.values()) if hasattr(m, "stats_last"))
        report.append({"ok": ok, "warnings": warnings[-1], "stats": dict(hook.stats_last)})
    print(json.dumps(report))
""")


def _project(tmp_path: Path, pages: dict[str, str] | None = None) -> Path:
    return make_project(tmp_path, extra_pages=pages)


def _serve(project: Path, steps: list[dict[str, str]]) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(project)], cwd=project, env=ENV, input=json.dumps(steps),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pages(site: Path) -> dict[str, str]:
    # sitemap.xml.gz holds the build time, and a preview leaves the print page's placeholder note (by design:
    # macros/printpage.py fills it only in a build); everything else must match byte for byte
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".csv", ".yml")
            and p.relative_to(site).as_posix() != "print_page/index.html"}


NOTES_PAGE = "# Notes\n\nThe {{ term('veto') }}, noted.\n"


def test_a_data_edit_rebuilds_what_changed_and_the_pages_equal_a_full_build(tmp_path):
    project = _project(tmp_path, {"notes.md": NOTES_PAGE})
    data = (project / "data" / "asean_un.yml").read_text(encoding="utf-8")
    edited = data.replace("The power of a permanent member to block a Council decision.",
                          "The power of a permanent member to block a Council decision (edited).")
    assert edited != data
    report = _serve(project, [{}, {}, {"data/asean_un.yml": edited}])
    assert all(r["ok"] for r in report), report
    first, unchanged, after_edit = (r["stats"] for r in report)
    pages = len(MINI_PAGES) + 1                     # and notes.md; the print page is one of them (its note)
    assert first["pages_reused"] == 0 and first["pages_rendered"] == pages
    assert unchanged["pages_reused"] == pages
    # every page themed again is reused, and so is each page's search entry
    assert unchanged["templates_reused"] == pages and unchanged["search_entries_reused"] == pages
    # the definition shows on the glossary page only: the home and notes pages link it, and their previews
    # come from the one previews file (issue 21), so only the glossary is converted and themed again
    assert after_edit["pages_rendered"] == 1 and after_edit["pages_reused"] == pages - 1, after_edit
    assert after_edit["templates_reused"] == pages - 1, after_edit

    plain = mkdocs("build", "--strict", "-d", project / "plain", cwd=project, env=ENV, timeout=120)
    assert plain.returncode == 0, plain.stdout
    served, built = _pages(project / "serve-2"), _pages(project / "plain")
    assert "(edited)" in served["glossary/index.html"] and "(edited)" not in served["notes/index.html"]
    assert "(edited)" in (project / "serve-2" / "assets" / "previews.js").read_text(encoding="utf-8")
    assert (project / "serve-2" / "assets" / "previews.js").read_bytes() == \
        (project / "plain" / "assets" / "previews.js").read_bytes()
    assert "noted." in served["notes/index.html"]
    assert served.keys() == built.keys()
    assert [name for name in built if served[name] != built[name]] == []


def test_a_page_with_a_warning_warns_on_every_rebuild_and_strict_still_stops_it(tmp_path):
    project = _project(tmp_path, {"broken.md": "# Broken\n\nSee [nowhere](missing.md).\n"})
    report = _serve(project, [{}, {}])
    for r in report:
        assert not r["ok"], "strict: true must stop a rebuild with a warning"
        assert any("missing.md" in w for w in r["warnings"]), r["warnings"]
    assert report[1]["stats"]["pages_rendered"] >= 1       # the broken page was converted again, not reused


def test_mkdocs_build_uses_no_cache(tmp_path):
    """A build (not serve) reuses nothing and patches nothing: every reuse counter stays at zero, and the
    engine's classes keep their own methods."""
    project = _project(tmp_path)
    probe = DRIVER.replace('command="serve"', 'command="build"') + textwrap.dedent("""
        from jinja2 import FileSystemLoader
        from material.plugins.search.plugin import SearchIndex, SearchPlugin
        hook = next(m for m in list(sys.modules.values()) if hasattr(m, "stats_last"))
        print(json.dumps([hasattr(FileSystemLoader.list_templates, "_preview"),
                          hasattr(SearchIndex.add_entry_from_context, "_preview")
                          or hasattr(SearchPlugin.on_page_context, "_preview"),
                          len(hook._pages), len(hook._output), len(hook._search), sum(hook.stats.values())]))
    """)
    proc = subprocess.run([sys.executable, "-c", probe, str(project)], cwd=project, env=ENV,
                          input=json.dumps([{}, {}]), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    *_, report, patched = proc.stdout.strip().splitlines()
    assert all(build["ok"] for build in json.loads(report)), report
    assert json.loads(patched) == [False, False, 0, 0, 0, 0]      # nothing patched, cached or counted


def test_the_preview_switches_itself_off_on_versions_it_was_not_written_for(tmp_path):
    """Serve with a WRITTEN_FOR that the installed packages do not match: nothing is patched or reused, and
    the log says why."""
    project = _project(tmp_path)
    hook = project / "hooks" / "preview.py"
    hook.write_text(hook.read_text(encoding="utf-8").replace('"jinja2": "3.1.6"', '"jinja2": "0.0.1"'),
                    encoding="utf-8")
    probe = DRIVER + textwrap.dedent("""
        from jinja2 import FileSystemLoader
        print(json.dumps(hasattr(FileSystemLoader.list_templates, "_preview")))
    """)
    proc = subprocess.run([sys.executable, "-c", probe, str(project)], cwd=project, env=ENV,
                          input=json.dumps([{}, {}]), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    *_, report, patched = proc.stdout.strip().splitlines()
    assert json.loads(patched) is False
    assert all(build["ok"] and not any(build["stats"].values()) for build in json.loads(report)), report


def test_a_renamed_page_rethemes_every_page_that_lists_it(tmp_path):
    """A new title changes the nav of every page: none may keep last build's nav."""
    project = _project(tmp_path)
    renamed = MINI_PAGES["institutions/un.md"].replace("# UN\n", "# The United Nations\n")
    report = _serve(project, [{}, {"docs/institutions/un.md": renamed}])
    assert all(r["ok"] for r in report), report
    assert report[1]["stats"]["templates_reused"] == 0, report[1]["stats"]
    plain = mkdocs("build", "--strict", "-d", project / "plain", cwd=project, env=ENV, timeout=120)
    assert plain.returncode == 0, plain.stdout
    served, built = _pages(project / "serve-1"), _pages(project / "plain")
    assert "The United Nations" in served["glossary/index.html"]            # in the nav of another page
    assert [name for name in built if served[name] != built[name]] == []
