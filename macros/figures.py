"""Figures: catalog in, static inline SVG out (inside <figure>, with a caption and the same data as a table).

Pure like render.py: no I/O, deterministic, every text escaped. Colours are CSS classes styled in
docs/assets/site.css from custom properties, so the light, dark and print styles all apply. Each SVG has
role="img", a <title> and a <desc> (aria-labelledby), a viewBox and no fixed size, so it scales to 360 px.
Maps are drawn from data/geo/maps.json: outlines and points projected ahead of time by `make maps`
(macros/geo.py; pyproj + shapely over Natural Earth boundaries), so drawing needs no compiled library.
"""
from __future__ import annotations

from .safe import escape   # HTML-escaped and inert to Markdown

from .catalog import Catalog
from .errors import SiteError, did_you_mean
from .geo import MapSpec, View, stored_map
from .render import PageContext, cite, fmt_date, ref

FONT = 13                          # px in the SVG's own units
PHONE_WIDTH = 320                  # CSS px: the widest a figure is drawn below 45em (a 360 px phone's column is 328)


# --- shared pieces --------------------------------------------------------------------------------

def scales(width: float, height: float, max_height: float | None = None) -> dict[str, float]:
    """How wide a figure is drawn (CSS px) on a wide screen and on a phone, and how much its type is enlarged
    (in its own units) to stay the same CSS size: text is 12-14 CSS px at every width, whatever the scale.

    Wide screens draw it at its own size (1 unit = 1 px), or smaller if that would be taller than max_height;
    below 45em it is at most PHONE_WIDTH wide. Site.css multiplies each text's size by 'u' (wide) or 'up'
    (phone), so a figure shrunk to half size gets type of twice as many units."""
    wide = min(width, max_height * width / height) if max_height else width
    phone = min(wide, PHONE_WIDTH)
    return {"wide": wide, "phone": phone, "u": width / wide, "up": width / phone}


def _figure(fig_id: str, width: float, height: float, title: str, desc: str, body: str, caption: str,
            data_html: str, summary: str = "The same data as a table", kind: str = "", role: str | None = "img",
            max_height: float | None = None, origin: tuple[float, float] = (0, 0)) -> str:
    """role="img" for a picture; none when the SVG holds links (an img's children are hidden from readers,
    and HTML allows no other grouping role on <svg>: its own graphics-document role applies). origin: the
    top left corner of what is drawn (a map shows only the upright rectangle inside its projected window)."""
    t, d = f"{fig_id}-title", f"{fig_id}-desc"
    sc = scales(width, height, max_height)
    style = (f"--fig-max: {_n(sc['wide'])}px; --fig-max-p: {_n(sc['phone'])}px; "
             f"--fig-u: {sc['u']:.3f}; --fig-up: {sc['up']:.3f}")
    svg = (f'<svg class="fig-svg" viewBox="{_n(origin[0])} {_n(origin[1])} {_n(width)} {_n(height)}" style="{style}" '
           + (f'role="{role}" ' if role else "") + f'aria-labelledby="{t} {d}" '
           f'focusable="false"><title id="{t}">{escape(title)}</title><desc id="{d}">{escape(desc)}</desc>'
           f"{body}</svg>")
    # The data sits after the figure, not inside it: a figcaption must be a figure's first or last child.
    # Out of the search index: the page's own text already says what the figure shows.
    marker = " data-map" if kind in ("map", "locator") else ""      # drawn from the projected map data
    return (f'<div class="fig-block{" fig-" + kind if kind else ""}"{marker} data-search-exclude><figure class="fig" id="{fig_id}">{svg}'
            f'<figcaption>{caption}</figcaption></figure><details class="fig-data">'
            f"<summary>{escape(summary)}</summary>{data_html}</details></div>")


def _n(v: float) -> str:
    s = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _text(x: float, y: float, text: str, cls: str = "fig-label", anchor: str = "start", size: float | None = None) -> str:
    """size: CSS px as read (12-14), scaled with the figure like every other text (site.css --fs)."""
    extra = f' style="--fs: {_n(size)}"' if size else ""
    return (f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" text-anchor="{anchor}"{extra}>{escape(text)}</text>')


def _table(head: list[str], rows: list[list[str]], caption: str) -> str:
    """rows hold HTML already escaped by the caller; the first cell of each row is the row header."""
    ths = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(f'<tr><th scope="row">{r[0]}</th>{"".join(f"<td>{c}</td>" for c in r[1:])}</tr>' for r in rows)
    return (f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(caption)}">'
            f'<table class="data-table fig-table"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></div>")


def _state_name(cat: Catalog, sid: str) -> str:
    return cat.states[sid].name


def _state_html(cat: Catalog, ctx: PageContext, sid: str) -> str:
    """A state's name, linked to its who's-who entry when it has one."""
    return ref(cat, ctx, sid, cat.states[sid].name) if sid in cat.entities else escape(cat.states[sid].name)


def _words(cat: Catalog, ctx: PageContext, fig_id: str):
    """A figure's title, caption and legend: data (figures:), never Python."""
    fig = cat.figures.get(fig_id)
    if fig is None:
        raise SiteError(f"the figure '{fig_id}' has no words in the data file", file=ctx.src,
                        hint=f"add a record with id '{fig_id}' (title, caption, legend) under 'figures:' in "
                             "data/asean_un.yml")
    return fig


def _label(fig, group: str, key: str) -> str:
    value = getattr(fig, group).get(key)
    if value is None:
        raise SiteError(f"figure '{fig.id}' needs {group} '{key}'", file=None, line=fig.line or None, item=fig.id,
                        hint=f"add '{key}: …' under its '{group}:' in data/asean_un.yml")
    return value


def _year(day: str) -> int:
    return int(str(day)[:4])


def _need_geo(cat: Catalog, ctx: PageContext, macro: str) -> dict:
    if not cat.geo:
        raise SiteError(f"{macro}() needs the map data, which was not loaded", file=ctx.src,
                        hint="data/geo/maps.json is missing: run make maps")
    return cat.geo


def _cutoff(cat: Catalog) -> str:
    """The article's cut-off day (data file's 'article' record): later joins are drawn as changes since."""
    return cat.data.article.cutoff if cat.data.article else "9999"


def _membership(cat: Catalog, ctx: PageContext, body: str, macro: str):
    """The membership list of `body`, or a located error naming the macro that needs it."""
    ms = next((m for m in cat.data.memberships if m.body == body), None)
    if ms is None:
        raise SiteError(f"{macro}() needs a membership list for '{body}'", file=ctx.src,
                        hint="add it under 'memberships:' in data/asean_un.yml")
    return ms


def _joined_since(cat: Catalog, m) -> bool:
    """The member joined after the article's cut-off day: drawn as a change since the article."""
    return bool(m.since) and str(m.since) > _cutoff(cat)


# --- 1. maps ----------------------------------------------------------------------------------------

SEA = View(92.0, -11.5, 141.5, 28.5, 640)
SEA_TOLERANCE = 0.6                # px: simplification of the outlines
SEA_LABEL = {"asean": (113.0, 17.2), "scs": (113.5, 14.0)}     # where "South China Sea" is written (lon, lat)
# Where a label sits when the shape's own point would crowd it (lon, lat of the label; a leader line is drawn).
# Keyed by the boundary data's own names (Natural Earth, data/geo/maps.json 'names'), which the data file's
# states map to (their 'geo'); what a label says is the state's name in the data file.
LABEL_AT = {"Singapore": (107.6, 2.0), "Brunei": (112.6, 7.0), "Timor-Leste": (132.0, -8.4),
            "Malaysia": (100.9, 5.8), "Vietnam": (113.6, 14.4), "Laos": (102.4, 19.8),
            "Cambodia": (104.0, 12.1), "Thailand": (100.6, 16.0), "Myanmar": (95.9, 22.4),
            "Philippines": (126.6, 17.2), "Indonesia": (113.6, -1.0)}
LEADERS = ("Singapore", "Brunei", "Timor-Leste", "Vietnam", "Philippines")   # labels set off their shape
CONTESTED = ("Spratly Is.", "Scarborough Reef")   # Natural Earth's own units for disputed features


def _inner(proj) -> tuple[float, float, float, float]:
    """The part of a projected map that is drawn: the upright rectangle inside its window (whole pixels)."""
    if not proj.inner:
        return (0.0, 0.0, float(proj.width), float(proj.height))
    left, top, right, bottom = proj.inner
    return (float(int(left) + 1), float(int(top) + 1), float(int(right)), float(int(bottom)))


def _map_layers(proj, highlight: dict[str, str], hatch: str) -> str:
    """Land (every country in view; highlight maps Natural Earth names to classes), disputed features hatched."""
    out = [f'<rect class="fig-sea" x="0" y="0" width="{proj.width}" height="{proj.height}"/>']
    for name in sorted(proj.shapes):
        if name in CONTESTED:
            continue
        out.append(f'<path class="{highlight.get(name, "fig-land")}" d="{proj.shapes[name]}"/>')
    for name in CONTESTED:
        if name in proj.anchors:
            x, y = proj.anchors[name]
            out.append(f'<circle class="fig-contested" fill="url(#{hatch})" cx="{_n(x)}" cy="{_n(y)}" r="7"/>')
    return "".join(out)


def _pattern(pid: str) -> str:
    """A hatch fill; its id is unique per figure so that two figures on one page never share an id."""
    return (f'<defs><pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="5" height="5" class="fig-hatch-bg"/>'
            '<line x1="0" y1="0" x2="0" y2="5" class="fig-hatch-line"/></pattern></defs>')


def _join_story(cat: Catalog, ms, founders: list[str]) -> str:
    """The caption's account of who joined when, from the membership data (no fact kept here by hand)."""
    first = _year(ms.members[0].since)
    later = [m for m in ms.members if m.since and _year(m.since) != first and str(m.since) <= _cutoff(cat)]
    since = [m for m in ms.members if _joined_since(cat, m)]
    text = (f"The {len(ms.members)} {escape(ms.label)} member states and the year each joined: the founders "
            f"({escape(', '.join(founders))}) in {first}")
    if later:
        text += f", then {len(later)} more by {max(_year(m.since) for m in later)}"
    text += "."
    for m in since:
        text += (f" {escape(cat.states[m.state].name)} joined on {escape(fmt_date(str(m.since)))}, after the "
                 "article.")
    return text


def _asean_rows(cat: Catalog, ctx: PageContext, ms, new: set) -> list[list[str]]:
    return [[_state_html(cat, ctx, m.state), escape(str(m.since)[:4] if m.since else "?")
             + (" (since the article)" if m.state in new else ""), cite(cat, ctx, _member_cite(ms, m))]
            for m in ms.members]


def _sea_labels(proj, sea_at: tuple[float, float], fig, detail: bool = False) -> list[str]:
    """The sea's name (the figure's 'sea' label) at (lon, lat) and a label beside each disputed feature;
    detail=True: the sea's name is left out on a phone too (where the map is drawn at half size)."""
    labels = [_text(*proj.point(*sea_at), _label(fig, "labels", "sea"), "fig-water" + " fig-map-detail" * detail, "middle")]
    right = _inner(proj)[2] - 4
    for name in CONTESTED:
        if name in proj.anchors:
            x, y = proj.anchors[name]
            wide = len(name) * 7                        # about 7 px a character at 12 px
            if x + 10 + wide <= right:                  # beside the feature, or above it near the frame's edge
                labels.append(_text(x + 10, y + 4, name, "fig-small fig-map-detail"))
            else:
                labels.append(_text(min(x, right - wide / 2), y - 11, name, "fig-small fig-map-detail", "middle"))
    return labels


def asean_map(cat: Catalog, ctx: PageContext, body: str) -> str:
    """Southeast Asia: each member of `body` (ASEAN) with the year it joined; later joins marked as new."""
    geo = _need_geo(cat, ctx, "asean_map")
    ms = _membership(cat, ctx, body, "asean_map")
    proj = stored_map(geo, "asean", MapSpec(SEA, SEA_TOLERANCE))
    new = {m.state for m in ms.members if _joined_since(cat, m)}
    classes = {cat.states[m.state].geo: ("fig-new" if m.state in new else "fig-member") for m in ms.members}
    body = [_pattern("fig-asean-map-hatch"), _map_layers(proj, classes, "fig-asean-map-hatch")]
    for m in ms.members:
        st = cat.states[m.state]
        if not st.geo or st.geo not in proj.anchors:
            raise SiteError(f"asean_map(): state '{m.state}' has no shape in the map data", file=ctx.src,
                            hint="give it a 'geo' name from data/geo/maps.json ('names')")
        ax, ay = proj.anchors[st.geo]
        lx, ly = proj.point(*LABEL_AT[st.geo]) if st.geo in LABEL_AT else (ax, ay)
        if st.geo in LEADERS:        # from the shape to just above or below the two-line label
            ey = ly + 19 if ay > ly else ly - 15
            body.append(f'<line class="fig-leader" x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(lx)}" y2="{_n(ey)}"/>')
        year = str(m.since)[:4] if m.since else "?"
        cls = "fig-label fig-label-new" if m.state in new else "fig-label"
        body.append(f'<text x="{_n(lx)}" y="{_n(ly)}" class="{cls}" text-anchor="middle">'
                    f'<tspan x="{_n(lx)}" class="fig-strong">{escape(st.name)}</tspan>'
                    f'<tspan x="{_n(lx)}" dy="1.1em" class="fig-map-year">{escape(year)}</tspan></text>')
    body.extend(_sea_labels(proj, SEA_LABEL["asean"], _words(cat, ctx, "asean-map"), detail=True))
    founders = [cat.states[m.state].name for m in ms.members if m.since and _year(m.since) == _year(ms.members[0].since)]
    fig = _words(cat, ctx, "asean-map")
    desc = (f"{fig.title}. " + "; ".join(f"{cat.states[m.state].name} joined {ms.label} in {str(m.since)[:4]}"
                                         + (", after the article was written" if m.state in new else "")
                                         for m in ms.members if m.since) + f". {fig.caption or ''}")
    rows = _asean_rows(cat, ctx, ms, new)
    caption = _key([("member", f"{_label(fig, 'legend', 'member')} ({fmt_date(_cutoff(cat)[:7])})"),
                    ("new", _label(fig, "legend", "new")), ("contested", _label(fig, "legend", "contested"))]) + (
               _join_story(cat, ms, founders)) + _caption(cat, ctx, fig)
    (x0, y0, x1, y1) = _inner(proj)
    return _figure("fig-asean-map", x1 - x0, y1 - y0, fig.title,
                   desc, "".join(body), caption, _table(["State", f"Joined {ms.label}", "Source"], rows, fig.title),
                   kind="map", origin=(x0, y0))


def _caption(cat: Catalog, ctx: PageContext, fig) -> str:
    """The figure's caption from the data, with the citation of the fact it states, if any."""
    if not fig.caption:
        return ""
    from .model import Cite
    cited = cite(cat, ctx, Cite(source=fig.source, passage=fig.passage, pin=fig.pin)) if fig.source else ""
    return " " + escape(fig.caption) + cited


def _member_cite(ms, m):
    from .model import Cite
    return Cite(source=m.source or ms.source, pin=m.pin if m.source else (m.pin or ms.pin))


def _key(items: list[tuple[str, str]]) -> str:
    """The legend as HTML under the picture: it reflows on a phone, where text inside the SVG would shrink."""
    return '<span class="fig-key">' + "".join(
        f'<span class="fig-key-item"><span class="fig-swatch fig-sw-{cls}" aria-hidden="true"></span>{escape(label)}</span>'
        for cls, label in items) + "</span>"


LOCATORS = {
    "myanmar": dict(view=View(87.5, 8.0, 104.5, 29.0, 420), focus=["Myanmar"], places=["Nay Pyi Taw"],
                    labels={"Myanmar": (95.7, 23.4)}),
    "rohingya": dict(view=View(88.8, 18.6, 95.4, 24.4, 460), focus=["Myanmar", "Bangladesh"], second=["Bangladesh"],
                     # the flight starts inside Rakhine State, not at a town: no source names the townships
                     places=["Sittwe", "Cox’s Bāzār"], arrow=((92.75, 20.75), "Cox’s Bāzār"),
                     regions={"MMR-3273": (94.3, 19.35)}),         # Rakhine State (Natural Earth adm1_code): label at
    "scs": dict(view=View(102.0, -1.0, 124.5, 24.0, 460), focus=["China", "Vietnam", "Philippines",
                                                                             "Malaysia", "Brunei", "Indonesia", "Taiwan"],
                            places=[],
                            labels={"Malaysia": (103.4, 4.2), "Philippines": (123.0, 10.8), "Brunei": (114.6, 5.6),
                                    "Vietnam": (110.9, 11.0),
                                    "Indonesia": (113.4, 0.3)}, unlabelled=["Singapore"]),
}


LOCATOR_TOLERANCE = 0.5
LOCATOR_MAX_HEIGHT = 420           # CSS px: a locator shows where, in a frame no taller than a screen's half


def map_specs(places: list[dict]) -> dict[str, MapSpec]:
    """Every map the figures draw, with every point they place on it: what `make maps` projects (the
    places' positions come from the boundary data's place list)."""
    at = {p["name"]: (p["lon"], p["lat"]) for p in places}
    specs = {"asean": MapSpec(SEA, SEA_TOLERANCE, (*LABEL_AT.values(), SEA_LABEL["asean"]))}
    for which, spec in LOCATORS.items():
        points = [*spec.get("labels", {}).values(), *(at[p] for p in spec["places"] if p in at)]
        if which in SEA_LABEL:
            points.append(SEA_LABEL[which])
        points.extend(spec.get("regions", {}).values())
        points.extend(end for end in spec.get("arrow", ()) if isinstance(end, tuple))
        specs[which] = MapSpec(spec["view"], LOCATOR_TOLERANCE, tuple(points), tuple(spec.get("regions", ())))
    return specs


def locator_map(cat: Catalog, ctx: PageContext, which: str, event: str | None = None) -> str:
    """A small map for a crisis page: the states concerned, a few named places, disputed features neutral."""
    spec = LOCATORS.get(which)
    if spec is None:
        raise SiteError(f"unknown locator map '{which}'", file=ctx.src,
                        hint=did_you_mean(which, LOCATORS) or f"maps: {', '.join(LOCATORS)}")
    geo = _need_geo(cat, ctx, "locator_map")
    proj = stored_map(geo, which, MapSpec(spec["view"], LOCATOR_TOLERANCE, regions=tuple(spec.get("regions", ()))))
    # Not the ASEAN map's blue (which means "member"): a locator's own colours, explained by its own key.
    focus = {name: ("fig-focus-2" if name in spec.get("second", ()) else "fig-focus") for name in spec["focus"]}
    hatch = f"fig-map-{which}-hatch"
    body = [_pattern(hatch), _map_layers(proj, focus, hatch)]
    fig = _words(cat, ctx, f"locator-{which}")
    for rid, at in spec.get("regions", {}).items():          # an admin-1 unit, outlined inside its country
        region = proj.regions[rid]
        body.append(f'<path class="fig-region" d="{region.shape}"/>')
        x, y = proj.point(*at)
        body.append(_text(x, y, region.name, "fig-label fig-strong fig-region-name", "middle"))
    names = {st.geo: st.name for st in cat.states.values() if st.geo}     # display names: data (states)
    moved = spec.get("labels", {})
    ix0, iy0, ix1, iy1 = _inner(proj)
    for geo_name, (x, y) in sorted(proj.anchors.items()):
        if geo_name in moved:
            x, y = proj.point(*moved[geo_name])
        if (geo_name in CONTESTED or geo_name not in names or geo_name in spec.get("unlabelled", ())
                or not (ix0 + 10 < x < ix1 - 10 and iy0 + 10 < y < iy1 - 10)):
            continue
        # near an edge, anchor the name on the inner side so that larger type on a phone stays inside
        anchor = "start" if x < ix0 + 70 else "end" if x > ix1 - 70 else "middle"
        x = max(x - 25, ix0 + 4) if anchor == "start" else min(x + 25, ix1 - 4) if anchor == "end" else x
        body.append(_text(x, y, names[geo_name], "fig-label fig-strong", anchor))
    places = {p["name"]: p for p in geo["places"]}
    rows = []
    for pname in spec["places"]:
        p = places.get(pname)
        if p is None:
            raise SiteError(f"locator_map('{which}'): place '{pname}' is not in the map data", file=ctx.src,
                            hint="add it to PLACES in scripts/geo/make_geo.py and run make geo")
        x, y = proj.point(p["lon"], p["lat"])
        label = pname.replace("’", "'").replace("ā", "a")
        body.append(f'<circle class="fig-place" cx="{_n(x)}" cy="{_n(y)}" r="4"/>')
        body.append(_text(x + 7, y + 4, label, "fig-small"))
        rows.append([escape(label), escape(f"{p['lat']:.2f}° N, {p['lon']:.2f}° E"),
                     escape(f"{p['admin1']}" if p["admin1"] else "")])
    if spec.get("arrow"):
        (x1, y1), (x2, y2) = (proj.point(*end) if isinstance(end, tuple) else
                              proj.point(places[end]["lon"], places[end]["lat"]) for end in spec["arrow"])
        body.insert(1, f'<defs><marker id="fig-map-{which}-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" '
                       'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="fig-arrow-head"/>'
                       '</marker></defs>')
        mx, my = (x1 + x2) / 2 + 30, (y1 + y2) / 2         # bowed inland: the flight was over land
        body.append(f'<path class="fig-arrow" d="M{_n(x1 - 4)} {_n(y1 - 6)}Q{_n(mx)} {_n(my)} {_n(x2 + 4)} {_n(y2 + 6)}" '
                    f'marker-end="url(#fig-map-{which}-arrow)"/>')
    if which == "scs":
        body.extend(_sea_labels(proj, SEA_LABEL["scs"], fig))
        rows.extend([escape(name), "Disputed; drawn hatched, assigned to no state", "Natural Earth"]
                    for name in CONTESTED if name in proj.anchors)
    keys = [(k, _label(fig, "legend", k)) for k in ("focus", "focus-2", "place", "arrow", "contested") if k in fig.legend]
    after_focus = sum(k.startswith("focus") for k, _ in keys)       # a region's key follows its country's
    keys[after_focus:after_focus] = [("region", proj.regions[rid].name) for rid in spec.get("regions", {})]
    caption = _key(keys) + _caption(cat, ctx, fig).lstrip()
    if event:          # the event the map illustrates, summarised and cited in the caption
        ev = cat.events.get(event)
        if ev is None:
            raise SiteError(f"locator_map('{which}') names event '{event}', which the data lacks", file=ctx.src,
                            hint=did_you_mean(event, cat.events) or "check the event id in data/asean_un.yml")
        caption += f" {escape(ev.title)} ({escape(fmt_date(ev.date))}): {escape(ev.summary)}{cite(cat, ctx, ev)}"
    caption += " Boundaries" + (" (countries and states)" if spec.get("regions") else "") + \
        ": Natural Earth; places: GeoNames."
    desc = fig.title + ". " + ", ".join(names.get(s, s) for s in spec["focus"]) + " highlighted." + (
        " Marked places: " + ", ".join(r[0] for r in rows) + "." if rows else "")
    data = _table(["Place", "Position", "Region"], rows, f"Places marked on the map: {fig.title}") if rows \
        else f'<p>{escape(desc)}</p>'
    (x0, y0, x1, y1) = _inner(proj)
    return _figure(f"fig-map-{which}", x1 - x0, y1 - y0, fig.title, desc, "".join(body), caption, data,
                   "What the map marks", "locator", max_height=LOCATOR_MAX_HEIGHT, origin=(x0, y0))


# --- 2. who belongs to what ----------------------------------------------------------------------

def memberships(cat: Catalog, ctx: PageContext) -> str:
    """States × bodies: a dot where a state belongs; ASEAN dots carry the year; elected Council terms counted."""
    lists = cat.data.memberships
    if not lists:
        raise SiteError("memberships() needs 'memberships:' in the data file", file=ctx.src)
    fig = _words(cat, ctx, "memberships")
    terms_label = _label(fig, "labels", "terms")
    seats: dict[str, list] = {}
    for seat in cat.data.council_seats:
        seats.setdefault(seat.state, []).append(seat)
    listed = {m.state for ms in lists for m in ms.members}
    rows = [st for st in cat.states.values() if st.id in listed]     # the states some body lists
    # Narrow enough to draw at its own size on a phone too (type 12-14 px): names on the left, one column per
    # body with its name written upwards, the ASEAN column wide enough for the year of joining.
    label_w, year_w, col_w, row_h, top = 128, 40, 28, 22, 122
    cols = [*lists, None]                         # None: the elected-terms column
    widths = [year_w if ms.show_years else col_w for ms in lists] + [col_w]
    lefts = [label_w + sum(widths[:i]) for i in range(len(cols))]
    width = label_w + sum(widths)
    height = top + row_h * len(rows) + 8
    body = []
    for i, ms in enumerate(cols):
        x, y = lefts[i] + widths[i] / 2 + 4, top - 6
        body.append(f'<text x="{_n(x)}" y="{y}" class="fig-small fig-strong" transform="rotate(-90 {_n(x)} {y})">'
                    f'{escape(ms.label if ms else terms_label)}</text>')
    member_of = {(ms.body, m.state): m for ms in lists for m in ms.members}
    for r, st in enumerate(rows):
        y = top + row_h * r
        if r % 2 == 0:
            body.append(f'<rect class="fig-band" x="0" y="{y}" width="{width}" height="{row_h}"/>')
        body.append(_text(4, y + 15, st.name, "fig-label"))
        for i, ms in enumerate(cols):
            cx = lefts[i] + widths[i] / 2
            if ms is None:
                n = len(seats.get(st.id, []))
                if n:
                    body.append(_text(cx, y + 15, str(n), "fig-label fig-strong", "middle"))
                continue
            m = member_of.get((ms.body, st.id))
            if m is None:
                continue
            cls = "fig-dot-unclear" if m.status == "unclear" else ("fig-dot-new" if _joined_since(cat, m)
                                                                   else "fig-dot")
            if ms.show_years and m.since:
                body.append(f'<rect class="{cls}" x="{_n(cx - 18)}" y="{y + 3}" width="36" height="16" rx="8"/>')
                body.append(_text(cx, y + 15, str(m.since)[:4], "fig-dot-text", "middle", 12))
            else:
                body.append(f'<circle class="{cls}" cx="{_n(cx)}" cy="{y + 11}" r="6"/>')
    desc_parts = []
    for ms in lists:
        names = [cat.states[m.state].name + (" (unclear)" if m.status == "unclear" else "") for m in ms.members]
        desc_parts.append(f"{ms.label}: {', '.join(names)}")
    desc = f"{fig.title}. " + ". ".join(desc_parts) + "."
    head = ["State", *[ms.label for ms in lists], terms_label]
    trows = []
    for st in rows:
        cells = [_state_html(cat, ctx, st.id)]
        for ms in lists:
            m = member_of.get((ms.body, st.id))
            if m is None:
                cells.append('<span class="empty">—</span>')
            else:
                txt = ("unclear" if m.status == "unclear" else "member") + (f" since {str(m.since)[:4]}" if m.since else "")
                note = f' <span class="src-note">{escape(m.note)}</span>' if m.note else ""
                cells.append(escape(txt) + cite(cat, ctx, _member_cite(ms, m)) + note)
        terms = seats.get(st.id, [])
        cells.append(", ".join(f"{s.start}–{s.end}" if s.end != s.start else str(s.start) for s in terms) or
                     '<span class="empty">—</span>')
        trows.append(cells)
    as_of = "; ".join(f"{ms.label} as of {fmt_date(ms.as_of)}" for ms in lists)
    caption = _caption(cat, ctx, fig).lstrip() + f" Lists {escape(as_of)}."
    return _figure("fig-memberships", width, height, fig.title, desc, "".join(body), caption,
                   _table(head, trows, fig.title))


# --- 3. ASEAN members on the Security Council over time -----------------------------------------

def council_strip(cat: Catalog, ctx: PageContext, body: str) -> str:
    """One strip per member of `body` (ASEAN), 1945 to the latest year in the data: membership shaded, seats drawn."""
    ms = _membership(cat, ctx, body, "council_strip")
    fig = _words(cat, ctx, "council-strip")
    # from the year the Council's permanent members sat (their membership record), else the first seat
    firsts = [_year(m.since) for p in cat.data.memberships if p.vetoes for m in p.members if m.since]
    start = min(firsts or [s.start for s in cat.data.council_seats] or [_year(cat.data.article.cutoff)])
    end = max([_year(e.date) for e in cat.data.events] + [s.end for s in cat.data.council_seats]) + 1
    label_w, row_h, top, right = 84, 24, 8, 12
    width = 480
    span = width - label_w - right
    x_of = lambda yr: label_w + (yr - start) / (end - start) * span  # noqa: E731
    members = sorted(ms.members, key=lambda m: cat.states[m.state].name)
    height = top + row_h * len(members) + 30
    body = [_pattern("fig-council-strip-hatch")]
    for decade in range(1950, end + 1, 10):
        x = x_of(decade)
        if decade % 20:
            body.append(f'<line class="fig-grid" x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{top + row_h * len(members)}"/>')
            continue
        body.append(f'<line class="fig-grid" x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{top + row_h * len(members)}"/>')
        body.append(_text(x, height - 10, str(decade), "fig-small", "middle"))
    seats_of: dict[str, list] = {}
    for seat in cat.data.council_seats:
        seats_of.setdefault(seat.state, []).append(seat)
    for r, m in enumerate(members):
        y = top + row_h * r
        body.append(_text(label_w - 6, y + 15, cat.states[m.state].name, "fig-label", "end"))
        body.append(f'<rect class="fig-track" x="{_n(x_of(start))}" y="{y + 4}" width="{_n(span)}" height="{row_h - 8}"/>')
        if m.since:
            sx = x_of(max(start, _year(m.since)))
            body.append(f'<rect class="fig-asean-period" x="{_n(sx)}" y="{y + 4}" width="{_n(x_of(end) - sx)}" '
                        f'height="{row_h - 8}"><title>{escape(cat.states[m.state].name)}: {escape(ms.label)} member from '
                        f'{escape(str(m.since)[:4])}</title></rect>')
        for seat in seats_of.get(m.state, []):
            x1, x2 = x_of(seat.start), x_of(seat.end + 1)
            cls = 'fig-seat-uncertain" fill="url(#fig-council-strip-hatch)' if seat.uncertain else "fig-seat"
            yrs = f"{seat.start}–{seat.end}" if seat.end != seat.start else str(seat.start)
            tip = f"{cat.states[m.state].name}: Security Council {yrs}" + (f" ({seat.uncertain})" if seat.uncertain else "")
            body.append(f'<rect class="{cls}" x="{_n(x1)}" y="{y + 1}" width="{_n(max(x2 - x1, 3))}" '
                        f'height="{row_h - 2}"><title>{escape(tip)}</title></rect>')
    desc = f"{fig.title}, {start} to {end - 1}. " + "; ".join(
        f"{cat.states[m.state].name}: " + (", ".join(
            (f"{s.start}-{s.end}" if s.end != s.start else str(s.start)) + (" (uncertain)" if s.uncertain else "")
            for s in seats_of.get(m.state, [])) or "none") for m in members) + "."
    rows = []
    for m in members:
        terms = seats_of.get(m.state, [])
        rows.append([_state_html(cat, ctx, m.state), escape(str(m.since)[:4] if m.since else "?"),
                     "<br>".join(escape(f"{s.start}–{s.end}" if s.end != s.start else str(s.start))
                                 + (f' <span class="src-note">({escape(s.uncertain)})</span>' if s.uncertain else "")
                                 + cite(cat, ctx, s) for s in terms) or _no_seat(cat, ctx, m.state)])
    caption = _key([(k, _label(fig, "legend", k)) for k in ("seat", "uncertain", "period")]) + (
        _caption(cat, ctx, fig).lstrip())
    return _figure("fig-council-strip", width, height, f"{fig.title}, {start}–{end - 1}", desc,
                   "".join(body), caption, _table(["State", f"In {ms.label} since", _label(fig, "legend", "seat")],
                                                   rows, fig.title))


def _no_seat(cat: Catalog, ctx: PageContext, state: str) -> str:
    """'none' with the record that says so (council_none), or a dash when the data has no record either way."""
    none = next((n for n in cat.data.council_none if n.state == state), None)
    if none is None:
        return '<span class="empty">—</span>'
    return f'none <span class="as-of">(as of {escape(fmt_date(none.as_of))})</span>{cite(cat, ctx, none)}'


# --- 4. vetoes and votes -------------------------------------------------------------------------

VOTE_KINDS = ("yes", "no", "abstain", "absent")        # drawing class -> the figure's legend key below
VOTE_LEGEND = {"yes": "in-favour", "no": "against", "abstain": "abstaining", "absent": "absent"}


def vote_mark(kind: str, x: float, y: float, size: float = 14) -> str:
    """One member's vote as a shape as well as a colour (readable in grey, and for colour-blind readers):
    in favour a filled disc, against a cross, abstaining a ring, not voting a short dash."""
    c, r = size / 2, size / 2 - 1
    cx, cy = x + c, y + c
    if kind == "yes":
        return f'<circle class="fig-vote fig-yes" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}"/>'
    if kind == "no":
        d = r * .8
        return (f'<path class="fig-vote fig-no" d="M{_n(cx - d)} {_n(cy - d)}L{_n(cx + d)} {_n(cy + d)}'
                f'M{_n(cx + d)} {_n(cy - d)}L{_n(cx - d)} {_n(cy + d)}"/>')
    if kind == "abstain":
        return f'<circle class="fig-vote fig-abstain" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r - 1)}"/>'
    return f'<path class="fig-vote fig-absent" d="M{_n(cx - r)} {_n(cy)}L{_n(cx + r)} {_n(cy)}"/>'


def _shape_key(items: list[tuple[str, str]]) -> str:
    """A legend whose marks are the chart's own shapes (inline SVG), not colour swatches."""
    return '<span class="fig-key">' + "".join(
        f'<span class="fig-key-item"><svg class="fig-key-shape" viewBox="0 0 14 14" aria-hidden="true" '
        f'focusable="false">{vote_mark(kind, 0, 0)}</svg>{escape(label)}</span>' for kind, label in items) + "</span>"


def _wrap(text: str, width: int) -> list[str]:
    """Whole words on lines of at most `width` characters (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def votes_chart(cat: Catalog, ctx: PageContext, topic: str | None = None) -> str:
    """Council votes on the drafts about Ukraine, Gaza and Myanmar: the 15 members' votes as shapes, with the
    number of votes a draft needs marked; titles wrap, never cut."""
    votes = sorted((v for v in cat.votes.values() if topic is None or v.topic == topic), key=lambda v: v.date)
    if not votes:
        raise SiteError(f"votes_chart({topic!r}) has no votes to draw", file=ctx.src,
                        hint=did_you_mean(topic or "", {v.topic for v in cat.votes.values()}) or "add votes to the data")
    fig = _words(cat, ctx, "votes")
    seats = int(_label(fig, "labels", "seats"))
    needed = int(_label(fig, "labels", "needed"))
    width, cell, gap, line = 340, 14, 4, 17
    step = cell + gap
    mark_x = needed * step - gap / 2                       # between the last vote that adopts and the next
    body = [f'<text x="{_n(mark_x)}" y="13" class="fig-small fig-strong" text-anchor="middle">'
            f'{escape(_label(fig, "labels", "needed-text"))}</text>']
    y = 24
    used = set()
    for v in votes:
        topic_label = cat.entities[v.topic].entity.label
        body.append(_text(0, y + 12, f"{fmt_date(v.date)} · {topic_label}", "fig-small"))
        y += 16
        for part in _wrap(v.title, 46):
            body.append(_text(0, y + 13, part, "fig-label fig-strong"))
            y += line
        y += 4
        kinds = ["yes"] * v.in_favour + ["no"] * v.against + ["abstain"] * v.abstaining
        kinds += ["absent"] * (seats - len(kinds))
        used.update(kinds)
        body.append(f'<line class="fig-threshold" x1="{_n(mark_x)}" y1="{y - 3}" x2="{_n(mark_x)}" y2="{y + cell + 3}"/>')
        body.extend(vote_mark(k, j * step, y) for j, k in enumerate(kinds))
        body.append(_text(seats * step + 4, y + 12, f"{v.in_favour}–{v.against}–{v.abstaining}", "fig-label fig-strong"))
        y += cell + 4
        vetoers = ", ".join(_state_name(cat, s) for s in v.vetoed_by)
        outcome = f"Vetoed by {vetoers}" if v.outcome == "vetoed" else "Adopted"
        body.append(_text(0, y + 13, outcome, "fig-label fig-strong" + (" fig-vetoed" if v.outcome == "vetoed" else "")))
        y += line + 14
    height = y - 8
    desc = "Security Council votes. " + " ".join(
        f"{fmt_date(v.date)}, {v.title}: {v.in_favour} in favour, {v.against} against, {v.abstaining} abstaining; "
        + (f"vetoed by {', '.join(_state_name(cat, s) for s in v.vetoed_by)}." if v.outcome == "vetoed" else "adopted.")
        for v in votes)
    rows = []
    for v in votes:
        link = (f'<a href="{escape(ctx.href(cat.url_of("timeline.md#ev-" + v.event)))}">{escape(v.title)}</a>'
                if v.event else escape(v.title))
        rows.append([escape(fmt_date(v.date)), link + (f' <span class="symbol">{escape(v.draft)}</span>' if v.draft else ""),
                     escape(cat.entities[v.topic].entity.label), str(v.in_favour), str(v.against), str(v.abstaining),
                     escape("vetoed by " + ", ".join(_state_name(cat, s) for s in v.vetoed_by)
                            if v.outcome == "vetoed" else "adopted") + cite(cat, ctx, v)])
    caption = _shape_key([(k, _label(fig, "legend", VOTE_LEGEND[k])) for k in VOTE_KINDS if k in used]) + (
        "Drafts about " + escape(", ".join(dict.fromkeys(cat.entities[v.topic].entity.label for v in votes))) + "."
        + _caption(cat, ctx, fig))
    return _figure("fig-votes" + (f"-{topic}" if topic else ""), width, height, fig.title,
                   desc, "".join(body), caption,
                   _table(["Date", "Draft", "Topic", "In favour", "Against", "Abstaining", "Outcome"], rows,
                          "Security Council votes"))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- 5. the timeline as swimlanes ---------------------------------------------------------------

def timeline_lanes(cat: Catalog, ctx: PageContext, *track_ids: str) -> str:
    """One lane per crisis (the data's crises, in order) plus the ASEAN–UN track (the events of track_ids);
    each mark links to its event in the list below (#ev-<id>)."""
    for tid in track_ids:
        if tid not in cat.entities:
            raise SiteError(f"unknown entity id '{tid}' in timeline_lanes()", file=ctx.src,
                            hint=did_you_mean(tid, cat.entities) or "check the id in data/asean_un.yml")
    lanes = [(p.entity.label, list(cat.events_for(p.entity.id))) for p in cat.entities.values()
             if p.section == "crises"]
    track = sorted({e.id: e for t in track_ids for e in cat.events_for(t)}.values(), key=lambda e: e.date)
    fig = _words(cat, ctx, "timeline-lanes")
    lanes.append((_label(fig, "labels", "track"), track))
    lanes = [(name, evs) for name, evs in lanes if evs]
    if not lanes:
        raise SiteError("timeline_lanes() found no events", file=ctx.src)
    for eid in fig.key_events:
        if eid not in cat.events:
            raise SiteError(f"unknown event id '{eid}' in the key events of figure 'timeline-lanes'",
                            file=cat.file, line=fig.line or None, item="timeline-lanes",
                            hint=did_you_mean(eid, cat.events) or "key_events maps an event id to its short name")
    start = min(_year(e.date) for _, evs in lanes for e in evs)
    end = max(_year(e.date) for _, evs in lanes for e in evs) + 1
    # Narrow enough to draw at its own size on a phone. Events are counted in bins of whole years, each bin a
    # numbered disc that links to its first event: a tap target of 28 px, where single dots were 7 px and overlapped.
    width, pad, row_h, top, target = 340, 14, 46, 2, 28
    span = width - 2 * pad
    per_bin = -(-target * (end - start) // span)                    # years per bin, so that discs never touch
    first_bin = start                                              # the first bin starts with the first event
    bins = list(range(first_bin, end, per_bin))
    step = span / len(bins)
    height = top + row_h * len(lanes) + 22
    body = []
    for r in range(len(lanes)):
        if r % 2 == 0:
            body.append(f'<rect class="fig-band" x="0" y="{top + row_h * r}" width="{width}" height="{row_h}"/>')
    label_every = max(1, -(-44 // int(step)))                      # a year label needs about 44 px
    for i, b in enumerate(bins):
        x = pad + step * i
        body.append(f'<line class="fig-grid" x1="{_n(x)}" y1="{top}" x2="{_n(x)}" y2="{top + row_h * len(lanes)}"/>')
        if i % label_every == 0:
            body.append(_text(x, height - 6, str(b), "fig-small", "start" if i == 0 else "middle"))
    for r, (name, evs) in enumerate(lanes):
        y = top + row_h * r
        key = next((e for e in evs if e.id in fig.key_events), None)     # the lane's key event, named by its name
        key_text = (f'<tspan class="fig-key-name"> · {escape(fig.key_events[key.id])}, {_year(key.date)}</tspan>'
                    if key else "")
        body.append(f'<text x="4" y="{_n(y + 15)}" class="fig-label fig-strong" text-anchor="start">'
                    f"{escape(name)}{key_text}</text>")
        groups: dict[int, list] = {}
        for ev in evs:
            groups.setdefault((_year(ev.date) - first_bin) // per_bin, []).append(ev)
        for i, group in sorted(groups.items()):
            cx, cy = pad + step * (i + .5), y + 31
            ring = (f'<circle class="fig-key-ring" cx="{_n(cx)}" cy="{_n(cy)}" r="14"/>'
                    if key is not None and key in group else "")
            lo, hi = _year(group[0].date), _year(group[-1].date)
            years = str(lo) if lo == hi else f"{lo}–{hi}"
            titles = "; ".join(f"{fmt_date(e.date)}: {e.title}" for e in group[:3]) + (
                f"; and {len(group) - 3} more" if len(group) > 3 else "")
            tip = f"{name}, {years}: {len(group)} event{'s' * (len(group) > 1)}. {titles}"
            body.append(f'<a href="#ev-{escape(group[0].id)}" class="fig-mark" aria-label="{escape(tip)}"><title>{escape(tip)}</title>'
                        f'<rect class="fig-hit" x="{_n(cx - target / 2)}" y="{_n(cy - target / 2)}" width="{target}" height="{target}"/>'
                        f'{ring}<circle cx="{_n(cx)}" cy="{_n(cy)}" r="11"/>'
                        f'<text x="{_n(cx)}" y="{_n(cy + 4.5)}" class="fig-dot-text" text-anchor="middle" style="--fs: 12">{len(group)}</text></a>')
    title = f"{fig.title}, {start}–{end - 1}"
    desc = f"{title}. " + " ".join(f"{name}: {len(evs)} events." for name, evs in lanes)
    items = "".join(f"<li><strong>{escape(name)}</strong>: " + ", ".join(
        f'<a href="#ev-{escape(e.id)}">{escape(fmt_date(e.date))}, {escape(e.title)}</a>' for e in evs) + "</li>"
        for name, evs in lanes)
    shown = {e.id for _, evs in lanes for e in evs}
    window = _label(fig, "labels", "window").format(
        shown=len(shown), total=len(cat.data.events), start=start, end=end - 1, years=per_bin,
        first=min(_year(e.date) for e in cat.data.events))
    caption = escape(window) + _caption(cat, ctx, fig)
    return _figure("fig-timeline-lanes", width, height, title, desc, "".join(body), caption,
                   f'<ul class="fig-list">{items}</ul>', "The same events as a list", role=None)
