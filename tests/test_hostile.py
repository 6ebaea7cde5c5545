"""Property: hostile values planted in every text field of every record kind stay inert.

A few builds, each with many payloads (hypothesis picks which fragments and which random text land in which
field): no built page may hold an event-handler attribute, a javascript:/data: URL, a script or style from
the data, an element that loads from outside, or a link made from a data value; every visible value is
shown as text, exactly; no CSV cell starts with a formula character. Control characters are rejected by
the model in every field (checked without building).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from macros.errors import SiteError
from macros.loader import parse_yaml, validate
from macros.safe import BIDI_CONTROLS

BUILDS = 3
PER_FIELD = 4
TOTALS = {"pairs": 0, "builds": 0}

random_text = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="".join(BIDI_CONTROLS)),
                      min_size=1, max_size=16)


@settings(max_examples=BUILDS, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@pytest.mark.build
@given(order=st.permutations(hostile.FRAGMENTS), extra=st.lists(random_text, min_size=10, max_size=20))
def test_hostile_values_stay_inert(order, extra):
    payloads = [p for pair in zip(order, extra + order) for p in pair] + order[len(extra):]
    project = Path(tempfile.mkdtemp(prefix="hostile-"))
    built, planter = hostile.build_poisoned(project, payloads, PER_FIELD)
    assert built.code == 0, built.output[-3000:]
    assert "Traceback" not in built.output
    problems, texts = hostile.scan_site(built.site)
    assert not problems, "\n".join(problems[:40])
    assert "print_page/index.html" in texts and "glossary/index.html" in texts
    assert not (missing := hostile.not_shown_literally(planter.planted, texts)), "\n".join(missing[:20])
    assert not (cells := hostile.formula_cells(built.site)), "\n".join(cells[:20])
    assert (built.site / "data" / "glossary.csv").is_file()
    TOTALS["pairs"] += planter.payload_field_pairs
    TOTALS["builds"] += 1
    print(f"\nhostile build {TOTALS['builds']}: {len(planter.planted)} fields x {PER_FIELD} payloads = "
          f"{planter.payload_field_pairs} payload-field pairs (running total {TOTALS['pairs']})")


CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\r"]


class OnePoison(hostile.Planter):
    """Clean values everywhere except one field, which gets a control character."""

    def __init__(self, index: int, char: str):
        super().__init__(["clean text"], 1)
        self.index, self.char = index, char

    def __call__(self, where, limit=None):
        value = super().__call__(where, limit)
        return f"bad{self.char}value" if len(self.planted) - 1 == self.index else value


def field_count() -> int:
    planter = hostile.Planter(["x"], 1)
    hostile.poisoned_data(planter)
    return len(planter.planted)


def test_control_characters_rejected_in_every_text_field():
    """Every text field gets a control character, the characters taking turns (each one lands in several
    fields): 40-odd validations, not one per character and field, so `make check` stays quick."""
    clean = yaml.safe_dump(hostile.poisoned_data(OnePoison(-1, CONTROLS[0])), allow_unicode=True, sort_keys=False)
    validate(parse_yaml(clean, "d.yml"), "d.yml")             # the same file without the character is fine
    fields = field_count()
    for index in range(fields):
        char = CONTROLS[index % len(CONTROLS)]
        planter = OnePoison(index, char)
        text = yaml.safe_dump(hostile.poisoned_data(planter), allow_unicode=True, sort_keys=False)
        with pytest.raises(SiteError) as err:
            validate(parse_yaml(text, "d.yml"), "d.yml")
        where = planter.planted[index][0]
        assert f"U+{ord(char):04X}" in str(err.value), f"{where}: {err.value}"
        assert err.value.line, f"{where}: no line in {err.value}"
    assert fields >= 40
