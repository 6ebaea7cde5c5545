"""The whole-site steps, run over the built site the same way on every engine.

mkdocs-macros' on_post_build calls `run` (macros/engine.py); Zensical, which calls no post-build hook, runs
`python scripts/postbuild.py [SITE_DIR]` after `zensical build` (scripts/canary.py does). The steps read only the
catalog and the files in site_dir, never an engine's objects:

- every entity `page:` with an #anchor points at an id that exists on its built page;
- no built page holds template syntax ('{{', '{%') outside code: nothing was left unrendered (not while
  previewing: the grammar already holds);
- the open data (YAML, JSON, CSV, JSON Schema) is written to site_dir/data/;
- the whole-site files of macros/publish.py (link previews, feeds, sitemap extras, teaching downloads, kept
  editions…);
- the whole site on one printable page (macros/printpage.py), filled into the built /print_page/;
- our stylesheets and scripts minified, as readers download them (the sources in docs/assets stay readable).
"""
from __future__ import annotations

from pathlib import Path

import rcssmin
import rjsmin

from . import printpage, publish
from .catalog import Catalog
from .errors import SiteError
from .pages import leftover_template
from .site import check_anchors, write_open_data


def built_pages(cat: Catalog, site_dir: Path) -> dict[str, Path]:
    """Each page's source path (docs-relative) and its built HTML file, for the pages that were built."""
    out = {}
    for src in cat.page_meta:
        url = cat.url_of(src)
        built = site_dir / (url + "index.html" if url.endswith("/") or url == "" else url)
        if built.is_file():
            out[src] = built
    return out


def check_leftovers(cat: Catalog, site_dir: Path) -> None:
    """Template syntax in a built page's HTML outside <pre>/<code>: a located error (the built file's line)."""
    for src, built in built_pages(cat, site_dir).items():
        line = leftover_template(built.read_text(encoding="utf-8"))
        if line:
            raise SiteError("template syntax left unrendered in the built page",
                            file=built.relative_to(site_dir.parent).as_posix() if site_dir.parent in built.parents
                            else str(built), line=line,
                            hint=f"its source is docs/{src}: write the braces inside {{% raw %}} … {{% endraw %}}")


def run(cat: Catalog, project_dir: Path, site_dir: Path, preview: bool = False,
        settings: publish.Settings | None = None) -> None:
    """Every whole-site step; the first problem raises a SiteError. A preview (`mkdocs serve`) skips the
    leftover-template check: the page grammar already holds (it is a safety net for what is published).
    settings: the site's name, address and edition, for publish.write_all (None: not written)."""
    check_anchors(cat, site_dir)
    if not preview:
        check_leftovers(cat, site_dir)
    write_open_data(cat, project_dir, site_dir)
    if settings is not None:
        publish.write_all(cat, settings, site_dir, preview)
        printpage.write(cat, built_pages(cat, site_dir), settings, preview)
    minify_assets(site_dir)


MINIFY = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_assets(site_dir: Path) -> None:
    """Our stylesheets and scripts in site_dir/assets (docs/assets/*.css and *.js, and the ones the build writes
    beside them), without comments and spare spaces: about a third less to download, gzipped. Material's own
    files, in the folders below, come minified; the kits have read site.css by now (publish.write_all)."""
    folder = site_dir / "assets"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        minify = MINIFY.get(path.suffix)
        if minify is not None and path.is_file() and ".min." not in path.name:
            fresh = path.with_name(path.name + ".min-tmp")
            fresh.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")
            fresh.replace(path)         # a new file: an engine that linked the output to the source keeps it
