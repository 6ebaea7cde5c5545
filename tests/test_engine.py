"""The engine seam (macros/engine.py) driven the way Zensical's macros extension drives it: define_env once per
page, with env.page set, and no other hook. (The real Zensical build is in test_canary.py; the real MkDocs
builds are everywhere else.)"""
import textwrap
from pathlib import Path

import pytest

import macros
from conftest import ROOT, make_project
from macros import engine


class ZensicalPage:
    """The fields of zensical.extensions.context.Page that the seam reads."""
    def __init__(self, path, url, meta=None):
        self.path, self.url, self.meta = path, url, meta or {}


def zensical_env(project: Path, page):
    """An env shaped like zensical.extensions.macros.MacroEnv (registered macros, variables, conf, page)."""
    env_type = type("MacroEnv", (), {"__module__": "zensical.extensions.macros"})
    env = env_type()
    env.conf = {"docs_dir": "docs", "site_dir": "site", "site_name": "Mini", "site_url": None,
                "use_directory_urls": True}
    env.project_dir, env.page = str(project), page
    env.variables, env.macros, env.filters = {"extra": {}, "page": page}, {}, {}
    env.macro = lambda fn, name=None: env.macros.__setitem__(name or fn.__name__, fn)
    return env


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def test_one_call_per_page_builds_the_catalog_once_and_binds_each_page(project):
    engine._catalog.cache_clear()
    first = zensical_env(project, ZensicalPage("institutions/un.md", "institutions/un/", {"entity": "un"}))
    macros.define_env(first)
    second = zensical_env(project, ZensicalPage("index.md", ""))
    macros.define_env(second)
    assert engine._catalog.cache_info().misses == 1 and engine._catalog.cache_info().hits == 1

    # Zensical rewrites raw-HTML links as source-relative: from institutions/un.md, '../glossary/'
    # (which it turns into '../../glossary/' for institutions/un/); from index.md, 'glossary/'.
    assert 'href="../glossary/#veto"' in first.macros["term"]("veto")
    assert 'href="glossary/#veto"' in second.macros["term"]("veto")
    # each page has its own citation numbering
    assert "[1]" in first.macros["cite"]("charter") and "[1]" in second.macros["cite"]("charter")
    assert "[2]" in second.macros["cite"]("lin-2024")

    # what on_pre_page_macros does under mkdocs-macros happens in define_env here
    assert first.page.meta["description"] == "The world organisation of states."
    assert [c["style"] for c in first.page.meta["page_citation"]] == ["APA", "MLA", "Chicago"]
    # nothing is added to the template namespace (pages only call macros)
    assert set(first.variables) == {"extra", "page"}
    # the whole-site steps are not define_env's: Zensical runs scripts/postbuild.py after its build
    assert not (project / "site").exists()


def test_a_changed_data_file_is_a_new_catalog(project):
    engine._catalog.cache_clear()
    macros.define_env(zensical_env(project, ZensicalPage("index.md", "")))
    data = project / "data" / "asean_un.yml"
    data.write_text(data.read_text(encoding="utf-8").replace('value: "193"', 'value: "194"'), encoding="utf-8")
    env = zensical_env(project, ZensicalPage("index.md", ""))
    macros.define_env(env)
    assert engine._catalog.cache_info().misses == 2
    assert "194" in env.macros["infobox"]("un")


def test_a_broken_input_stops_the_build_with_the_located_message(project):
    page = project / "docs" / "index.md"
    page.write_text("# Home\n\n{{ term('vetoo') }}\n", encoding="utf-8")
    with pytest.raises(engine.BuildError) as caught:
        macros.define_env(zensical_env(project, ZensicalPage("index.md", "")))
    assert str(caught.value) == "docs/index.md:3: unknown glossary id 'vetoo' in term(); did you mean 'veto'?"


def test_mkdocs_pages_are_read_from_file_src_path():
    page = type("Page", (), {"file": type("File", (), {"src_path": "crises\\gaza.md"})(), "meta": {}})()
    assert engine.page_info(page).src == "crises/gaza.md"


def test_the_package_imports_no_engine_at_module_level():
    """Zensical's venv has no mkdocs: only engine.py may import it, and only inside try/except ImportError."""
    for path in (ROOT / "macros").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith(("import mkdocs", "from mkdocs", "from properdocs", "import zensical", "from zensical")):
                raise AssertionError(f"{path.name}: engine import at module level: {line}")
