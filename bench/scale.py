"""Scaled copies of the project for the bench: N× the data, and the pages to show it.

`make_project(repo, dest, factor)` writes a temporary project in which every source, entity, glossary term
and event of data/asean_un.yml appears `factor` times: copy k (k ≥ 1) suffixes each id with `-x<k>` and
remaps every reference inside the copy (related, see_also, source, then.source, notes, event.related), so
every cross-reference stays valid; a copied source's address gets a fragment of its own (the source policy
allows one source per address). Fact keys, comparisons and matrices are shared, not copied.

Every page that shows exactly one entity (front matter `entity:`, or the entity's page) is copied once per
copy with its macro calls pointing at the copied ids, so the same macros render the new entities. Pages that
show everything (glossary, timeline, who's who, section listings) stay single and grow with the data.
Generated pages are not added to `nav` (a nav of thousands of entries is not how such a site would be
organised); the temporary config lowers `validation.omitted_files` to info for that reason only.

    python bench/scale.py time-validation data/asean_un.yml [repeats]   # a JSON line per phase
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from macros.pages import ID_POOLS  # noqa: E402 - the macros that take a data id, and from which pool

DATA = "data/asean_un.yml"
ENTITY_SECTIONS = ("institutions", "instruments", "crises", "recommendations", "actors")
SKIP_TOP = {"docs", "data", "site", ".git", ".venv", ".cache", "bench", "mkdocs.yml", "node_modules",
            ".pytest_cache", ".hypothesis", "__pycache__"}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _NoDates(_Loader):
    """Keep dates as text, exactly as the project's loader does."""


_NoDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_raw(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDates)  # noqa: S506 - safe loader


def entity_page(section: str, ent: dict) -> str:
    if ent.get("page"):
        return ent["page"]
    return f"who.md#{ent['id']}" if section == "actors" else f"{section}/{ent['id']}.md"


def single_entity_pages(raw: dict) -> dict[str, str]:
    """docs path -> entity id, for pages that host exactly one entity."""
    hosts: dict[str, list[str]] = {}
    for section in ENTITY_SECTIONS:
        for ent in raw.get(section) or []:
            hosts.setdefault(entity_page(section, ent).partition("#")[0], []).append(ent["id"])
    return {path: ids[0] for path, ids in hosts.items() if len(ids) == 1}


def copied_path(path: str, suffix: str) -> str:
    stem = path[:-3] if path.endswith(".md") else path
    return f"{stem}{suffix}.md"


def _clone(value):
    return json.loads(json.dumps(value))  # plain YAML data: much faster than copy.deepcopy


def multiply_data(raw: dict, factor: int, copied_pages: set[str]) -> dict:
    ids = {r["id"] for key in ("sources", *ENTITY_SECTIONS, "events", "glossary") for r in raw.get(key) or []}
    out = _clone(raw)
    for k in range(1, factor):
        sfx = f"-x{k}"

        def m(ident, sfx=sfx):
            return ident + sfx if ident in ids else ident

        def cite(rec, m=m):
            if "source" in rec:
                rec["source"] = m(rec["source"])
            return rec

        for src in raw.get("sources") or []:
            new = _clone(src)
            new["id"] = m(src["id"])
            # one document is one source (macros/policy.py): each copy gets an address of its own
            new["url"] = src["url"] + ("-" if "#" in src["url"] else "#") + f"bench-copy{sfx}"
            out["sources"].append(new)
        for section in ENTITY_SECTIONS:
            for ent in raw.get(section) or []:
                new = _clone(ent)
                new["id"] = m(ent["id"])
                new["name"] = f"{ent['name']} ({k})"
                if new.get("short"):
                    new["short"] = f"{ent['short']} ({k})"
                new["related"] = [m(r) for r in ent.get("related") or []]
                for fact in new.get("facts") or []:
                    cite(fact)
                    if fact.get("then"):
                        cite(fact["then"])
                for note in new.get("notes") or []:
                    cite(note)
                if ent.get("page"):
                    path, _, anchor = ent["page"].partition("#")
                    if path in copied_pages:
                        path = copied_path(path, sfx)
                    new["page"] = path + (f"#{m(anchor)}" if anchor else "")
                out[section].append(new)
        for ev in raw.get("events") or []:
            new = cite(_clone(ev))
            new["id"] = m(ev["id"])
            new["related"] = [m(r) for r in ev.get("related") or []]
            out["events"].append(new)
        for term in raw.get("glossary") or []:
            new = cite(_clone(term))
            new["id"] = m(term["id"])
            new["term"] = f"{term['term']} ({k})"
            new["aliases"] = [f"{a} ({k})" for a in term.get("aliases") or []]
            new["see_also"] = [m(s) for s in term.get("see_also") or []]
            out["glossary"].append(new)
    return out


_FIRST_ARG = re.compile(r"""(\{\{-?\s*(?P<name>[A-Za-z_]\w*)\s*\(\s*(?:\w+\s*=\s*)?)(['"])(.*?)\3""")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_ENTITY_LINE = re.compile(r"^(entity:\s*['\"]?)([a-z0-9-]+)", re.M)


def copy_page(text: str, ids: set[str], sfx: str) -> str:
    def m(ident: str) -> str:
        return ident + sfx if ident in ids else ident

    front = _FRONT.match(text)
    if front:
        head = _ENTITY_LINE.sub(lambda g: g.group(1) + m(g.group(2)), front.group(1))
        text = f"---\n{head}\n---\n" + text[front.end():]
    def call(g) -> str:   # only the macros that take a data id (figures keep drawing the original's data)
        ident = m(g.group(4)) if g.group("name") in ID_POOLS else g.group(4)
        return g.group(1) + g.group(3) + ident + g.group(3)
    return _FIRST_ARG.sub(call, text)


def link_farm(repo: Path, dest: Path, skip: set[str] = SKIP_TOP) -> None:
    """Symlink the repo's top-level entries (overrides/, macros/, hooks …) so relative config paths work."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in repo.iterdir():
        if entry.name not in skip:
            (dest / entry.name).symlink_to(entry)


def _cited_in(node) -> set[str]:
    """Every value of a `source:` key anywhere in the data (facts, then, notes, events, terms, figures' data)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("source"), str):
                found.add(item["source"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def make_project(repo: Path, dest: Path, factor: int) -> dict:
    """Write a factor× project in dest; return counts."""
    link_farm(repo, dest, SKIP_TOP | {"overrides"})
    shutil.copytree(repo / "docs", dest / "docs", symlinks=False)
    # The build publishes only the project's own files (a symlink out of docs/, data/ or overrides/ is refused),
    # so those are copies, not links.
    shutil.copytree(repo / "overrides", dest / "overrides", symlinks=False)
    (dest / "data").mkdir()
    for entry in (repo / "data").iterdir():
        if entry.name != Path(DATA).name:
            if entry.is_dir():
                shutil.copytree(entry, dest / "data" / entry.name, symlinks=False)
            else:
                shutil.copy(entry, dest / "data" / entry.name)
    raw = read_raw(repo / DATA)
    pages = {p: e for p, e in single_entity_pages(raw).items() if (repo / "docs" / p).is_file()}
    data = multiply_data(raw, factor, set(pages))
    ids = {r["id"] for key in ("sources", *ENTITY_SECTIONS, "events", "glossary") for r in raw.get(key) or []}
    generated, cited = 0, _cited_in(data)
    for path in pages:
        original = (repo / "docs" / path).read_text(encoding="utf-8")
        for k in range(1, factor):
            target = dest / "docs" / copied_path(path, f"-x{k}")
            text = copy_page(original, ids, f"-x{k}")
            cited.update(m.group(4) for m in _FIRST_ARG.finditer(text) if m.group("name") == "cite")
            target.write_text(text, encoding="utf-8")
            generated += 1
    # A source that only a single (uncopied) page cites would be a copy cited nowhere, which the source
    # policy rejects: such copies are left out. Every copy the copied data or pages cite stays.
    originals = {src["id"] for src in raw.get("sources") or []}
    data["sources"] = [src for src in data["sources"] if src["id"] in originals or src["id"] in cited]
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    (dest / DATA).write_text(text, encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        f"INHERIT: {repo / 'mkdocs.yml'}\n"
        "# generated pages are reached from listings, not from nav\n"
        "validation:\n  omitted_files: info\n", encoding="utf-8")
    counts = {key: len(data.get(key) or []) for key in ("sources", "events", "glossary")}
    counts["entities"] = sum(len(data.get(s) or []) for s in ENTITY_SECTIONS)
    counts["pages"] = sum(1 for _ in (dest / "docs").rglob("*.md"))
    counts["generated_pages"] = generated
    counts["data_bytes"] = len(text.encode())
    return counts


def time_validation(data_file: str, repeats: int) -> None:
    """Print one JSON line per phase (best of `repeats`, CPU seconds of this process, and wall seconds):
    parse (YAML), validate (pydantic), catalog (build_catalog). CPU time is the steadier figure on a busy
    machine. Lines are flushed as they come, so a caller that times out still gets the phases that finished.
    """
    from macros.catalog import build_catalog
    from macros.loader import collector_paused, parse_yaml, validate

    text = Path(data_file).read_text(encoding="utf-8")
    raw = data = None
    for phase in ("parse", "validate", "catalog"):
        cpu = wall = float("inf")
        for _ in range(repeats):
            c0, w0 = time.process_time(), time.perf_counter()
            with collector_paused() if phase != "catalog" else contextlib.nullcontext():   # as load_data does
                if phase == "parse":
                    raw = parse_yaml(text, data_file)
                elif phase == "validate":
                    data = validate(raw, data_file)
                else:
                    build_catalog(data, data_file)
            cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
        print(json.dumps({"phase": phase, "seconds": cpu, "wall": wall}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "time-validation":
        sys.path.insert(0, os.environ.get("BENCH_REPO", str(Path(__file__).resolve().parent.parent)))
        time_validation(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    else:
        sys.exit(__doc__)
