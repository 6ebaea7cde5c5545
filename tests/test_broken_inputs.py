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
                     ["data/asean_un.yml:64: [veto] duplicate glossary id 'veto' (first defined on line 57)"]),
    "dangling see-also": (data_case("see_also: [veto]", "see_also: [vetoo]"), None,
                          ["[p5] unknown glossary or entity id 'vetoo' in see_also of 'p5'", "did you mean 'veto'?"]),
    "unknown source": (data_case("    source: charter\n    pin: Art. 27(3)", "    source: chartre\n    pin: Art. 27(3)"),
                       None, ["data/asean_un.yml:57: [veto] unknown source id 'chartre'", "did you mean 'charter'?"]),
    "missing required field": (data_case("    definition: The five permanent members of the Security Council.\n", ""),
                               None, ["data/asean_un.yml:64: [p5] required field 'definition' is missing"]),
    "wrong type": (data_case("primary: true", "primary: sometimes"), None,
                   ["data/asean_un.yml:2: [charter] sources.0.primary: Input should be a valid boolean"]),
    "bad date": (data_case("date: 1945-06-26\n    title: Charter signed", "date: 1945-02-30\n    title: Charter signed"),
                 None, ["data/asean_un.yml:50: [charter-signed]", "'1945-02-30' is not a real date"]),
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
                               ["data/asean_un.yml:34: [un] 'un' cites ¶14, but the article has 13 paragraphs; use a paragraph number from 1 to 13"]),
    "citation after sources()": (None, {"extra.md": "# X\n\n{{ sources() if false else '' }}{{ infobox('un') }}\n{{ sources() }}\n{{ infobox('unsc') }}\n"},
                                 ["docs/extra.md", "a citation comes after sources() on this page"]),
}

CHARTER_URL = "    url: https://www.un.org/en/about-us/un-charter/full-text\n"
NEW_SOURCE = "  - id: {id}\n    title: Another text\n    publisher: un\n{more}    checked: 2026-11-30\nfact_keys:\n"

# The source policy (macros/policy.py): one case per rule, each naming the exact line and id.
POLICY_CASES = {
    "url host not the publisher's": (
        data_case(CHARTER_URL, "    url: https://www.example.org/charter\n"), None,
        ["data/asean_un.yml:2: [charter] url host 'www.example.org' does not belong to publisher 'un' "
         "(its domains: un.org, undocs.org)", "set 'publisher' to whoever owns that host"]),
    "url on a blocked host": (
        data_case(CHARTER_URL, "    url: https://en.wikipedia.org/wiki/Charter_of_the_United_Nations\n"), None,
        ["data/asean_un.yml:2: [charter] url https://en.wikipedia.org/wiki/Charter_of_the_United_Nations is on "
         "blocked host 'wikipedia.org'", "keep that address in 'via'"]),
    "primary on a secondary publisher without a symbol": (
        data_case("    publisher: iseas\n", "    publisher: iseas\n    primary: true\n"), None,
        ["data/asean_un.yml:9: [lin-2024] primary: true, but publisher 'iseas' is secondary and the source has "
         "no UN document symbol", "set 'primary: false'"]),
    "two sources with the same address": (
        data_case("fact_keys:\n", NEW_SOURCE.format(
            id="charter-again", more="    url: http://un.org/en/about-us/un-charter/full-text/\n")),
        {"extra.md": "# X\n\nAgain{{ cite('charter-again') }}\n\n{{ sources() }}\n"},
        ["data/asean_un.yml:13: [charter-again] same address as source 'charter' (line 2): "
         "http://un.org/en/about-us/un-charter/full-text/", "cite 'charter' (with a pin) and delete this one"]),
    "a source nothing cites": (
        data_case("fact_keys:\n", NEW_SOURCE.format(id="never-cited", more="")), None,
        ["data/asean_un.yml:13: [never-cited] source is cited nowhere", "cite it where it supports a claim, or delete it"]),
    "a source without checked": (
        data_case("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n"), None,
        ["data/asean_un.yml:9: [lin-2024] source has no 'checked' date", "add 'checked: YYYY-MM-DD'"]),
    "unknown publisher id (a typo)": (
        data_case("    publisher: un\n", "    publisher: unn\n"), None,
        ["data/asean_un.yml:2: [charter] unknown publisher 'unn' (not an id in the 'publishers' registry)",
         "did you mean 'un'?"]),
    "publisher given by name, not id": (
        data_case("    publisher: un\n", "    publisher: United Nations\n"), None,
        ["data/asean_un.yml:2: [charter] unknown publisher 'United Nations'", "use the publisher's id: 'publisher: un'"]),
    "registry: a domain that is not bare and lowercase": (
        data_case("    domains: [un.org, undocs.org]\n", "    domains: [https://UN.org, undocs.org]\n"), None,
        ["data/asean_un.yml:84: [un] publisher domain 'https://UN.org' must be lowercase"]),
    "registry: a domain listed under two publishers": (
        data_case("    domains: [fulcrum.sg, iseas.edu.sg]\n", "    domains: [fulcrum.sg, un.org]\n"), None,
        ["data/asean_un.yml:88: [iseas] domain 'un.org' is listed twice (also under publisher 'un', line 84)"]),
    "registry: a blocked host listed twice": (
        V + "  - host: wikipedia.org\n    kind: wiki\n    reason: Again.\n", None,
        ["data/asean_un.yml:96: [wikipedia.org] blocked host 'wikipedia.org' is listed twice (first on line 93)"]),
    "registry: a publisher's domain is blocked": (
        data_case("    domains: [fulcrum.sg, iseas.edu.sg]\n", "    domains: [fulcrum.sg, de.wikipedia.org]\n"), None,
        ["data/asean_un.yml:88: [iseas] publisher domain 'de.wikipedia.org' is on blocked host 'wikipedia.org'"]),
}
CASES.update(POLICY_CASES)


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
