"""`make edition`: cut a dated, permanent, citable copy of the whole site (see macros/editions.py for the design).

    python scripts/edition.py [DAY]      # DAY: YYYY-MM-DD, default today (SOURCE_DATE_EPOCH's day if set)

1. The work tree must be committed: an edition is the site at one commit, and its record names that commit.
2. The site is built with EDITION=DAY (the banner and "Cite this edition" on every page); with SITE_URL set, the
   edition's own address is SITE_URL + editions/DAY/.
3. The built copy goes to editions/DAY/ and a record to the data file's `editions:` section; both are committed.
   The next build publishes it at /editions/DAY/, every live page that it has links to it, and `make addresses`
   puts its addresses under contract. Nothing ever deletes an edition: the build fails if a record loses its copy.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from macros.editions import FOLDER  # noqa: E402
from macros.site import DATA_FILE, build_date  # noqa: E402

SECTION = "editions:   # dated, permanent copies of the site (make edition); never remove one\n"


def fail(message: str) -> None:
    print(f"make edition: {message}", file=sys.stderr)
    sys.exit(1)


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


def add_record(text: str, day: str, commit: str) -> str:
    """The data file with the edition's record added at the end of its `editions:` section (made if missing)."""
    record = f"- id: {day}\n  commit: {commit}\n"
    m = re.search(r"^editions:.*\n", text, re.M)
    if m is None:
        return text.rstrip("\n") + "\n" + SECTION + record
    nxt = re.search(r"^[a-z_]+:", text[m.end():], re.M)      # the next top-level section, if any
    at = m.end() + nxt.start() if nxt else len(text)
    return text[:at].rstrip("\n") + "\n" + record + text[at:]


def cut(project: Path, day: str, commit_it: bool = True) -> Path:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        fail(f"'{day}' is not a day: write YYYY-MM-DD")
    dt.date.fromisoformat(day)
    if git(project, "status", "--porcelain", "--untracked-files=no").strip():
        fail("commit your changes first: an edition is the site at one commit, and its record names it")
    out = project / FOLDER / day
    if out.exists():
        fail(f"{FOLDER}/{day}/ exists already: an edition is never replaced (cut the next one another day)")
    commit = git(project, "rev-parse", "HEAD").strip()
    env = {**os.environ, "EDITION": day, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if os.environ.get("SITE_URL"):
        env["SITE_URL"] = os.environ["SITE_URL"].rstrip("/") + f"/{FOLDER}/{day}/"
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "site"
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(built)], cwd=project,
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            fail("the edition did not build:\n" + (proc.stdout + proc.stderr)[-3000:])
        # no 404 page: the host serves the live site's for every address, an edition's included (and a 404 page
        # links root-absolute, which under /editions/DAY/ would point at the live site's files anyway)
        shutil.copytree(built, out, ignore=shutil.ignore_patterns("sitemap.xml.gz", "404.html"))
    data = project / DATA_FILE
    data.write_text(add_record(data.read_text(encoding="utf-8"), day, commit), encoding="utf-8")
    if commit_it:
        git(project, "add", "--", f"{FOLDER}/{day}", DATA_FILE)
        git(project, "commit", "-q", "-m", f"Edition of {day}: a permanent, citable copy of the site as of "
                                           f"{commit[:12]}, published at /{FOLDER}/{day}/")
    print(f"edition {day}: {FOLDER}/{day}/ (from {commit[:12]}); run `make addresses` to put its addresses under "
          "contract")
    return out


if __name__ == "__main__":
    cut(ROOT, sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else build_date().isoformat())
