"""Catalogue of broken inputs: each builds a tiny real MkDocs project and must fail loudly and clearly.

Every case asserts a non-zero exit, the expected message (file, line, id, suggestion) and no Python
traceback in what the editor sees.
"""
import pytest

from conftest import valid_data

V = valid_data()


def data_case(old, new):
    assert old in V, old
    return V.replace(old, new, 1)


CASES = {
    # name: (data text or None, extra pages or None, expected message fragments)
    "malformed YAML": (V.replace("  - id: p5\n", "  - id: p5\n   bad: [\n"), None,
                       ["data/asean_un.yml:", "malformed YAML"]),
    "empty file": ("", None, ["data/asean_un.yml: the data file is empty"]),
    "duplicate id": (data_case("  - id: p5\n", "  - id: veto\n"), None,
                     ["data/asean_un.yml:62: [veto] duplicate glossary id 'veto' (first defined on line 55)"]),
    "dangling see-also": (data_case("see_also: [veto]", "see_also: [vetoo]"), None,
                          ["[p5] unknown glossary or entity id 'vetoo' in see_also of 'p5'", "did you mean 'veto'?"]),
    "unknown source": (data_case("    source: charter\n    pin: Art. 27(3)", "    source: chartre\n    pin: Art. 27(3)"),
                       None, ["data/asean_un.yml:55: [veto] unknown source id 'chartre'", "did you mean 'charter'?"]),
    "missing required field": (data_case("    definition: The five permanent members of the Security Council.\n", ""),
                               None, ["data/asean_un.yml:62: [p5] required field 'definition' is missing"]),
    "wrong type": (data_case("primary: true", "primary: sometimes"), None,
                   ["data/asean_un.yml:2: [charter] sources.0.primary: Input should be a valid boolean"]),
    "bad date": (data_case("date: 1945-06-26\n    title: Charter signed", "date: 1945-02-30\n    title: Charter signed"),
                 None, ["data/asean_un.yml:48: [charter-signed]", "'1945-02-30' is not a real date"]),
    "unknown field (typo)": (data_case("    aliases: [veto power]", "    alias: [veto power]"), None,
                             ["[veto] unknown field 'alias'"]),
    "changing fact without as_of": (data_case('value: "15"\n        source: charter\n        as_of: 2024-10-01\n',
                                              'value: "15"\n        source: charter\n'), None,
                                    ["fact 'members' of 'unsc' can change over time but has no as_of date"]),
    "unknown id in a page macro": (None, {"extra.md": "# X\n\nSee the\n{{ term('vetoo') }}.\n"},
                                   ["docs/extra.md:4: unknown glossary id 'vetoo' in term(); did you mean 'veto'?"]),
    "unknown entity in ref": (None, {"extra.md": "# X\n\n{{ ref('unsc2') }}\n"},
                              ["docs/extra.md:3: unknown entity id 'unsc2' in ref(); did you mean 'unsc'?"]),
    "unknown macro name": (None, {"extra.md": "# X\n\n{{ trem('veto') }}\n"},
                           ["docs/extra.md:3: unknown macro 'trem'; did you mean 'term'?"]),
    "jinja in a code block": (None, {"extra.md": "# X\n\n```yaml\nname: {{ site }}\n```\n"},
                              ["docs/extra.md:4: '{{', '{%' or '{#' inside a code block would run as a macro",
                               "{% raw %}"]),
    "undefined variable": (None, {"extra.md": "# X\n\n{{ glosary }}\n"},
                           ["docs/extra.md:3: 'glosary' is undefined", "did you mean 'glossary'?"]),
    "internals are not template variables": (None, {"extra.md": "# X\n\n{{ catalog.data }}\n"},
                                             ["docs/extra.md:3: 'catalog' is undefined"]),
    "entity without a page": (V.replace("  - id: unsc\n", "  - id: unsc\n    page: institutions/council.md\n"), None,
                              ["[unsc] entity 'unsc' lives on page 'institutions/council.md', which does not exist"]),
    "paragraph out of range": (data_case("para: 4", "para: 14"), None,
                               ["data/asean_un.yml:32: [un] 'un' cites ¶14, but the article has 13 paragraphs; use a paragraph number from 1 to 13"]),
    "citation after sources()": (None, {"extra.md": "# X\n\n{{ sources() if false else '' }}{{ infobox('un') }}\n{{ sources() }}\n{{ infobox('unsc') }}\n"},
                                 ["docs/extra.md", "a citation comes after sources() on this page"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_input_fails_with_clear_message(mini, name):
    data, pages, expected = CASES[name]
    result = mini(data=data, extra_pages=pages)
    assert result.code != 0, f"{name}: build passed but should fail\n{result.output}"
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output, result.output


def test_script_in_data_comes_out_escaped(mini):
    evil = V.replace("The world organisation of states.", "<script>alert('x')</script> & friends")
    result = mini(data=evil, extra_pages={"extra.md": "# X\n\n{{ ref('un') }}\n"})
    assert result.code == 0, result.output
    html = result.html("extra/index.html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; friends" in html


def test_the_valid_mini_project_builds_cleanly(mini):
    result = mini()
    assert result.code == 0, result.output
    assert "WARNING" not in result.output
    assert 'id="veto"' in result.html("glossary/index.html")
