"""The loader: YAML -> typed models, with file:line and id in every error."""
import pytest

from conftest import valid_data
from macros.errors import SiteError
from macros.loader import parse_yaml, validate


def load(text):
    return validate(parse_yaml(text, "data.yml"), "data.yml")


def test_valid_fixture_loads_with_lines():
    data = load(valid_data())
    assert [s.id for s in data.sources] == ["charter", "lin-2024"]
    assert data.institutions[0].line == 20          # the line the '- id: un' mapping starts on
    assert data.institutions[0].facts[1].as_of == "2024-10-01"


def test_dates_stay_strings_and_partial_dates_are_allowed():
    text = valid_data().replace("date: 1945-06-26\n    url", "date: 1945-06\n    url")
    assert load(text).sources[0].date == "1945-06"


@pytest.mark.parametrize("bad, message", [
    ("2021-02-30", "'2021-02-30' is not a real date"),
    ("26 June 1945", "a date must look like"),
    ("1945-13", "is not a real date"),
])
def test_bad_dates(bad, message):
    with pytest.raises(SiteError, match=message) as err:
        load(valid_data().replace("date: 1945-06-26\n    url", f"date: {bad}\n    url"))
    assert err.value.line == 2 and err.value.item == "charter"


def test_missing_field_names_line_and_id():
    text = valid_data().replace("    summary: The world organisation of states.\n", "")
    with pytest.raises(SiteError) as err:
        load(text)
    assert "required field 'summary' is missing" in str(err.value)
    assert err.value.item == "un" and err.value.line == 20


def test_unknown_field_is_a_typo_not_ignored():
    with pytest.raises(SiteError, match="unknown field 'sumary'"):
        load(valid_data().replace("    summary: The world", "    sumary: x\n    summary: The world"))


def test_duplicate_yaml_key():
    with pytest.raises(SiteError, match="duplicate key 'title'") as err:
        load(valid_data().replace("    title: Charter of the United Nations\n",
                                  "    title: Charter of the United Nations\n    title: again\n"))
    assert err.value.line == 4                  # the second title, not the mapping it sits in


def test_empty_and_non_mapping_files():
    with pytest.raises(SiteError, match="the data file is empty"):
        load("")
    with pytest.raises(SiteError, match="must be a mapping of sections, not a list"):
        load("- a\n- b\n")


def test_malformed_yaml_has_a_line():
    with pytest.raises(SiteError, match="malformed YAML") as err:
        load("sources:\n  - id: a\n   title: b\n")
    assert err.value.line == 3


def test_bad_slug_and_paragraph_range():
    with pytest.raises(SiteError, match="String should match pattern"):
        load(valid_data().replace("- id: veto", "- id: Veto Power"))
    with pytest.raises(SiteError, match="greater than or equal to 1"):
        load(valid_data().replace("para: 4", "para: 0"))      # the upper bound is the article record's (catalog)


def test_duplicate_key_check_is_linear():
    """40,000 keys in one mapping: the old pairwise check took 21-77 s here; one pass takes about 1 s."""
    import time

    keys = 40_000
    text = "root:\n" + "".join(f"  k{i}: {i}\n" for i in range(keys)) + "  k7: again\n"
    start = time.perf_counter()
    with pytest.raises(SiteError) as err:
        parse_yaml(text, "big.yml")
    elapsed = time.perf_counter() - start
    assert err.value.line == keys + 2 and "duplicate key 'k7' (first written on line 9)" in str(err.value)
    assert elapsed < 10, f"{elapsed:.1f} s for {keys} keys"


def test_a_definition_that_opens_with_a_question_is_refused_at_its_line():
    """The glossary, the hover previews and search show a definition's opening: it says what the term is."""
    question = "definition: How can one country block the Council? The power of a permanent member to block"
    with pytest.raises(SiteError, match=r"opens with a question \('How can one …\?'\): a definition opens by "
                                        r"saying what the term is") as err:
        load(valid_data().replace("definition: The power of a permanent member to block", question))
    assert str(err.value).startswith("data.yml:57: [veto] glossary.0.definition: ")
    assert "put the question in the teaching questions instead" in str(err.value)


@pytest.mark.parametrize("definition", [
    "The power of a permanent member (who else?) to block a Council decision.",   # a question inside a sentence
    "The power to block a Council decision. Why does it matter? Because one 'no' defeats a draft.",
    "The power that 'Who governs?' debates are about: a permanent member can block a Council decision.",
])
def test_a_question_after_the_opening_statement_is_allowed(definition):
    data = load(valid_data().replace("definition: The power of a permanent member to block a Council decision.",
                                     f'definition: "{definition}"'))
    assert data.glossary[0].definition == definition
