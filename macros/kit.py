"""The reuse kit of every figure and comparison table: a self-contained SVG (figures), a CSV of its data, its own
citation and a minimal embed page, each with the licence and the credit line.

Two halves:

* `box()` is pure: the links under a figure or table, added to the macro's output when the page renders
  (macros/engine.py), so every engine shows them right after the figure or table;
* `write_all()` is a whole-site step over the built site: it reads each page's figures and tables back from the
  HTML (the same markup the reader sees) and the site's stylesheet (the light scheme's colours), and writes
  `kit/<page key>/<id>/` with `<id>.svg`, `<id>.csv` and `index.html` (the embed page). A figure's id can repeat
  on several pages (the ASEAN map on the home page and on ASEAN's), so the page is part of the address.
"""
from __future__ import annotations

import csv
import functools
import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .safe import csv_cell, escape

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
_FIG_ID = re.compile(r'<figure class="fig" id="([^"]+)"')
_FIG_TITLE = re.compile(r'<title id="[^"]+-title">(.*?)</title>', re.S)
# A comparison table (macros/render.py _table): its block carries the anchor, its caption sits above the scroller.
_TABLE_ID = re.compile(r'<figure class="table-block" id="([^"]+)"')
_CAPTION = re.compile(r'<figcaption class="table-caption" id="[^"]+">(.*?)(?:<span class="caption-note">|</figcaption>)',
                      re.S)
MARK = "data-kit"
_NOT_IN_SVG = (".fig-data", ".fig-list", ".fig-key", ".fig-sw", ".fig-block")   # rules for the page around a figure


def page_key(page_url: str) -> str:
    """'institutions/asean/' -> 'institutions-asean'; the home page -> 'index' (as the print page names pages)."""
    return page_url.strip("/").replace("/", "-").removesuffix(".html") or "index"


def folder(page_url: str, item_id: str) -> str:
    return f"kit/{page_key(page_url)}/{item_id}/"


@dataclass(frozen=True)
class Credit:
    site_name: str
    page_title: str
    address: str          # the page's address: absolute with site_url, else site-relative ('/compare/…/')
    changed: str          # ISO day of the page's last change

    def line(self, title: str) -> str:
        return f"“{title}”, from {self.site_name} ({self.page_title}), {self.address}. Licence: {LICENCE} ({LICENCE_URL})."

    def citation(self, title: str, kind: str, item_id: str) -> str:
        """APA 7 style, as the page's own citation (macros/citation.py), with the figure or table named."""
        import datetime as dt
        day = dt.date.fromisoformat(self.changed)
        return (f"{self.site_name}. ({day.year}, {day.strftime('%B')} {day.day}). {title} [{kind.capitalize()}]. "
                f"In {self.page_title}. {self.address}#{item_id}")


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def box(rendered: str, href, page_url: str, credit: Credit) -> str:
    """The rendered figure or table, followed by its reuse links. href(site_path) makes a link from the page."""
    if (m := _FIG_ID.search(rendered)):
        kind, item_id = "figure", m.group(1)
        title = _plain(t.group(1)) if (t := _FIG_TITLE.search(rendered)) else item_id
    elif (m := _TABLE_ID.search(rendered)):
        kind, item_id = "table", m.group(1)
        title = _plain(c.group(1)) if (c := _CAPTION.search(rendered)) else item_id
    else:
        return rendered
    base = folder(page_url, item_id)
    e = escape          # this HTML sits in the page's Markdown: inert to it and to Jinja (macros/safe.py)
    links = ([f'<a href="{e(href(base + item_id + ".svg"))}" download>SVG</a>'] if kind == "figure" else []) + [
        f'<a href="{e(href(base + item_id + ".csv"))}" download>CSV of the data</a>',
        f'<a href="{e(href(base))}">Embed page</a>']
    return (f'{rendered}<div class="kit" {MARK}="{e(base)}" data-kit-kind="{kind}" data-kit-title="{e(title)}" '
            f'data-kit-page="{e(credit.page_title)}" data-kit-address="{e(credit.address)}" '
            f'data-kit-changed="{e(credit.changed)}" data-kit-url="{e(page_url)}">'
            f'<p class="kit-links"><span class="kit-label">Reuse this {kind}:</span> {" · ".join(links)}</p>'
            f'<details class="kit-cite"><summary>Cite this {kind}</summary>'
            f'<p>{e(credit.citation(title, kind, item_id))}</p></details>'
            f'<p class="kit-licence">{LICENCE}: reuse it with the credit “{e(credit.site_name)}” and a link. '
            f'Downloads carry the credit line.</p></div>')


# --- the whole-site step: files from the built pages -------------------------------------------------------

def light_css(site_css: str, kind: str) -> str:
    """The figure rules of the site's stylesheet with the light scheme's colours written in (no custom property
    left), for an SVG that stands alone. Rules inside @media blocks (dark scheme, print, phone) are left out."""
    colours = {}
    if (block := re.search(r':root,\s*\[data-md-color-scheme="default"\]\s*\{([^}]*--fig-[^}]*)\}', site_css)):
        colours = dict(re.findall(r"(--fig-[\w-]+)\s*:\s*([^;]+);", block.group(1)))
    top = _top_level(re.sub(r"/\*.*?\*/", "", site_css, flags=re.S))
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", top):
        selectors = [s.strip() for s in selector.split(",")]
        if not all(s.startswith((".fig-svg ", ".fig-map .fig-svg", ".fig-locator .fig-svg"))
                   or re.fullmatch(r"\.fig-[\w-]+(:hover|:focus)?( \w+)?", s) for s in selectors):
            continue
        if any(s == ".fig-svg" or s.startswith(_NOT_IN_SVG) for s in selectors):
            continue
        decls = []
        for decl in body.split(";"):
            decl = re.sub(r"var\((--fig-[\w-]+)\)", lambda m: colours.get(m.group(1), m.group(0)), decl.strip())
            if decl and "var(" not in decl:
                decls.append(decl)
        if decls:
            sel = ", ".join(re.sub(r"^\.fig-(map|locator) \.fig-svg", r".fig-svg.fig-\1", s) for s in selectors)
            rules.append(f"{sel} {{ {'; '.join(decls)} }}")
    rules.append(f'svg.fig-svg {{ font-family: {FONT}; }}')
    return "\n".join(rules)


def _top_level(css: str) -> str:
    """The stylesheet without its @-blocks (their nested braces removed whole)."""
    out, i = [], 0
    while (at := css.find("@", i)) != -1:
        out.append(css[i:at])
        brace = css.find("{", at)
        if brace == -1:
            break
        depth, j = 1, brace + 1
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        i = j
    else:
        out.append(css[i:])
    return "".join(out)


def figure_svg(page_html: str, item_id: str) -> str | None:
    """The <svg> of the figure with this id, as the page has it (read as text: an HTML parser would lowercase
    SVG's mixed-case attributes such as viewBox)."""
    at = page_html.find(f'<figure class="fig" id="{item_id}">')
    start = page_html.find("<svg", at) if at != -1 else -1
    end = page_html.find("</svg>", start) if start != -1 else -1
    return page_html[start:end + len("</svg>")] if end != -1 else None


def standalone_svg(svg: str, kind: str, css: str, title: str, credit: Credit) -> str:
    """The figure's SVG on its own: namespace, size, a white background, the light scheme's colours and a font
    inline, links unwrapped (they point into the site), and the credit and licence lines under the drawing."""
    head = svg[:svg.index(">") + 1]
    body = svg[len(head):-len("</svg>")]
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', head).group(1).split())
    labelled = m.group(1) if (m := re.search(r'aria-labelledby="([^"]*)"', head)) else ""
    body = re.sub(r"<a\b[^>]*>|</a>", "", body)
    body = re.sub(r'\s(?:tabindex|focusable|aria-describedby)="[^"]*"', "", body)
    body = body.replace("&nbsp;", "&#160;")
    import textwrap
    lines = textwrap.wrap(credit.line(title), width=max(40, int((w - 12) / 5.6)))   # ~5.6 units a character at 10
    total = h + 10 + 14 * len(lines)
    e = lambda s: html.escape(s, quote=False)  # noqa: E731
    credit_text = "".join(f'<text x="{x + 6:g}" y="{y + h + 16 + 14 * i:g}" style="font-size: 10px; fill: #333333; stroke: none">{e(t)}</text>'
                          for i, t in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="fig-svg fig-{kind}" viewBox="{x:g} {y:g} {w:g} {total:g}" '
            f'width="{w:g}" height="{total:g}" role="img" aria-labelledby="{labelled}">'
            f"<style>{e(css)}</style>"
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{total:g}" fill="#ffffff"/>{body}'
            f'<g class="credit">{credit_text}</g></svg>\n')


def table_rows(data) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a table (or, for a figure whose data is a list, its items) as plain text: citation
    markers and ¶ links left out; a line break or a 'then' value starts a new clause."""
    for junk in data.xpath('.//sup[contains(@class,"cite")] | .//a[contains(@class,"headerlink")] | .//caption'):
        junk.drop_tree()
    for br in data.xpath(".//br"):
        br.tail = "; " + (br.tail or "")
    for then in data.xpath('.//span[contains(@class,"then")]'):
        then.text = "; " + (then.text or "")
    text = lambda el: " ".join(el.text_content().split())   # noqa: E731
    table = data if data.tag == "table" else data.find(".//table")
    if table is None:                          # a list: "<strong>group</strong>: item, item" makes group/item rows
        rows = []
        for li in data.xpath(".//li"):
            group, parts = li.find("strong"), li.findall("a")
            rows += ([[text(group), text(a)] for a in parts] if group is not None and parts else [["", text(li)]])
        return ["Group", "Item"], rows
    head = [text(th) for th in table.xpath("./thead/tr/th")]
    rows = [[text(c) for c in tr.xpath("./th|./td")] for tr in table.xpath("./tbody/tr")]
    return head, rows


def csv_text(title: str, head: list[str], rows: list[list[str]], credit: Credit) -> str:
    out = io.StringIO()
    out.write(f"# {title}\n# Credit: {credit.line(title).split(' Licence: ')[0]}\n"
              f"# Licence: {LICENCE} ({LICENCE_URL})\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in head])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return out.getvalue()


def embed_page(title: str, inner: str, css: str, credit: Credit, live: str) -> str:
    """A page with the figure or table and nothing of the site's chrome, for an iframe; no script, no request."""
    e = lambda s: html.escape(s, quote=True)   # noqa: E731
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(title)} · {e(credit.site_name)}</title><meta name="robots" content="noindex">
<meta name="description" content="{e(title)}: from {e(credit.page_title)} on {e(credit.site_name)}, to embed or reuse under {LICENCE}."><link rel="canonical" href="{e(live)}">
<style>
body {{ margin: 0; padding: 12px; font-family: {FONT}; color: #1f2430; background: #fff; font-size: 15px; }}
figure {{ margin: 0; }} svg {{ max-width: 100%; height: auto; display: block; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; }}
th, td {{ border: 1px solid #d0d4dc; padding: 6px 8px; text-align: left; vertical-align: top; }}
thead th {{ background: #eef0f5; }} caption {{ text-align: left; font-weight: 700; padding-bottom: 6px; }}
.credit {{ font-size: 12px; color: #4a5060; margin-top: 8px; }} a {{ color: #2b4aa0; }}
{css}
</style></head>
<body><figure>{inner}</figure>
<p class="credit">{e(title)}. From <a href="{e(live)}" target="_top">{e(credit.site_name)}: {e(credit.page_title)}</a>.
Licence: <a href="{LICENCE_URL}" target="_top">{LICENCE}</a>.</p>
</body></html>
"""


def _relative(from_dir: str, to_url: str) -> str:
    import posixpath
    path, _, anchor = to_url.partition("#")
    rel = posixpath.relpath(path or ".", from_dir.rstrip("/") or ".")
    rel = "./" if rel == "." else rel + ("/" if path.endswith("/") or path == "" else "")
    return rel + (f"#{anchor}" if anchor else "")


_ITEM = re.compile(rf'<div class="kit" {MARK}="([^"]+)" data-kit-kind="(\w+)" data-kit-title="([^"]*)" '
                   r'data-kit-page="([^"]*)" data-kit-address="([^"]*)" data-kit-changed="([^"]*)" data-kit-url="([^"]*)"')


def items(page_html: str):
    """(folder, kind, title, page url, Credit) of every kit box on a built page, in page order."""
    for m in _ITEM.finditer(page_html):
        folder_, kind, title, page, address, changed, url = (html.unescape(g) for g in m.groups())
        yield folder_, kind, title, url, Credit("", page, address, changed)


def write_all(site_dir: Path, site_name: str) -> int:
    """Write the kit of every figure and table on the built pages (not the print page, not kits themselves).
    Everything a kit needs is on its box in the page (macros/engine.py put it there). Returns the count."""
    css_path = site_dir / "assets" / "site.css"
    site_css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
    count = 0
    for built in sorted(site_dir.rglob("*.html")):
        rel = built.relative_to(site_dir).parts
        if rel[0] in ("print_page", "kit", "editions"):
            continue
        text = built.read_text(encoding="utf-8")
        if MARK not in text:
            continue
        files, n = page_kits(text, site_css, site_name)
        for path, content in files:
            (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (site_dir / path).write_text(content, encoding="utf-8")
        count += n
    return count


@functools.lru_cache(maxsize=64)
def page_kits(text: str, site_css: str, site_name: str) -> tuple[tuple[tuple[str, str], ...], int]:
    """The kit files of one built page, (site-relative path, content) each, and how many kits: a function of
    the page's HTML, the stylesheet and the site's name only, so kept for the life of the process (under
    `mkdocs serve` most pages come out of a rebuild unchanged, and their kits with them)."""
    import dataclasses
    import lxml.html

    files: list[tuple[str, str]] = []
    count = 0
    doc = lxml.html.fromstring(text)
    for base, kind, title, page_url, credit in items(text):
        credit = dataclasses.replace(credit, site_name=site_name)
        item_id = base.rstrip("/").rsplit("/", 1)[1]
        out = base.rstrip("/") + "/"
        live = (credit.address if credit.address.startswith("http") else _relative(base, page_url)) + f"#{item_id}"
        e = lambda s: html.escape(s, quote=False)   # noqa: E731
        if kind == "figure":
            block = doc.get_element_by_id(item_id).getparent()
            fig_kind = next((c.removeprefix("fig-") for c in (block.get("class") or "").split()
                             if c.startswith("fig-") and c != "fig-block"), "figure")
            svg = standalone_svg(figure_svg(text, item_id), fig_kind, light_css(site_css, fig_kind), title, credit)
            files.append((f"{out}{item_id}.svg", svg))
            head, rows = table_rows(block.find_class("fig-data")[0])
            inner = svg
        else:
            head, rows = table_rows(doc.get_element_by_id(item_id).find(".//table"))
            inner = (f"<table><caption>{e(title)}</caption><thead><tr>"
                     + "".join(f'<th scope="col">{e(h)}</th>' for h in head) + "</tr></thead><tbody>"
                     + "".join("<tr>" + "".join((f'<th scope="row">{e(c)}</th>' if i == 0 else f"<td>{e(c)}</td>")
                                                for i, c in enumerate(r)) + "</tr>" for r in rows)
                     + "</tbody></table>")
        files.append((f"{out}{item_id}.csv", csv_text(title, head, rows, credit)))
        files.append((f"{out}index.html", embed_page(title, inner, "", credit, live)))
        count += 1
    return tuple(files), count
