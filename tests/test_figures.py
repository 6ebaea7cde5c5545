"""Figures (macros/figures.py): valid SVG, accessible names, deterministic, escaped, same data as the table."""
from __future__ import annotations

import dataclasses

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros import figures, render
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import load_data, parse_yaml, validate
from macros.site import GEO_FILE, load_geo

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '<script>alert("x")</script> & \'q\''
TRACK = ("asean-un-partnership", "asean-un-summit-2024")       # as docs/timeline.md passes them
CALLS = [("asean_map", ("asean",)), ("locator_map", ("myanmar",)), ("locator_map", ("rohingya", "rohingya-exodus-2017")),
         ("locator_map", ("scs",)), ("memberships", ()), ("council_strip", ("asean",)), ("votes_chart", ()),
         ("votes_chart", ("gaza",)), ("timeline_lanes", TRACK)]


@pytest.fixture(scope="module")
def real():
    cat = build_catalog(load_data(ROOT / "data/asean_un.yml"), "data/asean_un.yml")
    return dataclasses.replace(cat, geo=load_geo(ROOT / GEO_FILE))


def ctx():
    return render.PageContext(url="institutions/asean/", src="docs/p.md")


def draw(cat, name, args):
    return getattr(figures, name)(cat, ctx(), *args)


def svg_of(html: str) -> ET.Element:
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    return ET.fromstring(svg)


@pytest.mark.parametrize("name,args", CALLS)
def test_figure_is_valid_accessible_svg(real, name, args):
    html = draw(real, name, args)
    assert html.startswith("<div class=\"fig-block") and "<figcaption>" in html and "</figure><details" in html
    root = svg_of(html)
    # a picture is an img; the swimlanes hold links, which an img would hide, so they keep svg's own role
    assert root.tag == "svg" and root.get("role") == (None if name == "timeline_lanes" else "img")
    assert re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+", root.get("viewBox"))   # maps start at their drawn rectangle
    assert root.get("width") is None and root.get("height") is None   # scales with its container
    title, desc = root.find("title"), root.find("desc")
    assert title is not None and title.text.strip() and desc is not None and len(desc.text) > 40
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


@pytest.mark.parametrize("name,args", CALLS)
def test_figure_is_deterministic_small_and_self_contained(real, name, args):
    a, b = draw(real, name, args), draw(real, name, args)
    assert a == b
    svg = a[a.index("<svg"): a.index("</svg>") + 6]
    assert len(gzip.compress(svg.encode())) <= 40_000
    # no outside address: every href/url() in the SVG is a fragment on the same page
    refs = re.findall(r'(?:href="([^"]*)"|url\(([^)]*)\))', svg)
    assert all((h or u).startswith("#") for h, u in refs), refs
    assert "http" not in svg and "//" not in svg.replace("</", "")
    ids = re.findall(r'\bid="([^"]+)"', a)
    assert len(ids) == len(set(ids)), "duplicate ids inside one figure"


def test_hostile_labels_are_escaped(real):
    states, votes = dict(real.states), dict(real.votes)          # the catalog is read-only: a changed copy
    states["brunei"] = states["brunei"].model_copy(update={"name": HOSTILE})
    votes["gaza-res-2728"] = votes["gaza-res-2728"].model_copy(update={"title": HOSTILE})
    cat = dataclasses.replace(real, states=states, votes=votes)
    for name, args in [("memberships", ()), ("council_strip", ("asean",)), ("votes_chart", ()), ("asean_map", ("asean",))]:
        html = draw(cat, name, args)
        assert "<script>" not in html
        root = svg_of(html)                          # still well-formed
        texts = "".join(root.itertext())
        assert "<script>" in texts or "<script>alert" in (root.find("desc").text or ""), name


def _table_rows(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"): html.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    strip = lambda c: re.sub(r"<sup.*?</sup>|<[^>]+>", "", c).strip()  # noqa: E731
    return [[strip(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]


def test_asean_map_table_and_labels_match_membership(real):
    html = draw(real, "asean_map", ("asean",))
    ms = next(m for m in real.data.memberships if m.body == "asean")
    rows = _table_rows(html)
    assert [r[0] for r in rows] == [real.states[m.state].name for m in ms.members]
    assert [r[1][:4] for r in rows] == [str(m.since)[:4] for m in ms.members]
    assert "since the article" in rows[[m.state for m in ms.members].index("timor-leste")][1]
    labels = "".join(svg_of(html).itertext())
    for m in ms.members:
        assert real.states[m.state].name in labels and str(m.since)[:4] in labels


def test_membership_grid_marks_each_membership_once(real):
    html = draw(real, "memberships", ())
    root = svg_of(html)
    marks = [e for e in root.iter() if (e.get("class") or "").startswith("fig-dot") and e.tag in ("circle", "rect")]
    assert len(marks) == sum(len(ms.members) for ms in real.data.memberships)
    rows = _table_rows(html)
    listed = {m.state for ms in real.data.memberships for m in ms.members}
    assert len(rows) == len(listed) < len(real.states)      # a state no body lists (Taiwan, on a map) is no row
    quad = {m.state for ms in real.data.memberships if ms.body == "quad" for m in ms.members}
    col = 1 + [ms.body for ms in real.data.memberships].index("quad")
    assert {r[0] for r in rows if r[col].startswith("member")} == {real.states[s].name for s in quad}


def test_council_strip_draws_every_seat_and_agrees_with_table(real):
    html = draw(real, "council_strip", ("asean",))
    root = svg_of(html)
    seats = [e for e in root.iter("rect") if (e.get("class") or "").startswith("fig-seat")]
    asean = {m.state for ms in real.data.memberships if ms.body == "asean" for m in ms.members}
    expected = [s for s in real.data.council_seats if s.state in asean]
    assert len(seats) == len(expected)
    assert sum(1 for e in seats if "uncertain" in e.get("class")) == sum(1 for s in expected if s.uncertain)
    text = html[html.index("<tbody>"):]
    for s in expected:
        assert (f"{s.start}–{s.end}" if s.end != s.start else str(s.start)) in text


def test_votes_chart_squares_and_table_match_counts(real):
    html = draw(real, "votes_chart", ())
    root = svg_of(html)
    votes = sorted(real.votes.values(), key=lambda v: v.date)
    cls = [e.get("class") for e in root.iter() if "fig-vote" in (e.get("class") or "")]
    assert cls.count("fig-vote fig-yes") == sum(v.in_favour for v in votes)
    assert cls.count("fig-vote fig-no") == sum(v.against for v in votes)
    assert cls.count("fig-vote fig-abstain") == sum(v.abstaining for v in votes)
    assert cls.count("fig-vote fig-absent") == sum(15 - v.in_favour - v.against - v.abstaining for v in votes)
    assert root.findall(".//{*}line[@class='fig-threshold']") or root.findall(".//line[@class='fig-threshold']")
    for v in votes:                                   # titles wrap, never cut
        assert "…" not in "".join(root.itertext()) and v.title.split()[-1] in "".join(root.itertext())
    rows = _table_rows(html)
    assert [(int(r[3]), int(r[4]), int(r[5])) for r in rows] == [(v.in_favour, v.against, v.abstaining) for v in votes]
    for v in votes:
        if v.outcome == "vetoed":
            assert any("vetoed by " + real.states[v.vetoed_by[0]].name in r[6] for r in rows)


def test_timeline_lanes_link_only_to_existing_events(real):
    html = draw(real, "timeline_lanes", TRACK)
    targets = re.findall(r'href="#ev-([^"]+)"', html)
    assert targets and set(targets) <= set(real.events)
    for crisis in (p.entity.id for p in real.entities.values() if p.section == "crises"):
        for ev in real.events_for(crisis):
            assert f'href="#ev-{ev.id}"' in html


def test_unknown_locator_fails_with_suggestion(real):
    with pytest.raises(SiteError, match="did you mean 'rohingya'"):
        figures.locator_map(real, ctx(), "rohingia")


def test_map_without_geo_data_fails_clearly(real):
    bare = build_catalog(real.data, "d.yml")
    with pytest.raises(SiteError, match="make maps"):
        figures.asean_map(bare, ctx(), "asean")


# --- the projected maps (data/geo/maps.json): current, checked, and drawn without compiled libraries -------

def test_committed_maps_are_what_make_maps_writes():
    """maps.json must be the projection of the committed boundaries for the windows, labels and places
    macros/figures.py draws today: a change there without `make maps` fails here (and in the build)."""
    import json
    from macros.geo import project_maps
    boundaries = json.loads((ROOT / "data/geo/southeast-asia.json").read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(project_maps(boundaries, figures.map_specs(boundaries["places"]))))
    stored = json.loads((ROOT / GEO_FILE).read_text(encoding="utf-8"))
    assert sorted(stored["maps"]) == sorted(fresh["maps"]) == sorted(["asean", *figures.LOCATORS])
    for name in fresh["maps"]:
        assert stored["maps"][name] == fresh["maps"][name], f"maps.json '{name}' is stale: run make maps"
    assert stored == fresh


def test_a_moved_window_or_label_says_run_make_maps(real, monkeypatch):
    monkeypatch.setitem(figures.LOCATORS, "myanmar", {**figures.LOCATORS["myanmar"],
                                                      "view": figures.View(87.0, 8.0, 104.5, 29.0, 420)})
    with pytest.raises(SiteError, match="another window.*make maps"):
        figures.locator_map(real, ctx(), "myanmar")
    monkeypatch.setitem(figures.LABEL_AT, "Singapore", (107.7, 2.0))
    with pytest.raises(SiteError, match=r"no projected point at longitude 107.7, latitude 2.0.*make maps"):
        figures.asean_map(real, ctx(), "asean")


def test_rohingya_map_draws_rakhine_state_as_a_region(real):
    """Rakhine State is drawn as its own outlined area (Natural Earth admin-1), named on the map and in the
    key, not just marked by its town."""
    html = figures.locator_map(real, ctx(), "rohingya")
    region = real.geo["maps"]["rohingya"].regions["MMR-3273"]
    assert region.name == "Rakhine State" and region.country == "Myanmar"
    assert f'<path class="fig-region" d="{region.shape}"/>' in html
    assert region.shape.count("L") > 50                   # an outline, not a box or a dot
    assert re.search(r'<text [^>]*class="fig-label fig-strong fig-region-name"[^>]*>Rakhine State</text>', html)
    assert 'fig-sw-region' in html and ">Rakhine State</span>" in html
    # the region lies inside Myanmar's drawn extent (same projection): its anchor is within Myanmar's box
    xs = [float(v) for v in re.findall(r"[ML](-?[\d.]+) ", real.geo["maps"]["rohingya"].shapes["Myanmar"])]
    assert min(xs) <= region.anchor[0] <= max(xs)


def test_a_region_missing_from_the_map_data_says_what_to_run(real, monkeypatch):
    spec = figures.LOCATORS["rohingya"]
    monkeypatch.setitem(figures.LOCATORS, "rohingya", {**spec, "regions": {**spec["regions"], "MMR-3280": (93.0, 21.0)}})
    with pytest.raises(SiteError, match=r"maps.json.*without the region\(s\) MMR-3280.*REGIONS in scripts/geo/make_geo.py"):
        figures.locator_map(real, ctx(), "rohingya")


def test_broken_map_data_is_a_located_error(tmp_path):
    bad = tmp_path / "maps.json"
    bad.write_text('{"maps": {"asean": {"width": 1}}, "places": [], "names": []}', encoding="utf-8")
    with pytest.raises(SiteError, match=r"data/geo/maps.json.*not the expected JSON.*make maps"):
        load_geo(bad)


@pytest.mark.build
def test_drawing_maps_imports_no_compiled_geometry_library():
    """The build draws maps from maps.json alone: numpy, shapely and pyproj stay unimported (they cost about
    half a second of every build, and Zensical's embedded Python crashes on numpy)."""
    import subprocess
    import sys
    code = ("import sys, dataclasses; from pathlib import Path\n"
            "from macros import figures, render\n"
            "from macros.catalog import build_catalog\n"
            "from macros.loader import load_data\n"
            "from macros.site import GEO_FILE, load_geo\n"
            "cat = build_catalog(load_data('data/asean_un.yml'), 'data/asean_un.yml')\n"
            "cat = dataclasses.replace(cat, geo=load_geo(Path(GEO_FILE)))\n"
            "ctx = render.PageContext(url='crises/south-china-sea/', src='docs/p.md')\n"
            "assert '<path' in figures.asean_map(cat, ctx, 'asean')\n"
            "for which in figures.LOCATORS: assert '<path' in figures.locator_map(cat, ctx, which)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'shapely', 'pyproj')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- the data behind the figures: model and cross-reference checks -------------------------------

def _with(tail: str):
    text = (ROOT / "data/asean_un.yml").read_text(encoding="utf-8") + tail
    return build_catalog(validate(parse_yaml(text, "d.yml"), "d.yml"), "d.yml")


def _data_with(section: str, old: str, new: str):
    text = (ROOT / "data/asean_un.yml").read_text(encoding="utf-8")
    head, _, rest = text.partition(f"\n{section}:\n")
    assert old in rest
    return build_catalog(validate(parse_yaml(head + f"\n{section}:\n" + rest.replace(old, new, 1), "d.yml"),
                                  "d.yml"), "d.yml")


def test_council_terms_are_made_from_the_seat_records():
    """One record per term: the comparison's facts come from council_seats, so a moved seat moves them."""
    cat = _data_with("council_seats", "- state: singapore\n  start: 2001\n  end: 2002",
                     "- state: singapore\n  start: 2011\n  end: 2013")
    assert [f.value for f in cat.facts["singapore"] if f.key == "unsc-terms"] == ["2011–2013"]
    assert [f.value for f in cat.facts["brunei"] if f.key == "unsc-terms"] == ["None"]     # council_none


def test_a_hand_written_council_term_is_refused():
    with pytest.raises(SiteError, match=r"d\.yml:\d+: fact 'unsc-terms' of 'singapore' is written by hand.*"
                                        r"council_seats"):
        _data_with("actors", "  - key: vote\n    value: Elected in 2000\n",
                   "  - key: unsc-terms\n    value: 2001-2002\n    source: sg-mfa-unsc\n"
                   "  - key: vote\n    value: Elected in 2000\n")


def test_a_hand_written_membership_list_is_refused():
    with pytest.raises(SiteError, match=r"fact 'participants' of 'quad' is written by hand.*memberships"):
        _data_with("institutions", "  - key: level\n    value: Leaders' summits",
                   "  - key: participants\n    value: '4'\n    source: dfat-quad\n    as_of: 2024-09-21\n"
                   "  - key: level\n    value: Leaders' summits")


def test_two_records_of_one_seat_are_refused():
    with pytest.raises(SiteError, match="two Council seats of 'singapore' start in 2001"):
        _data_with("council_seats", "- state: singapore\n  start: 2001\n  end: 2002\n",
                   "- state: singapore\n  start: 2001\n  end: 2002\n  source: sg-mfa-unsc\n"
                   "- state: singapore\n  start: 2001\n  end: 2002\n")


def test_veto_by_a_non_permanent_member_fails():
    with pytest.raises(SiteError, match="not a permanent member"):
        _data_with("votes", "vetoed_by: [russia]", "vetoed_by: [indonesia]")


def test_impossible_vote_counts_fail_with_line():
    with pytest.raises(SiteError, match=r"d\.yml:\d+: .*more than the Council's 15"):
        _data_with("votes", "in_favour: 11", "in_favour: 14")


def test_unknown_state_in_membership_fails_with_suggestion():
    with pytest.raises(SiteError, match="did you mean 'viet-nam'"):
        _data_with("memberships", "- state: viet-nam\n    since: 1995",
                   "- state: vietnam\n    since: 1995")


# --- glossary see-also (issue 11) -----------------------------------------------------------------

def test_see_also_never_names_entry_or_repeats_a_label(real):
    for t in real.terms.values():
        pairs = render.see_also_labels(real, t)
        labels = [label.casefold() for _, label in pairs]
        assert t.id not in [i for i, _ in pairs]
        assert len(labels) == len(set(labels)), t.id
        assert t.term.casefold() not in labels and t.inline.casefold() not in labels, t.id
    assert [label for _, label in render.see_also_labels(real, real.terms["acr-a4p-plus"])] == \
        ["Action for Peacekeeping", "A4P"]


def test_open_data_exports_the_figure_data(real):
    from macros.export import to_csv_tables
    import csv
    import io
    tables = to_csv_tables(real)
    votes = list(csv.DictReader(io.StringIO(tables["votes.csv"])))
    assert [(v["id"], int(v["in_favour"]), int(v["against"]), int(v["abstaining"])) for v in votes] == \
        [(v.id, v.in_favour, v.against, v.abstaining) for v in real.data.votes]
    seats = list(csv.DictReader(io.StringIO(tables["council_seats.csv"])))
    assert len(seats) == len(real.data.council_seats)
    members = list(csv.DictReader(io.StringIO(tables["memberships.csv"])))
    assert len(members) == sum(len(ms.members) for ms in real.data.memberships)
    assert all(m["source"] for m in members)       # every membership row carries its source


def test_the_timeline_names_and_rings_each_lanes_key_event_and_refuses_an_unknown_one():
    def data_with(old, new):
        text = (ROOT / "data/asean_un.yml").read_text(encoding="utf-8")
        assert text.count(old) == 1
        return build_catalog(validate(parse_yaml(text.replace(old, new), "d.yml"), "d.yml"), "d.yml")
    cat = data_with("    myanmar-coup-2021: coup\n", "    myanmar-coup-2021: the coup\n")
    svg = figures.timeline_lanes(cat, ctx(), "asean-un-partnership", "asean-un-summit-2024")
    assert '<tspan class="fig-key-name"> · the coup, 2021</tspan>' in svg
    assert svg.count('class="fig-key-ring"') == svg.count('class="fig-key-name"') >= 5
    bad = data_with("    myanmar-coup-2021: coup\n", "    myanmar-coupe-2021: coup\n")
    with pytest.raises(SiteError, match=r"d\.yml:\d+: \[timeline-lanes\] unknown event id 'myanmar-coupe-2021'.*"
                                        r"myanmar-coup-2021"):
        figures.timeline_lanes(bad, ctx(), "asean-un-partnership", "asean-un-summit-2024")
