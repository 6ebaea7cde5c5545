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
from macros.safe import BIDI_CONTROLS, INVISIBLE

BUILDS = 3
PER_FIELD = 4
TOTALS = {"pairs": 0, "builds": 0}

# Random text the model accepts: no control, format, private-use, unassigned or invisible characters (the
# model names those: tests/test_broken_inputs.py), no combining marks (a pile of them is refused too).
random_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Mn", "Me"),
                                    blacklist_characters="".join(BIDI_CONTROLS | INVISIBLE)),
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


CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\r",
            # invisible, filler and noncharacters (issue 20): named in every text field too
            "\u200b", "\ufeff", "\u3164", "\u2060", "\uffff", "\ufffe", "\u115f"]


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


# CSV cells (issue 20): a formula behind white space or an invisible character, a full-width or small form
# of a formula character, or a DDE pipe gets the apostrophe too; ordinary text does not.
from macros.safe import csv_cell  # noqa: E402

CSV_FORMULAS = ["=1+1", "+1", "-1", "@SUM(1)", "|calc!A0", "\t=1", "\r=1", " =1", "\u00a0=1", "\u3000=1",
                "\u200b=1", "\ufeff=1", "\u2060+1", "\u200b \u200d@x", "\uff1d1+1", "\uff0bcmd", "\uff0d1",
                "\uff20SUM(1)", "\uff5ccalc", "\ufe66x", "\ufe62x", "\ufe63x", "\ufe6bx", "\u22121",
                "\u200b\uff1dHYPERLINK(\"http://evil.example\")", "\n=1"]
CSV_PLAIN = ["Veto", "1945", "a = b", "e-mail", "ASEAN+3", "x|y", "", "'=quoted already"]


@pytest.mark.parametrize("cell", CSV_FORMULAS, ids=[f"U+{ord(c[0]):04X}" + c[1:6].encode("unicode_escape").decode()
                                                     for c in CSV_FORMULAS])
def test_csv_cells_that_a_spreadsheet_could_run_are_neutralised(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", CSV_PLAIN)
def test_ordinary_csv_cells_are_unchanged(cell):
    assert csv_cell(cell) == cell
