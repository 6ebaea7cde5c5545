"""The whole-site steps for an engine that calls no post-build hook (Zensical): after `zensical build`, run

    python scripts/postbuild.py [SITE_DIR]          # default: site/ of the project in the current directory

It loads the catalog as a build does (data file and pages, every page checked against the page grammar) and
runs macros/postbuild.py over the built site: the anchor checks, the leftover-template check, the open data and
the whole-site files of macros/publish.py (feeds, editions, teaching downloads).
Exit status 1 with the located message on the first problem. MkDocs and ProperDocs run the same steps from
mkdocs-macros' on_post_build.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml


def main() -> int:
    project = Path.cwd()
    sys.path.insert(0, str(project))
    from macros import editions, engine, postbuild, publish, site
    from macros.errors import SiteError

    class Tagged(yaml.SafeLoader):          # mkdocs.yml's !ENV and !!python tags: read as plain values
        pass
    Tagged.add_multi_constructor("", lambda loader, suffix, node: None)

    def env_tag(loader, node):              # !ENV [NAME, …, default]: as MkDocs reads it (site_url, edition)
        names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
        default = names.pop() if len(names) > 1 else None
        return next((os.environ[n] for n in names if os.environ.get(n) is not None), default)
    Tagged.add_constructor("!ENV", env_tag)
    conf = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Tagged)  # noqa: S506
    site_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else project / conf.get("site_dir", "site")
    try:
        cat = site.load_site(project, project / conf.get("docs_dir", "docs"), list(engine.PAGE_MACROS),
                             conf.get("use_directory_urls", True))
        settings = publish.settings_of(conf, project, editions.edition_of((conf.get("extra") or {}).get("edition")))
        postbuild.run(cat, project, site_dir, settings=settings)
    except SiteError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
