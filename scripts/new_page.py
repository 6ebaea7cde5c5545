"""`make new KIND=institution ID=foo NAME="Foo Organisation"`: scaffold an entity page and its nav entry.

The Makefile hands KIND, ID and NAME over as environment variables (NEW_PAGE_KIND, NEW_PAGE_ID,
NEW_PAGE_NAME), never through a shell command line, so quotes, backticks or `$(…)` in them are just text.
The id must be a slug; the name may hold any printable character: the nav entry and the printed record are
written by a YAML library (and the nav entry read back to check it), the page heading with Markdown and
template characters written as character references.

An institution (instrument, crisis, recommendation) needs three things: a record in data/asean_un.yml, a page
docs/<section>/<id>.md and a nav entry in mkdocs.yml. This writes the page and the nav entry, prints the data
record to paste (its summary left empty on purpose: the build fails until it is written), and says what to run.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENV = ("NEW_PAGE_KIND", "NEW_PAGE_ID", "NEW_PAGE_NAME")
# kind -> (folder under docs/ and data section, nav section title in mkdocs.yml)
KINDS = {"institution": ("institutions", "Institutions"), "instrument": ("instruments", "Instruments"),
         "crisis": ("crises", "Crises"), "recommendation": ("recommendations", "Recommendations")}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PAGE = """\
---
entity: {id}
---
# {heading} {{ #{id} }}

## In brief {{ #in-brief }}

<!-- Two or three sentences in your own words; link terms with term() and entities with ref() (data/README.md). -->

## At a glance {{ #at-a-glance }}

{{{{ infobox("{id}") }}}}

## In the article {{ #in-the-article }}

{{{{ article_points("{id}") }}}}

## Notes and changes since 2024 {{ #notes }}

{{{{ notes("{id}") }}}}

## Related {{ #related }}

{{{{ related("{id}") }}}}

## Key terms {{ #key-terms }}

{{{{ key_terms() }}}}

## Sources {{ #sources }}

{{{{ sources() }}}}
"""

RECORD = """\
- id: {id}
  name: {name_yaml}
  summary:            # one sentence, at most 260 characters (the build fails while this is empty)
  related: []         # at least one id of an institution, instrument, crisis, recommendation or actor
  facts: []           # at least one: - {{key: founded, value: "…", source: <source id>}}; see data/README.md
  article: []         # at least one: - {{para: 4, says: "what Lin says of it, in your words"}}
"""


class Refused(Exception):
    """Nothing was written: the message says why."""


def yaml_scalar(text: str) -> str:
    """text as one double-quoted YAML scalar on one line (a YAML library writes the escapes)."""
    out = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1_000_000)
    return out.removesuffix("\n...\n").rstrip("\n")


class _NavLoader(yaml.SafeLoader):
    """mkdocs.yml uses !ENV and python tags; only the nav matters here."""


_NavLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_NavLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def nav_section(config: str, section_title: str) -> list:
    nav = yaml.load(config, Loader=_NavLoader).get("nav") or []   # noqa: S506 - a SafeLoader subclass
    return next((item[section_title] for item in nav if isinstance(item, dict) and section_title in item), [])


def add_nav_entry(config: str, section_title: str, name: str, path: str) -> str:
    """mkdocs.yml with '- "name": path' appended to the nav section (text edit: comments and order kept; the
    entry is written by the YAML library and the result read back: it must hold exactly that entry)."""
    lines = config.splitlines(keepends=True)
    head = next((i for i, line in enumerate(lines) if re.match(rf"^  - {re.escape(section_title)}:\s*$", line)), None)
    if head is None:
        raise Refused(f"mkdocs.yml has no nav section '  - {section_title}:'")
    end = head + 1
    while end < len(lines) and (lines[end].startswith("      ") or not lines[end].strip()):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    if any(re.search(rf":\s*{re.escape(path)}\s*$|^\s*-\s*{re.escape(path)}\s*$", line) for line in lines[head:end]):
        raise Refused(f"mkdocs.yml already lists {path}")
    entry = f"      - {yaml_scalar(name)}: {yaml_scalar(path)}\n"
    out = "".join(lines[:end] + [entry] + lines[end:])
    try:
        section = nav_section(out, section_title)
    except yaml.YAMLError as exc:
        raise Refused(f"the nav entry would leave mkdocs.yml unreadable ({exc})") from None
    if not section or section[-1] != {name: path}:
        raise Refused(f"the nav entry for {name!r} does not read back as written")
    return out


# Characters that would start Markdown, HTML or template syntax in the page's heading
_HEADING = {c: f"&#{ord(c)};" for c in "\\`*_{}[]<>&#|~!"}


def heading_text(name: str) -> str:
    return "".join(_HEADING.get(c, c) for c in name)


def name_problem(name: str) -> str | None:
    """Why a name cannot be an entity's name (it must be printable text on one line), or None."""
    if not name.strip():
        return 'NAME is empty: give the full name, e.g. NAME="ASEAN Regional Forum"'
    bad = next((c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")), None)
    if bad is not None:
        return (f"NAME holds U+{ord(bad):04X} {unicodedata.name(bad, 'a control character')}: a name is "
                "printable text on one line")
    return None


def scaffold(root: Path, kind: str, ident: str, name: str) -> str:
    """Write the page and the nav entry; return what the editor does next."""
    if kind not in KINDS:
        raise Refused(f"KIND must be one of {', '.join(KINDS)} (got '{kind}')")
    if not SLUG.match(ident or ""):
        raise Refused(f"ID must be lower-case words joined by hyphens, e.g. 'aha-centre' (got {ident!r})")
    if problem := name_problem(name):
        raise Refused(problem)
    folder, title = KINDS[kind]
    rel = f"{folder}/{ident}.md"
    page = root / "docs" / rel
    if page.exists():
        raise Refused(f"docs/{rel} already exists")
    config = root / "mkdocs.yml"
    new_config = add_nav_entry(config.read_text(encoding="utf-8"), title, name.strip(), rel)
    page.write_text(PAGE.format(id=ident, heading=heading_text(name.strip())), encoding="utf-8")
    config.write_text(new_config, encoding="utf-8")
    return (f"wrote docs/{rel} and its nav entry in mkdocs.yml (section {title}).\n"
            f"Next:\n"
            f"  1. add this record to data/asean_un.yml under '{folder}:' and fill it in (data/README.md):\n\n"
            f"{RECORD.format(id=ident, name_yaml=yaml_scalar(name.strip()))}\n"
            f"  2. write the page's prose; `make serve` shows it, and any mistake as file:line: message.\n"
            f"     Once events in the data file list '{ident}' in 'related', add a section before Related:\n"
            f"     ## Timeline {{ #timeline }} with {{{{ timeline(\"{ident}\") }}}}\n"
            f"  3. make test-fast        (data, pages, strict build)\n"
            f"  4. make addresses        (puts /{folder}/{ident}/ and its anchors under the address contract)\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", nargs="?"), parser.add_argument("id", nargs="?"), parser.add_argument("name", nargs="?")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    given = [args.kind, args.id, args.name]
    if given == [None, None, None]:                   # `make new`: from the environment, never a shell line
        given = [os.environ.get(name, "") for name in ENV]
    try:
        print(scaffold(args.root, *(value or "" for value in given)))
    except Refused as exc:
        print(f"make new: {exc}; nothing was written", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
