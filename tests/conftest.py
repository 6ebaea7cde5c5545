"""Shared fixtures: the real site built once, and tiny throwaway MkDocs projects (one per behaviour)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

MINI_CONFIG = """\
site_name: Mini
strict: true
theme:
  name: material
  font: false
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
markdown_extensions: [attr_list, toc, pymdownx.superfences]
hooks: [hooks/command.py]
watch: [data, macros]
plugins:
  - search
  - macros:
      module_name: macros
      on_error_fail: true
      on_undefined: strict
"""

MINI_PAGES = {
    "index.md": "# Home\n\nThe {{ term('veto') }} belongs to the {{ ref('unsc') }}.\n",
    "institutions/un.md": "---\nentity: un\n---\n# UN\n\n{{ infobox('un') }}\n\n{{ sources() }}\n",
    "institutions/unsc.md": "# UNSC\n\n{{ compare('un-unsc') }}\n\n{{ sources() }}\n",
    "glossary.md": "# Glossary\n\n{{ glossary() }}\n\n{{ sources() }}\n",
}


@dataclass
class Built:
    code: int
    output: str
    site: Path

    def html(self, page: str) -> str:
        assert self.code == 0, f"the build failed:\n{self.output}"
        return (self.site / page).read_text(encoding="utf-8")


def build(project: Path, *args: str) -> Built:
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(project / "site"), *args], cwd=project,
                          env=ENV, capture_output=True, text=True, timeout=120)
    return Built(proc.returncode, proc.stdout + proc.stderr, project / "site")


def valid_data() -> str:
    return (FIXTURES / "valid.yml").read_text(encoding="utf-8")


@pytest.fixture
def mini(tmp_path):
    """Make a tiny project with our macros package, the given data text and pages; build it."""
    def make(data: str | None = None, pages: dict[str, str] | None = None, extra_pages=None,
             setup=None, build_it: bool = True) -> Built | Path:
        """setup(project_dir) runs before the build (to plant what text cannot say: bytes, directories);
        build_it=False only writes the project and returns its directory (for `mkdocs serve`)."""
        (tmp_path / "mkdocs.yml").write_text(MINI_CONFIG, encoding="utf-8")
        shutil.copytree(ROOT / "macros", tmp_path / "macros", ignore=shutil.ignore_patterns("__pycache__"))
        (tmp_path / "hooks").mkdir()
        shutil.copy(ROOT / "hooks" / "command.py", tmp_path / "hooks" / "command.py")
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "asean_un.yml").write_text(valid_data() if data is None else data, encoding="utf-8")
        for name, text in {**MINI_PAGES, **(pages or {}), **(extra_pages or {})}.items():
            path = tmp_path / "docs" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        if setup:
            setup(tmp_path)
        return build(tmp_path) if build_it else tmp_path
    return make


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Built:
    """The real site, built once per test session with --strict."""
    out = tmp_path_factory.mktemp("real")
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(out / "site")], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=600)
    return Built(proc.returncode, proc.stdout + proc.stderr, out / "site")


def pytest_addoption(parser):
    parser.addoption("--engines", action="store_true",
                     help="also run the engine canary (ProperDocs and Zensical builds; `make test` passes this)")


def pytest_collection_modifyitems(config, items):
    """The canary builds the site twice more (minutes): it runs with --engines (make test, CI) or -m canary."""
    if config.getoption("--engines") or "canary" in (config.getoption("-m") or ""):
        return
    deselected = [item for item in items if item.get_closest_marker("canary")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("canary")]


SITE_URL = "https://example.org/explainer/"
REPORT_URL = "https://tracker.example/new?title={title}&body={page}%23{section}"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Built:
    """The real site as deployed: built once with a fixed SITE_URL (absolute addresses, feeds, QR codes) and an
    issue tracker for "Report an error on this page"."""
    out = tmp_path_factory.mktemp("published")
    env = {**ENV, "SITE_URL": SITE_URL, "REPORT_ERROR_URL": REPORT_URL}
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(out / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    return Built(proc.returncode, proc.stdout + proc.stderr, out / "site")
