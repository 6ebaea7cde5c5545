"""How a page describes itself to search engines and link previews: JSON-LD and Open Graph. Pure: catalog and page
facts in, plain values out (overrides/partials/page-head.html prints them).

* Every page is an `Article` (a `LearningResource` too when its front matter has `objectives`, which become
  `teaches`), `isBasedOn` the commentary (from the data file's article record), with `dateModified` (the page's
  last change) and the licence (CC BY 4.0).
* A page whose front matter says `describes: dataset` also describes the open data as a `Dataset`;
  `describes: glossary` describes the glossary as a `DefinedTermSet` of `DefinedTerm`s.
* Open Graph: title, description, type and a static card image per kind of page (docs/assets/cards/).

Addresses are absolute or absent: `url`, `@id`, `contentUrl`, `og:url` and `og:image` appear only when the site's
address (`site_url`, from SITE_URL) is known.
"""
from __future__ import annotations

import html
import json

from .catalog import Catalog

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CARD_DIR = "assets/cards"
# The card image of a page: by its top-level folder, else by its file; anything else is a reference page.
CARD_BY_FOLDER = {"institutions": "institution", "instruments": "instrument", "crises": "crisis",
                  "recommendations": "recommendation", "compare": "compare"}
CARD_BY_PAGE = {"index.md": "home", "article.md": "article", "teaching.md": "teaching", "data.md": "data",
                "about.md": "teaching"}
CARDS = ("home", "article", "institution", "instrument", "crisis", "recommendation", "compare", "reference",
         "teaching", "data")
OPEN_DATA = (("data/asean_un.json", "application/json"), ("data/asean_un.yml", "application/yaml"),
             ("data/facts.csv", "text/csv"), ("data/glossary.csv", "text/csv"), ("data/events.csv", "text/csv"),
             ("data/sources.csv", "text/csv"))


def card_of(src: str) -> str:
    folder = src.split("/", 1)[0] if "/" in src else None
    return CARD_BY_FOLDER.get(folder) or CARD_BY_PAGE.get(src) or "reference"


def _abs(site_url: str | None, path: str) -> str | None:
    return site_url.rstrip("/") + "/" + path if site_url else None


def _clean(value: dict) -> dict:
    """Drop the keys whose value is None (an address without site_url) or empty."""
    return {k: v for k, v in value.items() if v not in (None, [], "")}


def commentary(cat: Catalog) -> dict | None:
    """The article the site explains, as schema.org sees it: every part from its data records."""
    art = cat.data.article
    if art is None:
        return None
    src = cat.sources[art.source]
    return _clean({"@type": "ScholarlyArticle", "name": src.title, "url": src.url, "datePublished": src.date,
                   "author": {"@type": "Person", "name": art.author},
                   "publisher": {"@type": "Organization", "name": art.imprint},
                   "isPartOf": _clean({"@type": "Periodical", "name": art.container}),
                   "alternateName": art.series})


def page_graph(cat: Catalog, *, src: str, url: str, title: str, description: str | None, meta: dict,
               modified: str, site_name: str, site_url: str | None) -> dict:
    """The page's JSON-LD document."""
    objectives = [str(o) for o in meta.get("objectives") or []]
    page = _clean({
        "@type": ["Article", "LearningResource"] if objectives else "Article",
        "@id": _abs(site_url, url), "url": _abs(site_url, url),
        "headline": title, "name": title, "description": description, "inLanguage": "en",
        "dateModified": modified, "license": LICENSE,
        "isBasedOn": commentary(cat), "teaches": objectives,
        "educationalLevel": "Higher education" if objectives else None,
        "isPartOf": _clean({"@type": "WebSite", "name": site_name, "url": _abs(site_url, "")}),
        "image": _abs(site_url, f"{CARD_DIR}/{card_of(src)}.png"),
    })
    graph = [page]
    describes = meta.get("describes")
    if describes == "dataset":
        graph.append(dataset(cat, site_name, site_url, modified))
    elif describes == "glossary":
        graph.append(defined_terms(cat, site_name, site_url, url))
    return {"@context": "https://schema.org", "@graph": graph}


def dataset(cat: Catalog, site_name: str, site_url: str | None, modified: str) -> dict:
    return _clean({
        "@type": "Dataset", "@id": _abs(site_url, "data/#dataset"),
        "name": f"{site_name}: open data",
        "description": ("Every fact, source, passage, event, glossary entry and comparison behind the explainer, as "
                        "one YAML/JSON file and CSV tables, each claim with its source."),
        "license": LICENSE, "dateModified": modified, "inLanguage": "en",
        "creator": {"@type": "Organization", "name": f"The editors of {site_name}"},
        "isBasedOn": commentary(cat),
        "variableMeasured": [k.label for k in cat.data.fact_keys],
        "distribution": [{"@type": "DataDownload", "encodingFormat": kind, "contentUrl": _abs(site_url, path)}
                         for path, kind in OPEN_DATA] if site_url else None,
    })


def defined_terms(cat: Catalog, site_name: str, site_url: str | None, url: str) -> dict:
    return _clean({
        "@type": "DefinedTermSet", "@id": _abs(site_url, url + "#terms"),
        "name": f"{site_name}: glossary", "license": LICENSE,
        "hasDefinedTerm": [_clean({"@type": "DefinedTerm", "@id": _abs(site_url, f"{url}#{t.id}"),
                                   "url": _abs(site_url, f"{url}#{t.id}"), "termCode": t.id, "name": t.term,
                                   "alternateName": list(t.aliases), "description": t.definition})
                           for t in cat.data.glossary],
    })


def script_json(doc: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: every '<', '>' and '&' is a JSON unicode escape,
    so no '</script>' or '<!--' in the data can end or confuse the element."""
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def open_graph(*, src: str, url: str, title: str, description: str | None, site_name: str,
               site_url: str | None) -> list[tuple[str, str]]:
    """(property, content) pairs, content unescaped (the template escapes it)."""
    card = card_of(src)
    pairs = [("og:type", "website" if src == "index.md" else "article"), ("og:title", title),
             ("og:description", description), ("og:site_name", site_name), ("og:locale", "en_GB"),
             ("og:url", _abs(site_url, url)), ("og:image", _abs(site_url, f"{CARD_DIR}/{card}.png")),
             ("og:image:width", "1200" if site_url else None), ("og:image:height", "630" if site_url else None),
             ("og:image:alt", f"{site_name}: {card} page" if site_url else None),
             ("twitter:card", "summary_large_image" if site_url else "summary")]
    return [(k, v) for k, v in pairs if v]


def page_meta(cat: Catalog, *, src: str, url: str, meta: dict, modified: str, site_name: str,
              site_url: str | None) -> dict:
    """Page metadata for the head template (keys that shadow no macro)."""
    title = cat.page_title(src)
    description = meta.get("description")
    description = html.unescape(" ".join(str(description).split())) if description else None
    return {"ld_json": script_json(page_graph(cat, src=src, url=url, title=title, description=description,
                                              meta=meta, modified=modified, site_name=site_name,
                                              site_url=site_url)),
            # `attr` is name for Twitter's tags, property for Open Graph's (worked out here: Zensical's template
            # engine has no string methods)
            "open_graph": [{"property": k, "content": v, "attr": "name" if k.startswith("twitter:") else "property"}
                           for k, v in open_graph(src=src, url=url, title=title, description=description,
                                                  site_name=site_name, site_url=site_url)],
            "feed_base": site_url.rstrip("/") if site_url else None}
