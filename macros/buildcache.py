"""The checked catalog, kept between builds in the project's .cache/ folder (as Material's plugins keep theirs).

Reading the data file, validating it and checking every page, citation and source against it takes about half a
second, and gives the same catalog for the same inputs. A build whose inputs have not changed since an earlier
build loads that catalog instead (a dozen milliseconds). The key is a hash of everything the catalog is made
from: the data file, the map data, every page (path and text), the macro names, the URL style, the build date
(dates and source ages are checked against it), the macros' own code, Python and the libraries whose answers
the checks depend on. Any change makes a new key, and so a full load with every check. Only a catalog that
passed every check is kept; a build that fails keeps nothing. `mkdocs serve` does not use it (it keeps the
catalog in memory, and shows errors instead of stopping).

The entries are pickles, read only from the project's own .cache/asean-un/ (whoever can write there can edit
macros/ too). A cache that cannot be read or written is ignored: the build loads the catalog the usual way.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
import unicodedata
from pathlib import Path
from types import MappingProxyType

FOLDER = Path(".cache") / "asean-un"
KEEP = 4                           # newest entries kept: a few branches or editions built in turn stay warm
HERE = Path(__file__).resolve().parent
# libraries whose answers the checks depend on: a new version (new files) makes a new key
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "ada_url", "publicsuffixlist", "confusable_homoglyphs")


def _code_stamp() -> bytes:
    parts = [sys.version.encode(), unicodedata.unidata_version.encode()]
    for path in sorted(HERE.glob("*.py")):
        parts += [path.name.encode(), path.read_bytes()]
    for name in _LIBRARIES:                 # found, not imported (some are imported only when a check needs them)
        spec = importlib.util.find_spec(name)
        file = spec.origin if spec else None
        try:
            st = Path(file).stat() if file else None
        except OSError:
            st = None
        parts.append(f"{name} {file} {st.st_mtime_ns if st else ''} {st.st_size if st else ''}".encode())
    return b"\0".join(parts)


def key(*inputs: bytes | str) -> str:
    """The entry's name for these inputs (and this code, Python and libraries)."""
    digest = hashlib.sha256(_code_stamp())
    for item in inputs:
        data = item.encode("utf-8", "surrogatepass") if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _proxy(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if type(obj) is MappingProxyType:        # read-only views of the catalog: pickled as what they show
            return _proxy, (dict(obj),)
        return NotImplemented


def load(project_dir: Path, name: str, kind: type):
    """The catalog kept under that key, or None. kind: the catalog's class as this process has it (an entry
    unpickled into another copy of the package, as an engine that loads it by path may have, is not used)."""
    try:
        with open(project_dir / FOLDER / f"catalog-{name}.pickle", "rb") as f:
            cat = pickle.load(f)  # noqa: S301 - the project's own cache, written by store() below
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: load it the usual way
        return None
    return cat if type(cat) is kind else None


def store(project_dir: Path, name: str, cat) -> None:
    """Keep the catalog under that key (written whole, then renamed: a parallel build never reads half of it),
    and drop all but the newest few entries."""
    folder = project_dir / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f".catalog-{name}.{os.getpid()}.part"
        with open(part, "wb") as f:
            _Pickler(f, protocol=pickle.HIGHEST_PROTOCOL).dump(cat)
        part.replace(folder / f"catalog-{name}.pickle")
        entries = sorted(folder.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass            # a read-only project, a full disk: the next build loads the catalog the usual way
