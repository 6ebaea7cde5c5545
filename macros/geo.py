"""Map geometry for the figures: project boundary data and turn it into SVG path strings. Pure: no I/O.

Boundaries are Natural Earth (public domain) as prepared by scripts/geo/make_geo.py. Projection is PROJ's,
through pyproj (an Albers equal-area conic fitted to each map's latitudes, so areas compare fairly);
clipping and simplification are GEOS's, through shapely. Nothing here draws styles or text: figures.py does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# shapely and pyproj (numpy underneath) are imported where they are used, not here: Zensical's embedded
# Python crashes on importing numpy, and this module must stay importable under every engine (macros/engine.py
# then draws no map there).


@dataclass(frozen=True)
class View:
    """A map window in longitude/latitude and the pixel width to draw it at."""
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float
    width: int = 640


@dataclass(frozen=True)
class Projected:
    width: int
    height: int
    shapes: dict[str, str]                  # country name -> SVG path data
    anchors: dict[str, tuple[float, float]]  # country name -> a point inside its visible part (for labels)
    _fwd: object
    _scale: float
    _x0: float
    _y1: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self._fwd.transform(lon, lat)
        return round((x - self._x0) * self._scale, 1), round((self._y1 - y) * self._scale, 1)


@lru_cache(maxsize=16)
def _transformer(view: View) -> "Transformer":
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


def project(countries: tuple[tuple[str, str], ...], view: View, tolerance: float = 0.6) -> Projected:
    """Clip each (name, GeoJSON geometry as JSON text) to the view, project, fit to the width, simplify."""
    return _project(countries, view, tolerance)


@lru_cache(maxsize=16)
def _project(countries: tuple[tuple[str, str], ...], view: View, tolerance: float) -> Projected:
    import json

    import shapely
    from shapely.geometry import box, shape
    fwd = _transformer(view)
    window = box(view.lon_min, view.lat_min, view.lon_max, view.lat_max).segmentize(0.5)
    frame = shapely.transform(window, lambda xy: _apply(fwd, xy))
    x0, y0, x1, y1 = frame.bounds
    scale = view.width / (x1 - x0)
    height = int(round((y1 - y0) * scale))

    def to_px(geom):
        g = shapely.transform(geom, lambda xy: _apply(fwd, xy))
        return shapely.transform(g, lambda xy: _to_pixels(xy, x0, y1, scale))

    shapes, anchors = {}, {}
    for name, geometry in countries:
        geom = shape(json.loads(geometry))
        if not geom.intersects(window):
            continue
        clipped = geom.intersection(window)
        px = to_px(clipped).simplify(tolerance, preserve_topology=True)
        if px.is_empty:
            continue
        shapes[name] = path_data(px)
        biggest = max(getattr(px, "geoms", [px]), key=lambda p: p.area)
        pt = biggest.representative_point() if biggest.area > 4 else biggest.centroid
        anchors[name] = (round(pt.x, 1), round(pt.y, 1))
    return Projected(view.width, height, shapes, anchors, fwd, scale, x0, y1)


def _apply(fwd: "Transformer", xy):
    x, y = fwd.transform(xy[:, 0], xy[:, 1])
    xy = xy.copy()
    xy[:, 0], xy[:, 1] = x, y
    return xy


def _to_pixels(xy, x0: float, y1: float, scale: float):
    xy = xy.copy()
    xy[:, 0] = (xy[:, 0] - x0) * scale
    xy[:, 1] = (y1 - xy[:, 1]) * scale
    return xy


def as_key(geo: dict) -> tuple[tuple[str, str], ...]:
    """The boundary data as a hashable key (so a map drawn on two pages is projected once per build)."""
    import json
    return tuple((c["name"], json.dumps(c["geometry"], separators=(",", ":"))) for c in geo["countries"])


__all__ = ["View", "Projected", "project", "path_data", "as_key"]
