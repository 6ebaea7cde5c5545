"""Citations, last-changed dates from git, open-data exports and the JSON Schema."""
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess

import yaml

from conftest import ROOT
from macros import export
from macros.citation import cite_article, cite_page
from macros.loader import load_data
from macros.site import DATA_FILE, git_dates


def test_citation_in_three_styles():
    got = cite_page("ASEAN", "ASEAN, the UN and Security Multilateralism",
                    "https://example.org/institutions/asean/", dt.date(2026, 9, 3))
    assert got["APA"] == ("ASEAN, the UN and Security Multilateralism. (2026, September 3). <i>ASEAN</i>. "
                          "https://example.org/institutions/asean/")
    assert got["MLA"] == ("“ASEAN.” <i>ASEAN, the UN and Security Multilateralism</i>, 3 Sept. 2026, "
                          "https://example.org/institutions/asean/.")
    assert got["Chicago"] == ("ASEAN, the UN and Security Multilateralism. “ASEAN.” Last modified September 3, "
                              "2026. https://example.org/institutions/asean/.")
    assert "&lt;b&gt;" in cite_page("<b>", "s", "u", dt.date(2026, 1, 1))["APA"]
    art = cite_article("A <title>", "https://example.org/a", "2024", "Joanne Lin", "Lin", "Fulcrum",
                       "ISEAS – Yusof Ishak Institute", "ISEAS Commentary 2024/297")
    assert art["APA"] == ("Lin, J. (2024). <i>A &lt;title&gt;</i> (ISEAS Commentary 2024/297). Fulcrum, "
                          "ISEAS – Yusof Ishak Institute. https://example.org/a")
    assert art["MLA"] == ("Lin, Joanne. “A &lt;title&gt;.” <i>Fulcrum</i>, ISEAS – Yusof Ishak Institute, 2024, "
                          "https://example.org/a.")
    assert art["Chicago"].startswith("Lin, Joanne. “A &lt;title&gt;.” <i>Fulcrum</i>, ISEAS")


def test_built_page_carries_citation_and_last_updated(real_site):
    html = real_site.html("institutions/asean/index.html")
    box = re.search(r'<details class="cite-page">.*?</details>', html, re.S).group(0)   # (not an edition's)
    assert "<summary>Cite this page</summary>" in box and box.count('class="cite-text"') == 3   # APA, MLA, Chicago
    assert 'Last updated <time datetime="' in html


def _git(cwd, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = date
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_git_dates_and_shallow_clone_fallback(tmp_path):
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "docs" / "a.md").write_text("a")
    (repo / "docs" / "b.md").write_text("b")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one", date="2025-01-02T10:00:00+00:00")
    (repo / "docs" / "b.md").write_text("b2")
    _git(repo, "commit", "-qam", "two", date="2026-03-04T10:00:00+00:00")
    assert git_dates(repo) == {"a.md": dt.date(2025, 1, 2), "b.md": dt.date(2026, 3, 4)}
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    assert git_dates(tmp_path / "shallow") == {}                   # falls back to the build date
    assert git_dates(tmp_path) == {}                               # not a repository at all


def test_json_round_trips_against_the_data_file():
    data = load_data(ROOT / DATA_FILE)
    again = type(data).model_validate(json.loads(export.to_json(data)))
    assert again.model_dump() == data.model_dump()


def _catalog():
    from macros.catalog import build_catalog
    return build_catalog(load_data(ROOT / DATA_FILE), DATA_FILE)


def test_csvs_round_trip_against_the_data_file():
    cat = _catalog()
    data = cat.data
    tables = {name: list(csv.DictReader(io.StringIO(text))) for name, text in export.to_csv_tables(cat).items()}
    assert [r["id"] for r in tables["sources.csv"]] == [s.id for s in data.sources]
    assert [(r["id"], r["definition"], r["see_also"]) for r in tables["glossary.csv"]] == \
        [(t.id, t.definition, "; ".join(t.see_also)) for t in data.glossary]
    raw = yaml.safe_load((ROOT / DATA_FILE).read_text(encoding="utf-8"))
    facts = [(e["id"], f["key"], str(f["value"]), f.get("vote")) for s in ("institutions", "instruments", "crises",
             "recommendations", "actors") for e in raw.get(s, []) for f in e.get("facts", [])]
    hand = [(r["entity"], r["key"], r["value"]) for r in tables["facts.csv"] if not r["derived_from"]]
    assert len(hand) == len(facts)
    for (entity, key, value), (r_entity, r_key, r_value, vote) in zip(hand, facts):
        assert (entity, key) == (r_entity, r_key)
        if vote:        # the fact's lead-in, then the date and tally made from the vote record
            v = next(x for x in data.votes if x.id == vote)
            assert value.startswith(r_value + " (") and f"{v.in_favour} in favour, {v.against} against" in value
        else:
            assert value == r_value
    made = [r for r in tables["facts.csv"] if r["derived_from"]]      # from memberships and council seats
    assert {r["derived_from"] for r in made} == {"memberships", "council_seats"}
    assert len([r for r in made if r["derived_from"] == "council_seats"]) == \
        len(raw["council_seats"]) + len(raw["council_none"])
    assert len(tables["events.csv"]) == len(raw["events"])


def test_open_data_files_are_published(real_site):
    for name in ["asean_un.yml", "asean_un.json", "asean_un.schema.json", *export.to_csv_tables(_catalog())]:
        assert (real_site.site / "data" / name).stat().st_size > 0, name


def test_committed_schema_is_current_and_validates_the_data():
    committed = (ROOT / "docs" / "data" / "asean_un.schema.json").read_text(encoding="utf-8")
    assert committed == export.json_schema(), "run `make schema`"
    import jsonschema                                               # the editor's view of the file
    raw = json.loads(export.to_json(load_data(ROOT / DATA_FILE)))
    jsonschema.validate(raw, json.loads(committed))
    assert "schema=../docs/data/asean_un.schema.json" in (ROOT / DATA_FILE).read_text(encoding="utf-8")[:200]
