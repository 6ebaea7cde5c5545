"""Map geometry for the figures, in two halves.

Projecting (`project_maps`, run by `make maps` / `make geo`, never by the build): Natural Earth boundaries
(public domain, prepared by scripts/geo/make_geo.py) are clipped to each map's window, projected with PROJ
through pyproj (an Albers equal-area conic fitted to the window's latitudes, so areas compare fairly), fitted
to the map's pixel width and simplified with GEOS through shapely. Every point a figure places on a map (label
positions, named places) is projected at the same time. The result is data/geo/maps.json: SVG path strings
and pixel positions.

Reading (`read_maps`, what the build does): that JSON back into `Projected` maps. No compiled library is
involved, so every engine draws the maps (Zensical's embedded Python crashes on importing numpy) and the
build does not pay for importing numpy, shapely and pyproj. A map whose window, tolerance or points differ
from what macros/figures.py asks for is stale: the build says so and names `make maps`.
Nothing here draws styles or text: figures.py does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .errors import SiteError

MAPS_FILE = "data/geo/maps.json"
REMAKE = "run make maps (after changing a map's window, labels or places in macros/figures.py)"

# shapely and pyproj (numpy underneath) are imported inside the projecting functions only.


@dataclass(frozen=True)
class View:
    """A map window in longitude/latitude and the pixel width to draw it at."""
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float
    width: int = 640

    def as_list(self) -> list[float]:
        return [self.lon_min, self.lat_min, self.lon_max, self.lat_max, self.width]


@dataclass(frozen=True)
class MapSpec:
    """What a figure needs projected: the window, the simplification tolerance (px) and the points it places."""
    view: View
    tolerance: float
    points: tuple[tuple[float, float], ...] = ()
    regions: tuple[str, ...] = ()           # Natural Earth admin-1 units drawn inside the countries (adm1_code)


@dataclass(frozen=True)
class Region:
    """An admin-1 unit as a map draws it: its name as Natural Earth gives it, its outline and a point inside."""
    name: str
    country: str
    shape: str                              # SVG path data
    anchor: tuple[float, float]


def point_key(lon: float, lat: float) -> str:
    return f"{lon:.4f},{lat:.4f}"


@dataclass(frozen=True)
class Projected:
    name: str
    width: int
    height: int
    shapes: dict[str, str]                  # country name -> SVG path data
    anchors: dict[str, tuple[float, float]]  # country name -> a point inside its visible part (for labels)
    points: dict[str, tuple[float, float]] = field(default_factory=dict)   # point_key(lon, lat) -> pixels
    view: tuple[float, ...] = ()            # the window and width it was projected for (View.as_list)
    tolerance: float = 0.0                  # and the simplification tolerance
    inner: tuple[float, ...] = ()           # (left, top, right, bottom): the largest upright rectangle inside the
                                            # projected window, whose edges are slanted or curved: what is drawn
    regions: dict[str, "Region"] = field(default_factory=dict)   # adm1_code -> an admin-1 unit drawn on the map

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        found = self.points.get(point_key(lon, lat))
        if found is None:
            raise SiteError(f"map '{self.name}' has no projected point at longitude {lon}, latitude {lat}",
                            file=MAPS_FILE, hint=REMAKE)
        return found


# --- reading (the build) --------------------------------------------------------------------------

def read_maps(raw: Any) -> dict[str, Any]:
    """The parsed maps.json as {"maps": {name: Projected}, "places": [...], "names": {every country name}};
    ValueError/KeyError/TypeError on a malformed file."""
    maps = {name: Projected(name, int(m["width"]), int(m["height"]),
                            {str(k): str(v) for k, v in m["shapes"].items()},
                            {str(k): (float(v[0]), float(v[1])) for k, v in m["anchors"].items()},
                            {str(k): (float(v[0]), float(v[1])) for k, v in m["points"].items()},
                            tuple(float(v) for v in m["view"]), float(m["tolerance"]),
                            tuple(float(v) for v in m.get("inner", ())),
                            {str(k): Region(str(r["name"]), str(r["country"]), str(r["shape"]),
                                            (float(r["anchor"][0]), float(r["anchor"][1])))
                             for k, r in m.get("regions", {}).items()})
            for name, m in raw["maps"].items()}
    places = [{"name": str(p["name"]), "lat": float(p["lat"]), "lon": float(p["lon"]),
               "admin1": str(p.get("admin1") or "")} for p in raw["places"]]
    return {"maps": maps, "places": places, "names": frozenset(str(n) for n in raw["names"])}


def stored_map(geo: dict, name: str, spec: MapSpec) -> Projected:
    """The stored projection of map `name`, checked against what the figure asks for now."""
    proj = geo["maps"].get(name)
    if proj is None:
        raise SiteError(f"map '{name}' is not in the map data", file=MAPS_FILE, hint=REMAKE)
    if tuple(float(v) for v in spec.view.as_list()) != proj.view or float(spec.tolerance) != proj.tolerance:
        raise SiteError(f"map '{name}' was projected for another window or tolerance than macros/figures.py "
                        f"now draws ({list(proj.view)}, {proj.tolerance})", file=MAPS_FILE, hint=REMAKE)
    missing = [r for r in spec.regions if r not in proj.regions]
    if missing:
        raise SiteError(f"map '{name}' was projected without the region(s) {', '.join(missing)} that "
                        "macros/figures.py now draws", file=MAPS_FILE,
                        hint="run make maps; if the unit is not in data/geo/southeast-asia.json yet, add its "
                             "Natural Earth adm1_code to REGIONS in scripts/geo/make_geo.py and run make geo")
    return proj


# --- projecting (make maps; needs shapely and pyproj) ---------------------------------------------

def _transformer(view: View):
    from pyproj import Transformer
    lat_span = view.lat_max - view.lat_min
    lat1, lat2 = view.lat_min + lat_span / 6, view.lat_max - lat_span / 6
    lon0 = (view.lon_min + view.lon_max) / 2
    lat0 = (view.lat_min + view.lat_max) / 2
    crs = f"+proj=aea +lat_1={lat1:.2f} +lat_2={lat2:.2f} +lat_0={lat0:.2f} +lon_0={lon0:.2f} +datum=WGS84 +units=m"
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def path_data(geom) -> str:
    """SVG path data for a (multi)polygon in pixel coordinates, one decimal, closed rings."""
    from shapely.geometry import Polygon
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = [(round(x, 1), round(y, 1)) for x, y in ring.coords[:-1]]
            if len(pts) < 3:
                continue
            parts.append("M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in pts) + "Z")
    return "".join(parts)


def _num(v: float) -> str:
    s = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def project(name: str, countries: Iterable[dict], spec: MapSpec, regions: Iterable[dict] = ()) -> dict[str, Any]:
    """One map as JSON-ready data: each country (GeoJSON geometry) clipped to the window, projected, fitted to
    the width and simplified; an anchor inside each; every point of spec.points in pixels; and the admin-1
    units spec.regions names, the same way."""
    import shapely
    from shapely.geometry import box, shape
    view = spec.view
    fwd = _transformer(view)
    window = box(view.lon_min, view.lat_min, view.lon_max, view.lat_max).segmentize(0.5)
    frame = shapely.transform(window, lambda xy: _apply(fwd, xy))
    x0, y0, x1, y1 = frame.bounds
    scale = view.width / (x1 - x0)
    height = int(round((y1 - y0) * scale))

    def to_px(geom):
        g = shapely.transform(geom, lambda xy: _apply(fwd, xy))
        return shapely.transform(g, lambda xy: _to_pixels(xy, x0, y1, scale))

    def drawn(geometry):
        """(path data, anchor) of a boundary in this window, or None when none of it shows."""
        geom = shape(geometry)
        if not geom.intersects(window):
            return None
        px = to_px(geom.intersection(window)).simplify(spec.tolerance, preserve_topology=True)
        if px.is_empty:
            return None
        biggest = max(getattr(px, "geoms", [px]), key=lambda p: p.area)
        pt = biggest.representative_point() if biggest.area > 4 else biggest.centroid
        return path_data(px), [round(pt.x, 1), round(pt.y, 1)]

    shapes, anchors = {}, {}
    for country in countries:
        got = drawn(country["geometry"])
        if got:
            shapes[country["name"]], anchors[country["name"]] = got
    units = {r["id"]: r for r in regions}
    drawn_regions = {}
    for rid in spec.regions:
        unit = units.get(rid)
        got = drawn(unit["geometry"]) if unit else None
        if got is None:
            raise ValueError(f"map {name}: admin-1 unit {rid} is not in the boundary data or not in the window "
                             "(REGIONS in scripts/geo/make_geo.py, then make geo)")
        drawn_regions[rid] = {"name": unit["name"], "country": unit["country"], "shape": got[0], "anchor": got[1]}
    # The window's edges after projection: meridians slant, parallels curve. Draw only the upright rectangle
    # inside them, so no land ends in a slanted cut at the frame.
    def edge(lons, lats):
        pts = [fwd.transform(lo, la) for lo, la in zip(lons, lats)]
        return [((x - x0) * scale, (y1 - y) * scale) for x, y in pts]
    n = 50
    lats = [view.lat_min + (view.lat_max - view.lat_min) * i / n for i in range(n + 1)]
    lons = [view.lon_min + (view.lon_max - view.lon_min) * i / n for i in range(n + 1)]
    inner = [round(max(x for x, _ in edge([view.lon_min] * len(lats), lats)), 1),
             round(max(y for _, y in edge(lons, [view.lat_max] * len(lons))), 1),
             round(min(x for x, _ in edge([view.lon_max] * len(lats), lats)), 1),
             round(min(y for _, y in edge(lons, [view.lat_min] * len(lons))), 1)]
    points = {}
    for lon, lat in spec.points:
        x, y = fwd.transform(lon, lat)
        points[point_key(lon, lat)] = [round((x - x0) * scale, 1), round((y1 - y) * scale, 1)]
    return {"view": view.as_list(), "tolerance": spec.tolerance, "width": view.width, "height": height,
            "inner": inner, "shapes": shapes, "anchors": anchors, "points": dict(sorted(points.items())),
            **({"regions": drawn_regions} if drawn_regions else {})}


def project_maps(boundaries: dict, specs: dict[str, MapSpec]) -> dict[str, Any]:
    """maps.json's content from the boundary data (data/geo/southeast-asia.json) and the figures' specs."""
    return {"about": "Each map's country outlines and placed points, projected (Albers equal-area, PROJ via pyproj), "
                     "clipped and simplified (GEOS via shapely) from data/geo/southeast-asia.json by `make maps` "
                     "for the windows macros/figures.py draws. The build only reads this file.",
            "maps": {name: project(name, boundaries["countries"], spec, boundaries.get("regions", ()))
                     for name, spec in sorted(specs.items())},
            "places": boundaries["places"],
            "names": sorted({c["name"] for c in boundaries["countries"]})}


def _apply(fwd, xy):
    x, y = fwd.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def _to_pixels(xy, x0: float, y1: float, scale: float):
    xy = xy.copy()
    xy[:, 0] = (xy[:, 0] - x0) * scale
    xy[:, 1] = (y1 - xy[:, 1]) * scale
    return xy


__all__ = ["View", "MapSpec", "Projected", "Region", "MAPS_FILE", "read_maps", "stored_map", "project", "project_maps",
           "path_data", "point_key"]
