"""Where a build's time goes: cProfile over `mkdocs build --strict`, summed by stage and by plugin.

    python scripts/profile_build.py [--serve-rebuild] [--top N] [--out FILE.prof] [PROJECT_DIR]

--serve-rebuild profiles what `mkdocs serve` does after an edit instead: one build to warm up, then a second
one with a fresh config in the same process, as serve's rebuilds run (the preview caches of hooks/preview.py
on). The numbers are cProfile's, so pure-Python code looks slower than it is next to C code; compare runs of
this script with each other, and use `make bench` for real timings.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

# (label, file suffix, function name): cumulative time, in this order
STAGES = [
    ("whole build", "mkdocs/commands/build.py", "build"),
    ("config: every plugin's on_config (macros: data, catalog)", "mkdocs/plugins.py", "on_config"),
    ("pages: macros (on_page_markdown)", "mkdocs/plugins.py", "on_page_markdown"),
    ("  of which Jinja compiles page templates", "jinja2/environment.py", "from_string"),
    ("pages: Markdown -> HTML (Page.render)", "mkdocs/structure/pages.py", "render"),
    ("pages: search indexing (on_page_context)", "mkdocs/plugins.py", "on_page_context"),
    ("pages: theme templates (_build_page)", "mkdocs/commands/build.py", "_build_page"),
    ("theme templates compiled (loader)", "jinja2/loaders.py", "load"),
    ("end of build (on_post_build: print page, search index, open data)", "mkdocs/plugins.py", "on_post_build"),
    ("  of which the print page (macros/printpage.py)", "macros/printpage.py", "write"),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> tuple[float, int] | None:
    """The largest cumulative time of a function of that name in that file (several classes may share it)."""
    found = [(cum, calls) for (path, _line, func), (_cc, calls, _tt, cum, _callers) in stats.stats.items()
             if func == name and path.endswith(suffix)]
    return max(found) if found else None


def summary(stats: pstats.Stats, top: int) -> str:
    total = cumulative(stats, "mkdocs/commands/build.py", "build")
    whole = total[0] if total else 1.0
    lines = [f"{'stage':68} {'seconds':>8} {'share':>6}"]
    for label, suffix, name in STAGES:
        found = cumulative(stats, suffix, name)
        if found:
            lines.append(f"{label:68} {found[0]:8.2f} {found[0] / whole:6.1%}")
    lines += ["", f"top {top} by own time:"]
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (path, line, func), (_cc, calls, tt, cum, _callers) in rows:
        where = path.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
        lines.append(f"  {tt:7.2f}s own {cum:7.2f}s cum {calls:>8}×  {where}:{line}({func})")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", nargs="?", default=".")
    ap.add_argument("--serve-rebuild", action="store_true")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--out", help="also save the raw profile here (for snakeviz, pstats …)")
    args = ap.parse_args()
    os.chdir(args.project)
    sys.path.insert(0, os.getcwd())

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tempfile.mkdtemp(prefix="profile-site-")
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    if args.serve_rebuild:
        config = load_config(config_file="mkdocs.yml", site_dir=site)
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        t0 = time.perf_counter()
        profiler.enable()
        build(load_config(config_file="mkdocs.yml", site_dir=site))
    else:
        profiler.enable()
        config = load_config(config_file="mkdocs.yml", site_dir=site, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
    profiler.disable()
    wall = time.perf_counter() - t0
    if args.out:
        profiler.dump_stats(args.out)
    print(f"{'serve rebuild' if args.serve_rebuild else 'mkdocs build --strict'} of {Path.cwd()}: "
          f"{wall:.2f} s under the profiler")
    print(summary(pstats.Stats(profiler), args.top))


if __name__ == "__main__":
    main()
