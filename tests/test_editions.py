"""Editions: `make edition` cuts a dated, permanent copy; the next build publishes it at /editions/<day>/ with a
banner to the live page; live pages list their editions and offer "Cite this edition"; the address contract covers
the edition's addresses; an edition that loses its copy (or a copy its record) stops the build."""
import datetime as dt
import posixpath
import re
import shutil
import subprocess
import sys

import pytest

from addresses import check, collect
from conftest import ENV, ROOT, SITE_URL, mkdocs
from macros import editions
from macros.citation import cite_edition

UNIT_DAY = "2026-12-07"     # for the unit tests of citations and records
# The edition these tests cut in a copy of the project: the day after the newest edition kept in the repository,
# so the tests keep working, and test a site with earlier editions, once an editor has run `make edition`.
_KEPT = sorted(p.name for p in (ROOT / "editions").glob("*-*-*") if p.is_dir()) if (ROOT / "editions").is_dir() else []
_DAY = (dt.date.fromisoformat(_KEPT[-1]) + dt.timedelta(days=1)) if _KEPT else dt.date(2026, 12, 7)
DAY = _DAY.isoformat()
DAY_TEXT = f"{_DAY.day} {_DAY:%B %Y}"
NEXT_DAY = (_DAY + dt.timedelta(days=1)).isoformat()
GIT = ["git", "-c", "user.email=editor@example.org", "-c", "user.name=Editor"]


def test_edition_citation_names_the_edition_and_its_address():
    got = cite_edition("ASEAN", "Site", SITE_URL + "editions/2026-12-07/institutions/asean/", dt.date(2026, 12, 7))
    assert got["APA"] == ("Site. (2026, December 7). <i>ASEAN</i> (edition of 7 December 2026). "
                          + SITE_URL + "editions/2026-12-07/institutions/asean/")
    assert got["MLA"].startswith("“ASEAN.” <i>Site</i>, edition of 7 December 2026, 7 Dec. 2026, ")
    assert got["Chicago"].startswith("Site. “ASEAN.” Edition of December 7, 2026. ")


def test_a_preview_links_the_kept_copy_and_never_writes_through_a_link(tmp_path):
    """Under `mkdocs serve` the kept editions are hard-linked into the server's folder (macros/publish.py);
    whatever is already at the target is replaced, never written into, since it may be a link to a kept file."""
    from macros.publish import _link_or_copy

    kept, other, target = tmp_path / "kept.html", tmp_path / "other.html", tmp_path / "site.html"
    kept.write_text("kept copy", encoding="utf-8")
    other.write_text("another kept file", encoding="utf-8")
    target.hardlink_to(other)                     # left over from an earlier rebuild
    _link_or_copy(str(kept), str(target))
    assert target.stat().st_ino == kept.stat().st_ino and target.read_text(encoding="utf-8") == "kept copy"
    assert other.read_text(encoding="utf-8") == "another kept file"


def test_add_record_keeps_the_section_in_place():
    from importlib import util
    spec = util.spec_from_file_location("edition_script", ROOT / "scripts" / "edition.py")
    script = util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = "sources: []\neditions:   # x\n- id: 2026-01-01\n  commit: " + "a" * 40 + "\nvotes: []\n"
    out = script.add_record(text, UNIT_DAY, "b" * 40)
    assert out.index("- id: 2026-12-07") < out.index("votes:") and out.count("editions:") == 1
    assert script.add_record("sources: []\n", UNIT_DAY, "b" * 40).endswith("editions:   # dated, permanent copies of the "
                                                                     "site (make edition); never remove one\n- id: "
                                                                     "2026-12-07\n  commit: " + "b" * 40 + "\n")


@pytest.fixture(scope="module")
def edition_project(tmp_path_factory):
    """A copy of the project (its files as they are now) in a git repository of its own, with one edition cut."""
    root = tmp_path_factory.mktemp("edition") / "project"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=root, check=True)
    env = {**ENV, "SITE_URL": SITE_URL, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.org"}
    cut = subprocess.run([sys.executable, "scripts/edition.py", DAY], cwd=root, env=env, capture_output=True,
                         text=True, timeout=600)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    live = mkdocs("build", "--strict", "-d", root / "site", cwd=root, env=env, timeout=600)
    assert live.returncode == 0, live.stdout + live.stderr
    return root


def test_make_edition_commits_the_copy_and_its_record(edition_project):
    log = subprocess.run(["git", "log", "--format=%s", "-1"], cwd=edition_project, capture_output=True, text=True).stdout
    assert log.startswith(f"Edition of {DAY}")
    data = (edition_project / "data" / "asean_un.yml").read_text(encoding="utf-8")
    assert re.search(rf"^editions:.*\n(?:- id: .*\n  commit: .*\n)*- id: {DAY}\n  commit: [0-9a-f]{{40}}\n", data, re.M)
    assert not subprocess.run(["git", "status", "--porcelain"], cwd=edition_project, capture_output=True, text=True).stdout


def test_edition_pages_carry_the_banner_to_the_live_page_and_cite_themselves(edition_project):
    site = edition_project / "site"
    base = site / "editions" / DAY
    pages = sorted(base.rglob("index.html"))
    assert len(pages) > 40
    for path in pages:
        if {"search", "kit", "print_page"} & set(path.relative_to(base).parts):
            continue                      # search: no page; kit: chrome-free embeds; the print page: one of all
        text = path.read_text(encoding="utf-8")
        m = re.search(r'<p class="edition-banner">.*?<a href="([^"]+)">Read the live page</a>', text, re.S)
        assert m, path
        here = "/" + path.parent.relative_to(site).as_posix() + "/"
        target = posixpath.normpath(posixpath.join(here, m.group(1)))
        live = site / target.lstrip("/") / "index.html"
        assert live.is_file() and "editions" not in target, (path, target)
        if True:
            assert "<summary>Cite this edition</summary>" in text and "<summary>Cite this page</summary>" not in text
            assert f"{SITE_URL}editions/{DAY}/" in text
    assert not (base / "editions").exists()                      # an edition holds no editions


def test_live_pages_link_to_their_editions_and_offer_the_edition_citation(edition_project):
    site = edition_project / "site"
    text = (site / "institutions" / "asean" / "index.html").read_text(encoding="utf-8")
    links = re.search(r'<p class="page-editions">.*?</p>', text, re.S).group(0)
    targets = [posixpath.normpath(posixpath.join("/institutions/asean/", h)) for h in re.findall(r'href="([^"]+)"', links)]
    assert targets[0] == f"/editions/{DAY}/institutions/asean"                       # newest first
    assert targets == [f"/editions/{d}/institutions/asean" for d in [DAY, *reversed(_KEPT)]]
    assert (site / "editions" / DAY / "institutions" / "asean" / "index.html").is_file()
    assert "Cite this page" in text and f"Cite this edition (the fixed edition of {DAY_TEXT})" in text
    apa = re.search(r'id="cite-edition-apa"[^>]*>(.*?)</p>', text).group(1)
    assert apa.endswith(f"{SITE_URL}editions/{DAY}/institutions/asean/") and f"(edition of {DAY_TEXT})" in apa


def test_the_address_contract_covers_the_edition(edition_project):
    addresses = collect(edition_project / "site")
    mine = [a for a in addresses if a.startswith(f"editions/{DAY}/")]
    assert f"editions/{DAY}/" in mine and f"editions/{DAY}/glossary/#veto" in mine and len(mine) > 500
    assert check(edition_project / "site", addresses) == []


@pytest.mark.build   # starts make or git commands that build: not in `make check`
def test_an_edition_is_never_silently_lost(edition_project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(edition_project, copy, ignore=shutil.ignore_patterns("site", ".git"))
    shutil.rmtree(copy / "editions" / DAY)
    proc = mkdocs("build", "--strict", "-d", copy / "site", cwd=copy, env=ENV, timeout=600)
    assert proc.returncode != 0
    assert re.search(rf"data/asean_un\.yml:\d+: \[{DAY}\] edition '{DAY}' has no built copy at editions/{DAY}/; "
                     r"restore it from commit [0-9a-f]{12}", proc.stdout + proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.build   # starts make or git commands that build: not in `make check`
def test_cutting_needs_a_committed_tree_and_a_new_day(edition_project):
    (edition_project / "docs" / "index.md").write_text("# changed\n", encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "scripts/edition.py", NEXT_DAY], cwd=edition_project, env=ENV,
                              capture_output=True, text=True)
        assert proc.returncode == 1 and "commit your changes first" in proc.stderr
    finally:
        subprocess.run(["git", "checkout", "--", "docs/index.md"], cwd=edition_project, check=True)
    proc = subprocess.run([sys.executable, "scripts/edition.py", DAY], cwd=edition_project, env=ENV, capture_output=True,
                          text=True)
    assert proc.returncode == 1 and "never replaced" in proc.stderr
    assert editions.edition_of(dt.date(2026, 12, 7)) == UNIT_DAY and editions.edition_of("") is None
