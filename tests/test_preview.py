"""`mkdocs serve` rebuilds (hooks/preview.py): what a rebuild reuses, it would have made the same way.

Each test drives MkDocs the way `mkdocs serve` does (a fresh config per rebuild, one process, the `serve`
startup event) on a tiny project with the real macros, then compares the pages with a plain `mkdocs build`
of the same files, which uses no cache at all.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ENV, MINI_CONFIG, MINI_PAGES, MKDOCS, ROOT, valid_data

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
    (tmp_path / "mkdocs.yml").write_text(
        MINI_CONFIG.replace("hooks: [hooks/command.py]",   # the site's own hooks, in mkdocs.yml's order
                            f"hooks: [{ROOT / 'hooks' / 'command.py'}, {ROOT / 'hooks' / 'preview.py'}]"),
        encoding="utf-8")
    shutil.copytree(ROOT / "macros", tmp_path / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "asean_un.yml").write_text(valid_data(), encoding="utf-8")
    for name, text in {**MINI_PAGES, **(pages or {})}.items():
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _serve(project: Path, steps: list[dict[str, str]]) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(project)], cwd=project, env=ENV, input=json.dumps(steps),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pages(site: Path) -> dict[str, str]:
    # sitemap.xml.gz holds the build time; everything else must match byte for byte
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".csv", ".yml") }


JINJA_PAGE = "# Notes\n\n{# an editor's note #}The {{ term('veto') }}, noted.\n"


def test_a_data_edit_rebuilds_what_changed_and_the_pages_equal_a_full_build(tmp_path):
    # Four pages of text and literal macro calls (rendered without Jinja: macros/engine.py) and one that
    # Jinja has to compile, whose compiled code is kept while serving.
    project = _project(tmp_path, {"notes.md": JINJA_PAGE})
    data = (project / "data" / "asean_un.yml").read_text(encoding="utf-8")
    edited = data.replace("The power of a permanent member to block a Council decision.",
                          "The power of a permanent member to block a Council decision (edited).")
    assert edited != data
    report = _serve(project, [{}, {}, {"data/asean_un.yml": edited}])
    assert all(r["ok"] for r in report), report
    first, unchanged, after_edit = (r["stats"] for r in report)
    assert first["pages_reused"] == 0 and first["pages_rendered"] == 5
    assert unchanged["pages_reused"] == 5 and unchanged["macro_templates_reused"] == 1
    assert unchanged["templates_reused"] == 5 and unchanged["search_entries_reused"] == 5
    # the definition shows on the glossary and in the tooltips of the home page and the notes page:
    # those three are converted again
    assert after_edit["pages_rendered"] == 3 and after_edit["pages_reused"] == 2, after_edit
    assert after_edit["templates_reused"] == 2, after_edit                # the other three are themed again

    plain = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(project / "plain")], cwd=project, env=ENV,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    served, built = _pages(project / "serve-2"), _pages(project / "plain")
    assert "(edited)" in served["glossary/index.html"] and "(edited)" in served["notes/index.html"]
    assert "noted." in served["notes/index.html"] and "editor" not in served["notes/index.html"]
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
    project = _project(tmp_path)
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-v", "-d", str(project / "site")], cwd=project,
                          env=ENV, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not re.search(r"preview: \d+ pages reused", proc.stdout + proc.stderr)


def test_a_renamed_page_rethemes_every_page_that_lists_it(tmp_path):
    """A new title changes the nav of every page: none may keep last build's nav."""
    project = _project(tmp_path)
    renamed = MINI_PAGES["institutions/un.md"].replace("# UN\n", "# The United Nations\n")
    report = _serve(project, [{}, {"docs/institutions/un.md": renamed}])
    assert all(r["ok"] for r in report), report
    assert report[1]["stats"]["templates_reused"] == 0, report[1]["stats"]
    plain = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(project / "plain")], cwd=project, env=ENV,
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0, plain.stderr
    served, built = _pages(project / "serve-1"), _pages(project / "plain")
    assert "The United Nations" in served["glossary/index.html"]            # in the nav of another page
    assert [name for name in built if served[name] != built[name]] == []
