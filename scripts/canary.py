"""The engine canary: build the site with MkDocs, ProperDocs and Zensical, and say what differs.

    python scripts/canary.py [--keep DIR]          (what `make canary` runs, after installing the engines)

* ProperDocs (MkDocs 1.x carried on) must produce the same files with the same bytes, apart from its
  generator tag.
* Zensical (Material's successor) must produce every page and every address (page file + each id in the
  page's main text) of the MkDocs build, with the same main text (the article element's text, whitespace
  normalised) and links in it that lead to the same addresses, apart from the differences listed in KNOWN (each one also listed, with its plan, in README).

* Zensical calls no post-build hook: scripts/postbuild.py runs the whole-site steps over its build (anchor
  checks, leftover-template check, open data) with Zensical's own Python, and the open data must be the same
  bytes as MkDocs'.
* On every engine, a page outside the page grammar (macros/pages.py) stops the build with the same located
  message.

Exit status 0 when all hold, 1 otherwise; every difference is printed either way.
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANARY = Path(os.environ.get("CANARY_DIR", ROOT / ".canary"))   # the engines' venvs (make canary installs them)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

# What Zensical does not do (yet), each with where it shows and the plan; README "Engines" lists the same.
# (The print page was one until it became a post-build step over the built site, macros/printpage.py.)
KNOWN: dict = {}
KNOWN_PAGES = {page for known in KNOWN.values() for page in known.get("pages", [])}
# Text that differs only in form, removed from both sides before comparing main text.
NORMALISE = []

_GENERATOR = re.compile(r'\s*<meta name="generator" content="[^"]*"\s*/?>')


# --- reading a built page ---------------------------------------------------------------------------------

class _Main(HTMLParser):
    """The text and the ids inside <article class="md-content__inner …">, Material's main content element."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # open elements inside the article (the article itself counts 1)
        self.skip = 0
        self.text: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.found = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0:
            if tag == "article" and "md-content__inner" in (attrs.get("class") or "").split():
                self.depth, self.found = 1, True
            return
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"])
        if tag in self.SKIP:
            self.skip += 1
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth and dict(attrs).get("id"):
            self.ids.append(dict(attrs)["id"])

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            if tag in self.SKIP and self.skip:
                self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)


@dataclass(frozen=True)
class Page:
    text: str                   # main text, whitespace normalised
    ids: frozenset[str]         # ids inside the main text: the page's linkable anchors
    found: bool                 # the page has a main content element at all
    links: tuple[str, ...] = () # where each link in the main text leads, as a site-absolute address


def read_page(html: str, path: str = "index.html") -> Page:
    """The main text, ids and link targets of the page built at path (site-relative, e.g. 'a/index.html')."""
    parser = _Main()
    parser.feed(html)
    parser.close()
    text = " ".join(" ".join(parser.text).split())
    for pattern, replacement in NORMALISE:
        text = re.sub(pattern, replacement, text)
    return Page(text, frozenset(parser.ids), parser.found, tuple(resolve(path, href) for href in parser.links))


def resolve(path: str, href: str) -> str:
    """A link as the address it leads to: '../b/#x' on 'a/index.html' -> '/b/#x'; external links unchanged.

    Resolved below a base path, as on a host that serves the site from a folder: a link that climbs above
    the site's root comes out as 'outside the site: …' (at a host's root a browser would hide the mistake).
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
        return href
    target, _, anchor = href.partition("#")
    here = posixpath.join(_BASE, posixpath.dirname(path))
    full = posixpath.normpath(posixpath.join(here, target)) if target else here
    if not target or target.endswith(("/", "/.", "/..")) or target in (".", ".."):
        full = full.rstrip("/") + "/"
    full = full.removesuffix("index.html")
    if not (full + "/").startswith(_BASE + "/"):
        return f"outside the site: {href}"
    return (full.removeprefix(_BASE) or "/") + (f"#{anchor}" if anchor else "")


_BASE = "/base/path"


def html_pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


# --- comparing ------------------------------------------------------------------------------------------

def text_diff(expected: str, got: str, limit: int = 3) -> list[str]:
    """The first few differing runs of words, as '- expected' / '+ got' with a little context."""
    a, b = expected.split(), got.split()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(a[max(0, i1 - 6):i1])
        out.append(f"    …{before} [-{' '.join(a[i1:i2])[:300]}-] [+{' '.join(b[j1:j2])[:300]}+]")
        if len(out) == limit:
            out.append("    …")
            break
    return out


def compare_pages(reference: dict[str, str], other: dict[str, str], known_pages=frozenset()) -> list[str]:
    """Differences of main text and addresses between two builds (page path -> HTML); [] when none."""
    problems = []
    for path in sorted(reference):
        if path not in other:
            if path not in known_pages:
                problems.append(f"{path}: page missing")
            continue
        ref, got = read_page(reference[path], path), read_page(other[path], path)
        if not got.found and ref.found:
            problems.append(f"{path}: no main content element")
            continue
        missing = sorted(ref.ids - got.ids)
        if missing:
            problems.append(f"{path}: {len(missing)} address(es) missing: " + ", ".join(f"#{i}" for i in missing[:12])
                            + (" …" if len(missing) > 12 else ""))
        if ref.text != got.text:
            problems.append(f"{path}: main text differs")
            problems.extend(text_diff(ref.text, got.text))
        if ref.links != got.links:
            wrong = [(a, b) for a, b in zip(ref.links, got.links) if a != b]
            problems.append(f"{path}: links lead elsewhere ({len(ref.links)} vs {len(got.links)} links; "
                            f"{len(wrong)} differ)")
            problems.extend(f"    {a} -> {b}" for a, b in wrong[:3])
    return problems


def extra_pages(reference: dict[str, str], other: dict[str, str]) -> list[str]:
    return sorted(set(other) - set(reference))


def same_files(reference: Path, other: Path) -> list[str]:
    """Every file, byte for byte, apart from the generator tag (and gzip headers, which carry a time)."""
    problems = []
    ref = {p.relative_to(reference).as_posix() for p in reference.rglob("*") if p.is_file()}
    got = {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    problems += [f"{p}: missing" for p in sorted(ref - got)]
    problems += [f"{p}: extra" for p in sorted(got - ref)]
    for rel in sorted(ref & got):
        a, b = (reference / rel).read_bytes(), (other / rel).read_bytes()
        if rel.endswith(".gz"):
            a, b = gzip.decompress(a), gzip.decompress(b)
        elif rel.endswith(".html"):
            a = _GENERATOR.sub("", a.decode("utf-8")).encode()
            b = _GENERATOR.sub("", b.decode("utf-8")).encode()
        if a != b:
            problems.append(f"{rel}: differs")
            if rel.endswith(".html"):
                ra, rb = read_page(a.decode()), read_page(b.decode())
                problems.extend(text_diff(ra.text, rb.text) if ra.text != rb.text else
                                [f"    (markup only) {_first_line_diff(a.decode(), b.decode())}"])
    return problems


def _first_line_diff(a: str, b: str) -> str:
    for x, y in zip(a.splitlines(), b.splitlines()):
        if x != y:
            return f"{x.strip()[:150]!r} != {y.strip()[:150]!r}"
    return "length differs"


def read_site(site: Path) -> dict[str, str]:
    return {rel: p.read_text(encoding="utf-8") for rel, p in html_pages(site).items()}


# --- building ------------------------------------------------------------------------------------------

def run(cmd: list[str], cwd: Path) -> None:
    print("$", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=900)
    if proc.returncode:
        sys.exit(f"canary: the build failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def build_mkdocs(out: Path) -> Path:
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out / "mkdocs")], ROOT)
    return out / "mkdocs"


def build_properdocs(out: Path) -> Path:
    run([str(CANARY / "properdocs" / "bin" / "properdocs"), "build", "--strict", "-d", str(out / "properdocs")], ROOT)
    return out / "properdocs"


def build_zensical(out: Path, project: Path = ROOT) -> Path:
    """Zensical has no output option and keeps site_dir inside the project: a config beside mkdocs.yml that
    inherits it and only moves site_dir, removed afterwards. Then the whole-site steps, which Zensical does not
    run itself: scripts/postbuild.py, with Zensical's Python."""
    config = project / ".canary-zensical.yml"
    site = project / "site-zensical"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {site.name}\n", encoding="utf-8")
    try:
        run([str(CANARY / "zensical" / "bin" / "zensical"), "build", "--clean", "-f", config.name], project)
    finally:
        config.unlink()
    run([str(CANARY / "zensical" / "bin" / "python"), str(ROOT / "scripts" / "postbuild.py"), str(site)], project)
    shutil.rmtree(out / "zensical", ignore_errors=True)
    shutil.move(site, out / "zensical")
    return out / "zensical"


# --- the page grammar on every engine ------------------------------------------------------------------

BAD_PAGE = "# Not a call\n\nThe title is {{ page.title }}.\n"
BAD_MESSAGE = "docs/canary-bad.md:3: '{{ page.title }}' is not a macro call"


GOOD_PAGE = "# Home\n\nA page inside the grammar: text and {{ term(\"veto\") }}.\n"


def grammar_refused(out: Path) -> list[str]:
    """The project's code, data, theme and mkdocs.yml with two pages, one inside the grammar and one outside
    it: each engine must stop with the located message and build nothing from the bad page. Returns the
    engines that did not. Two pages, not the whole docs/: the scan is the same code on one page or fifty, and
    Zensical, which renders every page before it reports a failure, takes 1.5 s on two pages and 18 s on all."""
    project = out / "grammar"
    shutil.rmtree(project, ignore_errors=True)
    for part in ("data", "macros", "hooks", "overrides"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(GOOD_PAGE, encoding="utf-8")
    (project / "docs" / "canary-bad.md").write_text(BAD_PAGE, encoding="utf-8")
    engines = {"mkdocs": [sys.executable, "-m", "mkdocs", "build", "-d", str(out / "grammar-site")],
               "properdocs": [str(CANARY / "properdocs" / "bin" / "properdocs"), "build", "-d",
                              str(out / "grammar-site")],
               "zensical": [str(CANARY / "zensical" / "bin" / "zensical"), "build", "--clean"]}
    failed = []
    for name, cmd in engines.items():
        proc = subprocess.run(cmd, cwd=project, env=ENV, capture_output=True, text=True, timeout=900)
        said = proc.stdout + proc.stderr
        ok = proc.returncode != 0 and BAD_MESSAGE in said and "The title is" not in _built_text(project, out)
        print(f"{name}: {'refused, located' if ok else 'NOT refused as it should be'}"
              + ("" if ok else f" (exit {proc.returncode}):\n{said[-1500:]}"))
        if not ok:
            failed.append(name)
    return failed


def _built_text(project: Path, out: Path) -> str:
    for page in (out / "grammar-site" / "canary-bad" / "index.html", project / "site" / "canary-bad" / "index.html"):
        if page.is_file():
            return page.read_text(encoding="utf-8")
    return ""


def same_data(reference: Path, other: Path) -> list[str]:
    """The open data (site/data/, the page docs/data.md aside) byte for byte."""
    problems = []
    for path in sorted((reference / "data").rglob("*")):
        if path.is_file() and path.suffix != ".html":
            rel = path.relative_to(reference).as_posix()
            twin = other / rel
            if not twin.is_file():
                problems.append(f"{rel}: missing")
            elif twin.read_bytes() != path.read_bytes():
                problems.append(f"{rel}: differs")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (default: a temporary one)")
    parser.add_argument("--mkdocs-site", type=Path, help="an MkDocs build of this checkout to compare with "
                        "(default: build one)")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="canary-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        # The three builds are independent processes: run at once, they finish in the time of the slowest.
        with ThreadPoolExecutor(max_workers=3) as pool:
            mk_job = None if args.mkdocs_site else pool.submit(build_mkdocs, out)
            pd_job, zs_job = pool.submit(build_properdocs, out), pool.submit(build_zensical, out)
            mk = args.mkdocs_site or mk_job.result()
            pd, zs = pd_job.result(), zs_job.result()
        failed = False

        print("\n== ProperDocs against MkDocs (every file, apart from the generator tag)")
        problems = same_files(mk, pd)
        print("\n".join(problems) if problems else "identical")
        failed |= bool(problems)

        print("\n== Zensical against MkDocs (every page, address, main text and link)")
        reference, other = read_site(mk), read_site(zs)
        problems = compare_pages(reference, other, KNOWN_PAGES)
        print("\n".join(problems) if problems else "every page, address, main text and link matches")
        failed |= bool(problems)
        for name, known in KNOWN.items():
            print(f"known: {name}: {known['why']} ({', '.join(known.get('pages', []))})")
        extra = extra_pages(reference, other)
        if extra:
            print("only in Zensical's build (not a failure):", ", ".join(extra))

        print("\n== Zensical's open data (scripts/postbuild.py) against MkDocs' (byte for byte)")
        problems = same_data(mk, zs)
        print("\n".join(problems) if problems else "identical")
        failed |= bool(problems)

        print("\n== A page outside the grammar, on every engine")
        failed |= bool(grammar_refused(out))
        print("\ncanary:", "FAILED" if failed else "passed")
        return 1 if failed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
