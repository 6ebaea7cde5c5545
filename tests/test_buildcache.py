"""macros/buildcache.py: a build whose inputs have not changed reuses the checked catalog; any change to an input
(the data, a page, the date, the code) loads and checks it again, and a failed load keeps nothing."""
from __future__ import annotations

import dataclasses
import shutil

import pytest

from conftest import ROOT, make_project, valid_data
from macros import buildcache, engine, site
from macros.errors import SiteError

NAMES = list(engine.PAGE_MACROS)


def entries(project):
    return sorted((project / buildcache.FOLDER).glob("catalog-*.pickle"))


def contents(cat) -> tuple:
    """What a catalog holds (a Catalog itself compares by identity)."""
    return tuple(getattr(cat, f.name) for f in dataclasses.fields(cat))


def load(project):
    return site.load_site(project, project / "docs", NAMES)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")        # 2027-01-01: the same key all day
    return make_project(tmp_path / "p")


def refuse_full_loads(monkeypatch):
    """From now on a full load fails loudly: a load that succeeds came from the cache."""
    def no(*args, **kwargs):
        raise AssertionError("the catalog was loaded and checked again")
    monkeypatch.setattr(site, "load_data", no)


def test_the_same_inputs_reuse_the_kept_catalog(project, monkeypatch):
    first = load(project)
    assert len(entries(project)) == 1
    refuse_full_loads(monkeypatch)
    again = load(project)
    assert contents(again) == contents(first) and again is not first
    assert again.data.glossary == first.data.glossary


def test_an_edited_record_is_read_again(project):
    load(project)
    data = project / "data" / "asean_un.yml"
    text = data.read_text(encoding="utf-8")
    old = load(project).data.glossary[0].definition
    assert old in text
    data.write_text(text.replace(old, "A changed definition, read again.", 1), encoding="utf-8")
    cat = load(project)
    assert cat.data.glossary[0].definition == "A changed definition, read again."
    assert len(entries(project)) == 2


@pytest.mark.parametrize("change", ["page", "date", "code", "url style"])
def test_any_other_input_makes_a_new_key(project, monkeypatch, tmp_path, change):
    load(project)
    refuse_full_loads(monkeypatch)
    if change == "page":
        page = project / "docs" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    elif change == "date":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798848000")    # a day later: dates are checked against it
    elif change == "code":
        code = tmp_path / "macros"
        shutil.copytree(ROOT / "macros", code, ignore=shutil.ignore_patterns("__pycache__"))
        (code / "render.py").write_text((code / "render.py").read_text(encoding="utf-8") + "\n# edited\n",
                                        encoding="utf-8")
        monkeypatch.setattr(buildcache, "HERE", code)
    with pytest.raises(AssertionError, match="loaded and checked again"):
        if change == "url style":
            site.load_site(project, project / "docs", NAMES, directory_urls=False)
        else:
            load(project)


def test_a_failed_load_keeps_nothing(project):
    (project / "data" / "asean_un.yml").write_text(valid_data() + "\nterms: [\n", encoding="utf-8")
    with pytest.raises(SiteError):
        load(project)
    assert entries(project) == []


def test_a_damaged_entry_is_ignored(project):
    first = load(project)
    (entry,) = entries(project)
    entry.write_bytes(entry.read_bytes()[:100])
    assert contents(load(project)) == contents(first)


def test_a_project_that_cannot_be_written_still_builds(project, monkeypatch):
    (project / ".cache").write_text("a file where the folder would go", encoding="utf-8")
    assert load(project).data.glossary
    assert entries(project) == []


def test_only_the_newest_entries_are_kept(project):
    page = project / "docs" / "index.md"
    for i in range(buildcache.KEEP + 2):
        page.write_text(page.read_text(encoding="utf-8") + f"\nSentence {i}.\n", encoding="utf-8")
        load(project)
    assert len(entries(project)) == buildcache.KEEP
