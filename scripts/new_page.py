"""`make new KIND=institution ID=foo NAME="Foo Organisation"`: scaffold an entity page and its nav entry.

An institution (instrument, crisis, recommendation) needs three things: a record in data/asean_un.yml, a page
docs/<section>/<id>.md and a nav entry in mkdocs.yml. This writes the page and the nav entry, prints the data
record to paste (its summary left empty on purpose: the build fails until it is written), and says what to run.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# kind -> (folder under docs/ and data section, nav section title in mkdocs.yml)
KINDS = {"institution": ("institutions", "Institutions"), "instrument": ("instruments", "Instruments"),
         "crisis": ("crises", "Crises"), "recommendation": ("recommendations", "Recommendations")}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PAGE = """\
---
entity: {id}
---
# {name} {{ #{id} }}

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
  name: {name}
  summary:            # one sentence, at most 260 characters (the build fails while this is empty)
  related: []         # at least one id of an institution, instrument, crisis, recommendation or actor
  facts: []           # at least one: - {{key: founded, value: "…", source: <source id>}}; see data/README.md
  article: []         # at least one: - {{para: 4, says: "what Lin says of it, in your words"}}
"""


class Refused(Exception):
    """Nothing was written: the message says why."""


def add_nav_entry(config: str, section_title: str, name: str, path: str) -> str:
    """mkdocs.yml with '- "name": path' appended to the nav section (text edit: comments and order kept)."""
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
    entry = '      - "{}": {}\n'.format(name.replace("\\", "\\\\").replace('"', '\\"'), path)
    return "".join(lines[:end] + [entry] + lines[end:])


def scaffold(root: Path, kind: str, ident: str, name: str) -> str:
    """Write the page and the nav entry; return what the editor does next."""
    if kind not in KINDS:
        raise Refused(f"KIND must be one of {', '.join(KINDS)} (got '{kind}')")
    if not SLUG.match(ident or ""):
        raise Refused(f"ID must be lower-case words joined by hyphens, e.g. 'aha-centre' (got '{ident}')")
    if not name.strip():
        raise Refused('NAME is empty: give the full name, e.g. NAME="ASEAN Regional Forum"')
    folder, title = KINDS[kind]
    rel = f"{folder}/{ident}.md"
    page = root / "docs" / rel
    if page.exists():
        raise Refused(f"docs/{rel} already exists")
    config = root / "mkdocs.yml"
    new_config = add_nav_entry(config.read_text(encoding="utf-8"), title, name.strip(), rel)
    page.write_text(PAGE.format(id=ident, name=name.strip()), encoding="utf-8")
    config.write_text(new_config, encoding="utf-8")
    return (f"wrote docs/{rel} and its nav entry in mkdocs.yml (section {title}).\n"
            f"Next:\n"
            f"  1. add this record to data/asean_un.yml under '{folder}:' and fill it in (data/README.md):\n\n"
            f"{RECORD.format(id=ident, name=name.strip())}\n"
            f"  2. write the page's prose; `make serve` shows it, and any mistake as file:line: message.\n"
            f"     Once events in the data file list '{ident}' in 'related', add a section before Related:\n"
            f"     ## Timeline {{ #timeline }} with {{{{ timeline(\"{ident}\") }}}}\n"
            f"  3. make test-fast        (data, pages, strict build)\n"
            f"  4. make addresses        (puts /{folder}/{ident}/ and its anchors under the address contract)\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind"), parser.add_argument("id"), parser.add_argument("name")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        print(scaffold(args.root, args.kind, args.id, args.name))
    except Refused as exc:
        print(f"make new: {exc}; nothing was written", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
