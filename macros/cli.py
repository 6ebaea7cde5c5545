"""Editors' command line (what `make sources` and `make stale` run).

    python -m macros.cli sources [data/asean_un.yml] [--docs docs]   every source-policy problem at once;
                                                                     exit 1 if there is any
    python -m macros.cli stale [data/asean_un.yml] [--today DAY]     changing facts and sources, oldest first
    python -m macros.cli kit SITE_DIR --site-name NAME               the reuse kits of a built site (engines whose
                                                                     export runs before the pages are written)

The build stops at the first source-policy problem; this lists them all, one `file:line: [id] problem;
suggestion` line each, then a count per rule on stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from pathlib import Path

from .pages import scan_page
from .errors import SiteError
from .evidence import coverage, data_citations, missing, page_citations, problem
from .freshness import STALE_AFTER_DAYS, changing_facts, open_questions, sources_by_checked
from .loader import load_data
from .policy import RULES, problems
from .site import read_pages


def sources(data_file: str, docs: Path) -> int:
    data = load_data(data_file)
    cites, calls = None, {}
    if docs.is_dir():
        calls = {f"docs/{path}": scan_page(f"docs/{path}", text) for path, text in read_pages(docs).items()}
        cites = {c.first for cs in calls.values() for c in cs if c.name == "cite" and c.first}
    found = problems(data, data_file, cites)
    for p in found:
        print(p)
    if cites is None:
        print(f"note: no pages at {docs}: sources cited only by pages could not be checked (rule 'uncited')",
              file=sys.stderr)
    counts = ", ".join(f"{rule} {n}" for rule in RULES if (n := sum(p.rule == rule for p in found)))
    print(f"{len(found)} source-policy problem(s)" + (f" ({counts})" if counts else ""), file=sys.stderr)
    every = [*data_citations(data, data_file), *page_citations(calls)]
    required = data.evidence == "required"
    if required:                       # the build stops at these; listed here all at once
        for c in missing(every):
            print(problem(c))
    with_words, total = coverage(every)
    print(f"evidence: {with_words}/{total} citations")
    return 1 if found or (required and with_words < total) else 0


def stale(data_file: str, today: dt.date) -> int:
    data = load_data(data_file)
    for title, items in (("Changing facts, oldest as_of first", changing_facts(data)),
                         ("Sources, oldest checked first (never checked at the top)", sources_by_checked(data)),
                         ("Open questions (what we could not verify), oldest checked first", open_questions(data))):
        old = sum(1 for d in items if d.day is None or d.age(today) > STALE_AFTER_DAYS)
        print(f"# {title}: {len(items)}, of which {old} over {STALE_AFTER_DAYS} days old or never checked")
        for d in items:
            print(d.describe(data_file, today))
    return 0


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)      # `… | head` ends quietly
    parser = argparse.ArgumentParser(prog="python -m macros.cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_src = sub.add_parser("sources", help="list every source-policy problem (exit 1 if any)")
    p_src.add_argument("data", nargs="?", default="data/asean_un.yml")
    p_src.add_argument("--docs", type=Path, default=None, help="pages to scan for cite() (default: docs/ beside data/)")
    p_old = sub.add_parser("stale", help="changing facts (by as_of) and sources (by checked), oldest first")
    p_old.add_argument("data", nargs="?", default="data/asean_un.yml")
    p_old.add_argument("--today", type=dt.date.fromisoformat, default=None,
                       help="count ages from this day, YYYY-MM-DD (default: today)")
    p_kit = sub.add_parser("kit", help="write the reuse kit (SVG, CSV, embed page) of every figure and table")
    p_kit.add_argument("site", type=Path)
    p_kit.add_argument("--site-name", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "kit":
            from .kit import write_all
            print(f"{write_all(args.site, args.site_name)} reuse kits written under {args.site / 'kit'}")
            return 0
        if args.command == "sources":
            return sources(args.data, args.docs or Path(args.data).resolve().parent.parent / "docs")
        return stale(args.data, args.today or dt.date.today())
    except SiteError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
