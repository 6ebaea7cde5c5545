"""overrides/partials holds three of Material's partials copied whole, each to change one attribute (Zensical uses
the same partials, where a MkDocs hook would not run). Each copy must be exactly the installed Material
partial plus that change, and the installed partial must be the version the copy was made from: when Material
changes it on an upgrade, this fails instead of the copy drifting silently."""
import hashlib
import re
from pathlib import Path

import material
import pytest

from conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates" / "partials"
HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.S)      # Material's "generated" note; our one-line note on the copy

# partial -> (sha256 of the Material 9.8.2 partial the copy was made from, [(upstream text, our text), …])
COPIES = {
    "search.html": ("bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30", [
        ('data-md-component="search" role="dialog">',
         'data-md-component="search" role="dialog" aria-label="Search this site">')]),
    "nav-item.html": ("89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7", [
        (' tabindex="{{ tabindex }}">', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>')]),
    # the light/dark toggle, run by docs/assets/start.js instead of Material's bundle (issue 21)
    "palette.html": ("fb935107ae7d3d7475965019eec36c1ad72bf1d154254dab2474921fcd2710e3", [
        ('<form class="md-header__option" data-md-component="palette">', '<form class="md-header__option" data-palette>')]),
}


def test_only_the_guarded_partials_are_copied():
    ours = {p.name for p in (ROOT / "overrides" / "partials").iterdir() if (MATERIAL / p.name).exists()}
    assert ours == set(COPIES), "a new copy of a Material partial needs an entry in COPIES (or a template block)"


@pytest.mark.parametrize("name", list(COPIES))
def test_copied_partial_is_upstream_plus_one_change(name):
    upstream_bytes = (MATERIAL / name).read_bytes()
    digest, changes = COPIES[name]
    assert hashlib.sha256(upstream_bytes).hexdigest() == digest, (
        f"Material's partials/{name} changed: copy the new one to overrides/partials/{name}, re-apply "
        f"{changes}, and store its sha256 here")
    expected = HEADER.sub("", upstream_bytes.decode("utf-8"))
    for old, new in changes:
        assert old in expected, f"{old!r} is no longer in Material's {name}"
        expected = expected.replace(old, new)
    copy = HEADER.sub("", (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8"))
    assert copy == expected, f"overrides/partials/{name} differs from Material's beyond {changes}"
