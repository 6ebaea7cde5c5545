"""MkDocs hook for the bench: write each page's macro-rendered Markdown (with its front matter) to a folder.

Enabled only when BENCH_DUMP_MARKDOWN names a directory; bench/run.py passes this file through `hooks:` in a
temporary config that INHERITs mkdocs.yml, so neither mkdocs.yml nor macros/ changes. MkDocs runs hooks
after the configured plugins, so `on_page_markdown` here sees what the macros plugin produced.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml


def on_page_markdown(markdown, page, config, files, **kwargs):
    out = os.environ.get("BENCH_DUMP_MARKDOWN")
    if out:
        target = Path(out) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(page.meta or {})
        front = ("---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=4096) + "---\n"
                 if meta else "")
        target.write_text(front + markdown, encoding="utf-8")
    return markdown
