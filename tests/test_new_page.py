"""`make new`: scaffolds an entity page and its nav entry, refuses clearly, and what it writes builds."""
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, valid_data

sys.path.insert(0, str(ROOT / "scripts"))
import new_page  # noqa: E402


class _Loader(yaml.SafeLoader):
    """mkdocs.yml uses !ENV and python tags; only the nav matters here."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@pytest.fixture
def project(tmp_path_factory):
    """A copy of the real mkdocs.yml and docs/ (apart from the `mini` fixture's own folder)."""
    root = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs")
    return root


def nav_section(config_text: str, title: str) -> list:
    nav = yaml.load(config_text, Loader=_Loader)["nav"]
    return next(item[title] for item in nav if isinstance(item, dict) and title in item)


def test_make_new_writes_the_page_and_appends_the_nav_entry(project):
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    out = new_page.scaffold(project, "institution", "example-forum", 'Example "Quoted" Forum')
    page = (project / "docs" / "institutions" / "example-forum.md").read_text(encoding="utf-8")
    assert page.startswith("---\nentity: example-forum\n---\n# Example \"Quoted\" Forum { #example-forum }\n")
    assert '{{ infobox("example-forum") }}' in page and page.rstrip().endswith("{{ sources() }}")
    after = (project / "mkdocs.yml").read_text(encoding="utf-8")
    section = nav_section(after, "Institutions")
    assert section[-1] == {'Example "Quoted" Forum': "institutions/example-forum.md"}
    assert section[:-1] == nav_section(before, "Institutions")
    # nothing else in mkdocs.yml changed: one line added
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert "make addresses" in out and "- id: example-forum" in out


def test_the_printed_record_and_the_page_build_once_the_summary_is_written(project, mini):
    out = new_page.scaffold(project, "crisis", "example-crisis", "Example crisis")
    record = out[out.index("- id: example-crisis"):out.index("  2. write")].rstrip()
    filled = (record.replace("summary:            #", "summary: A short summary.  #")
              .replace("facts: []  ", "facts: [{key: founded, value: '1945', source: charter}]  ")
              .replace("article: []  ", "article: [{para: 4, says: Lin mentions it.}]  ")
              .replace("related: []  ", "related: [un]  "))
    data = valid_data().replace("\ninstitutions:\n", "\ncrises:\n" + filled + "\ninstitutions:\n", 1)
    assert "example-crisis" in data, "the fixture has no 'institutions:' section to put the record before"
    page = (project / "docs" / "crises" / "example-crisis.md").read_text(encoding="utf-8")
    page = re.sub(r"<!--.*?-->", "The {{ term('veto') }} shaped it.", page)     # the editor's prose (step 2)
    result = mini(data=data, extra_pages={"crises/example-crisis.md": page})
    assert result.code == 0, result.output
    assert 'id="example-crisis"' in result.html("crises/example-crisis/index.html")


def test_the_printed_record_fails_the_build_until_its_summary_is_written(project, mini):
    out = new_page.scaffold(project, "crisis", "example-crisis", "Example crisis")
    record = out[out.index("- id: example-crisis"):out.index("  2. write")].rstrip()
    empty = mini(data=valid_data().replace("\ninstitutions:\n", "\ncrises:\n" + record + "\ninstitutions:\n", 1))
    assert empty.code != 0
    assert "[example-crisis]" in empty.output and "summary" in empty.output and "Traceback" not in empty.output


@pytest.mark.parametrize("kind, ident, name, message", [
    ("institution", "asean", "ASEAN", "docs/institutions/asean.md already exists"),
    ("institute", "foo", "Foo", "KIND must be one of institution, instrument, crisis, recommendation"),
    ("institution", "Foo_Bar", "Foo", "ID must be lower-case words joined by hyphens"),
    ("institution", "foo", " ", "NAME is empty"),
])
def test_make_new_refuses_in_one_line_and_writes_nothing(project, kind, ident, name, message):
    before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    with pytest.raises(new_page.Refused, match=message):
        new_page.scaffold(project, kind, ident, name)
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == before
    assert not (project / "docs" / "institutions" / "foo.md").exists()


@pytest.mark.build
def test_make_new_target_runs_the_script():
    proc = subprocess.run(["make", "-s", "new", "KIND=institution", "ID=asean", "NAME=ASEAN", f"PY={sys.executable}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "make new: docs/institutions/asean.md already exists; nothing was written" in proc.stderr
