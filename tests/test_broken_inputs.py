"""Catalogue of broken inputs: each builds a tiny real MkDocs project and must fail loudly and clearly.

Every case asserts a non-zero exit, the expected message (file, line, id, suggestion) and no Python
traceback in what the editor sees.
"""
import pytest

from conftest import line_of, valid_data

V = valid_data()


def at(line: str, after: str | None = None) -> int:
    """The fixture's line number of `line` (conftest.line_of)."""
    return line_of(V, line, after)


CHARTER, LIN, UN, UNSC = at("  - id: charter"), at("  - id: lin-2024"), at("  - id: un"), at("  - id: unsc")
VETO, P5, SIGNED, PARA = at("  - id: veto"), at("  - id: p5"), at("  - id: charter-signed"), at("      - para: 4")
PUB_UN, PUB_ISEAS = at("  - id: un", after="publishers:"), at("  - id: iseas", after="publishers:")


def data_case(old, new):
    assert old in V, old
    return V.replace(old, new, 1)


CASES = {
    # name: (data text or None, extra pages or None, expected message fragments)
    "malformed YAML": (V.replace("  - id: p5\n", "  - id: p5\n   bad: [\n"), None,
                       ["data/asean_un.yml:", "malformed YAML"]),
    "empty file": ("", None, ["data/asean_un.yml: the data file is empty"]),
    "duplicate id": (data_case("  - id: p5\n", "  - id: veto\n"), None,
                     [f"data/asean_un.yml:{P5}: [veto] duplicate glossary id 'veto' (first defined on line {VETO})"]),
    "dangling see-also": (data_case("see_also: [veto]", "see_also: [vetoo]"), None,
                          ["[p5] unknown glossary or entity id 'vetoo' in see_also of 'p5'", "did you mean 'veto'?"]),
    "unknown source": (data_case("    source: charter\n    pin: Art. 27(3)", "    source: chartre\n    pin: Art. 27(3)"),
                       None, [f"data/asean_un.yml:{VETO}: [veto] unknown source id 'chartre'", "did you mean 'charter'?"]),
    "missing required field": (data_case("    definition: The five permanent members of the Security Council.\n", ""),
                               None, [f"data/asean_un.yml:{P5}: [p5] required field 'definition' is missing"]),
    "wrong type": (data_case("primary: true", "primary: sometimes"), None,
                   [f"data/asean_un.yml:{CHARTER}: [charter] sources.0.primary: Input should be a valid boolean"]),
    "bad date": (data_case("date: 1945-06-26\n    title: Charter signed", "date: 1945-02-30\n    title: Charter signed"),
                 None, [f"data/asean_un.yml:{SIGNED}: [charter-signed]", "'1945-02-30' is not a real date"]),
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
                           ["docs/extra.md:3: '{{ glosary }}' is not a macro call", "{% raw %}"]),
    "internals are not template variables": (None, {"extra.md": "# X\n\n{{ catalog.data }}\n"},
                                             ["docs/extra.md:3: '{{ catalog.data }}' is not a macro call"]),
    "entity without a page": (V.replace("  - id: unsc\n", "  - id: unsc\n    page: institutions/council.md\n"), None,
                              ["[unsc] entity 'unsc' lives on page 'institutions/council.md', which does not exist"]),
    "paragraph out of range": (data_case("para: 4", "para: 14"), None,
                               [f"data/asean_un.yml:{PARA}: [un] 'un' cites ¶14, but the article has 13 paragraphs; use a paragraph number from 1 to 13"]),
    "citation after sources()": (None, {"extra.md": "# X\n\n{{ infobox('un') }}\n{{ sources() }}\n{{ infobox('unsc') }}\n"},
                                 ["docs/extra.md", "a citation comes after sources() on this page"]),
}

CHARTER_URL = "    url: https://www.un.org/en/about-us/un-charter/full-text\n"
NEW_SOURCE = "  - id: {id}\n    title: Another text\n    publisher: un\n{more}    checked: 2026-11-30\nfact_keys:\n"

# The source policy (macros/policy.py): one case per rule, each naming the exact line and id.
POLICY_CASES = {
    "url host not the publisher's": (
        data_case(CHARTER_URL, "    url: https://www.example.org/charter\n"), None,
        [f"data/asean_un.yml:{CHARTER}: [charter] url host 'www.example.org' does not belong to publisher 'un' "
         "(its domains: un.org, undocs.org)", "set 'publisher' to whoever owns that host"]),
    "url on a blocked host": (
        data_case(CHARTER_URL, "    url: https://en.wikipedia.org/wiki/Charter_of_the_United_Nations\n"), None,
        [f"data/asean_un.yml:{CHARTER}: [charter] url https://en.wikipedia.org/wiki/Charter_of_the_United_Nations is on "
         "blocked host 'wikipedia.org'", "keep that address in 'via'"]),
    "primary on a secondary publisher without a symbol": (
        data_case("    publisher: iseas\n", "    publisher: iseas\n    primary: true\n"), None,
        [f"data/asean_un.yml:{LIN}: [lin-2024] primary: true, but publisher 'iseas' is secondary and the source has "
         "no UN document symbol", "set 'primary: false'"]),
    "two sources with the same address": (
        data_case("fact_keys:\n", NEW_SOURCE.format(
            id="charter-again", more="    url: http://un.org/en/about-us/un-charter/full-text/\n")),
        {"extra.md": "# X\n\nAgain{{ cite('charter-again') }}\n\n{{ sources() }}\n"},
        [f"data/asean_un.yml:{at('fact_keys:')}: [charter-again] same address as source 'charter' (line {CHARTER}): "
         "http://un.org/en/about-us/un-charter/full-text/", "cite 'charter' (with a pin) and delete this one"]),
    "a source nothing cites": (
        data_case("fact_keys:\n", NEW_SOURCE.format(id="never-cited", more="")), None,
        [f"data/asean_un.yml:{at('fact_keys:')}: [never-cited] source is cited nowhere", "cite it where it supports a claim, or delete it"]),
    "a source without checked": (
        data_case("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n"), None,
        [f"data/asean_un.yml:{LIN}: [lin-2024] source has no 'checked' date", "add 'checked: YYYY-MM-DD'"]),
    "unknown publisher id (a typo)": (
        data_case("    publisher: un\n", "    publisher: unn\n"), None,
        [f"data/asean_un.yml:{CHARTER}: [charter] unknown publisher 'unn' (not an id in the 'publishers' registry)",
         "did you mean 'un'?"]),
    "publisher given by name, not id": (
        data_case("    publisher: un\n", "    publisher: United Nations\n"), None,
        [f"data/asean_un.yml:{CHARTER}: [charter] unknown publisher 'United Nations'", "use the publisher's id: 'publisher: un'"]),
    "registry: a domain that is not bare and lowercase": (
        data_case("    domains: [un.org, undocs.org]\n", "    domains: [https://UN.org, undocs.org]\n"), None,
        [f"data/asean_un.yml:{PUB_UN}: [un] publisher domain 'https://UN.org' must be lowercase"]),
    "registry: a domain listed under two publishers": (
        data_case("    domains: [fulcrum.sg, iseas.edu.sg]\n", "    domains: [fulcrum.sg, un.org]\n"), None,
        [f"data/asean_un.yml:{PUB_ISEAS}: [iseas] domain 'un.org' is listed twice (also under publisher 'un', line {PUB_UN})"]),
    "registry: a blocked host listed twice": (
        V + "  - host: wikipedia.org\n    kind: wiki\n    reason: Again.\n", None,
        [f"data/asean_un.yml:{len(V.splitlines()) + 1}: [wikipedia.org] blocked host 'wikipedia.org' is listed twice "
         f"(first on line {at('  - host: wikipedia.org')})"]),
    "registry: a publisher's domain is blocked": (
        data_case("    domains: [fulcrum.sg, iseas.edu.sg]\n", "    domains: [fulcrum.sg, de.wikipedia.org]\n"), None,
        [f"data/asean_un.yml:{PUB_ISEAS}: [iseas] publisher domain 'de.wikipedia.org' is on blocked host 'wikipedia.org'"]),
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


# --- Careless and hostile input (issue 10): macro misuse, page and data mistakes, template internals -----


def page(text):
    return {"extra.md": text}


def make_dir_at_data(project):
    path = project / "data" / "asean_un.yml"
    path.unlink()
    path.mkdir()


def write_bad_utf8(project):
    (project / "docs" / "extra.md").write_bytes(b"# X\n\nfine\nbad \xff\xfe byte\n")


MISUSE = {
    # name: (data or None, pages or None, setup or None, expected fragments)
    "macro with no argument": (None, page("# X\n\n{{ term() }}\n"), None,
                               ["docs/extra.md:3: term() takes 1 to 2 arguments (term_id, text) but 0 were given "
                                "(missing 'term_id'); write term(term_id, text=…)"]),
    "macro with too many arguments": (None, page("# X\n\n{{ ref('un', 'UN', 'x') }}\n"), None,
                                      ["docs/extra.md:3: ref() takes 1 to 2 arguments (entity_id, text) but 3 were "
                                       "given"]),
    "unknown keyword": (None, page("# X\n\n{{ term('veto', label='the veto') }}\n"), None,
                        ["docs/extra.md:3: term() has no argument 'label'", "write term(term_id, text=…)"]),
    "id that is not a string": (None, page("# X\n\n{{ ref(123) }}\n"), None,
                                ["docs/extra.md:3: ref(): 'entity_id' must be a quoted string, not 123 (int); "
                                 "write ref('123')"]),
    "integer pin": (None, page("# X\n\n{{ cite('charter', 27) }}\n\n{{ sources() }}\n"), None,
                    ["docs/extra.md:3: cite(): 'passage' must be a quoted string, not 27 (int); "
                     "write cite('charter', '27')"]),
    "integer link text": (None, page("# X\n\n{{ term('veto', 5) }}\n"), None,
                          ["docs/extra.md:3: term(): 'text' must be a quoted string, not 5 (int); "
                           "write term('veto', '5')"]),
    "entity id given to term()": (None, page("# X\n\n{{ term('un') }}\n"), None,
                                  ["docs/extra.md:3: unknown glossary id 'un' in term(); 'un' is an entity: use "
                                   "ref('un')"]),
    "glossary id given to ref()": (None, page("# X\n\nThe\n{{ ref('veto') }}\n"), None,
                                   ["docs/extra.md:4: unknown entity id 'veto' in ref(); 'veto' is a glossary term: "
                                    "use term('veto')"]),
    "missing include": (None, page("# X\n\n{% include 'snippets/nope.md' %}\n"), None,
                        ["docs/extra.md:3: a template block '{% include … %}' is not allowed on a page",
                         "put the logic in a macro"]),
    "template syntax error": (None, page("# X\n\n{{ term('veto' }}\n"), None,
                              ["docs/extra.md:3: '{{ term('veto' }}' is not a macro call"]),
    "error below front matter (true line)": (
        None, page("---\ntitle: X\nobjectives: [a, b]\n---\n# X\n\nText.\n\n{{ term() }}\n"), None,
        ["docs/extra.md:9: term() takes 1 to 2 arguments"]),
    "undefined name below front matter": (None, page("---\ntitle: X\n---\n# X\n\n{{ glosary }}\n"), None,
                                          ["docs/extra.md:6: '{{ glosary }}' is not a macro call"]),
    "page that is not UTF-8": (None, None, write_bad_utf8,
                               ["docs/extra.md:4: the page is not valid UTF-8", "save it as UTF-8"]),
    "data path is a directory": (None, None, make_dir_at_data,
                                 ["data/asean_un.yml: the data file is a directory"]),
    "front matter names an unknown entity": (None, page("---\ntitle: X\nentity: uns\n---\n# X\n"), None,
                                             ["docs/extra.md:3: front matter names entity 'uns', which does not "
                                              "exist; did you mean 'un"]),
    "two pages name the same entity": (None, page("---\nentity: un\n---\n# Also the UN\n"), None,
                                       ["docs/extra.md:2: front matter names entity 'un', whose page is "
                                        "docs/institutions/un.md", "one page per entity"]),
    "two sources() on one page": (None, page("# X\n\n{{ infobox('un') }}\n\n{{ sources() }}\n\n{{ sources() }}\n"),
                                  None, ["docs/extra.md:7: sources() is called a second time on this page"]),
    "self-referencing see-also": (data_case("see_also: [p5, unsc]", "see_also: [p5, veto]"), None, None,
                                  [f"data/asean_un.yml:{VETO}: [veto] glossary entry 'veto' lists itself in see_also"]),
    "duplicate key points at itself": (
        data_case("    title: Charter of the United Nations\n",
                  "    title: Charter of the United Nations\n    publisher: UN\n"), None, None,
        # the inserted line comes first; the fixture's own publisher line, one further down, is the duplicate
        [f"data/asean_un.yml:{at('    publisher: un') + 1}: malformed YAML: duplicate key "
         f"'publisher' (first written on line {at('    title: Charter of the United Nations') + 1})"]),
    "NUL in a definition": (data_case("definition: The power of", 'definition: "The power\\0 of'
                                      ).replace("block a Council decision.\n", 'block a Council decision."\n', 1),
                            None, None, [f"data/asean_un.yml:{VETO}: [veto] glossary.0.definition",
                                         "contains the invisible control character U+0000"]),
    "right-to-left override in a name": (data_case("name: United Nations\n", 'name: "United \\u202eNations"\n'),
                                         None, None, [f"data/asean_un.yml:{UN}: [un] institutions.0.name",
                                                      "U+202E (RIGHT-TO-LEFT OVERRIDE)"]),
    "page with an event-handler anchor": (
        V.replace("  - id: unsc\n", "  - id: unsc\n    page: 'institutions/unsc.md#x\" onmouseover=\"alert(1)'\n"),
        None, None, ["[unsc] institutions.1.page", "is not a page path"]),
    "page path escaping docs/": (V.replace("  - id: unsc\n", "  - id: unsc\n    page: ../mkdocs.md\n"), None, None,
                                 ["[unsc] institutions.1.page", "no '..'"]),
    "page anchor that does not exist": (
        V.replace("  - id: unsc\n", "  - id: unsc\n    page: institutions/unsc.md#nowhere\n"), None, None,
        [f"data/asean_un.yml:{UNSC}: [unsc] entity 'unsc' points at 'institutions/unsc.md#nowhere', but that page has "
         "no anchor '#nowhere'"]),
}

TEMPLATE_ESCAPES = {
    "class walk from a string": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals to os": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "MkDocs theme's unsandboxed environment": (
        "{{ config.theme.get_env().from_string(\"{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\").render() }}"),
    "attr filter": "{{ lipsum|attr('__globals__') }}",
    "format string": "{{ '{0.__class__}'.format(catalog) }}",
    "page object internals": "{{ page.file.abs_src_path }}",
}


@pytest.mark.parametrize("name", list(MISUSE))
def test_misuse_fails_with_file_line_and_fix(mini, name):
    data, pages, setup, expected = MISUSE[name]
    result = mini(data=data, extra_pages=pages, setup=setup)
    assert result.code != 0, f"{name}: build passed but should fail\n{result.output}"
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output, result.output


@pytest.mark.parametrize("name", list(TEMPLATE_ESCAPES))
def test_templates_cannot_reach_python(mini, name):
    result = mini(extra_pages=page("# X\n\nText\n" + TEMPLATE_ESCAPES[name] + "\n"))
    assert result.code != 0, f"{name}: the escape rendered:\n{result.output}"
    assert "docs/extra.md:4:" in result.output, result.output
    assert ("is not allowed on a page" in result.output or "a page may only call" in result.output), result.output
    assert not (result.site.parent / "PWNED").exists() and not (result.site.parent / "docs" / "PWNED").exists()
    assert "Traceback" not in result.output, result.output


def test_yaml_merge_keys_are_accepted(mini):
    merged = V.replace("  - id: p5\n    term: P5\n", "  - &p5\n    id: p5\n    term: P5\n").replace(
        "comparisons:\n", "  - <<: *p5\n    id: p5-alias\n    term: Permanent five\ncomparisons:\n")
    result = mini(data=merged, extra_pages=page("# X\n\n{{ term('p5-alias') }}\n"))
    assert result.code == 0, result.output
    html = result.html("extra/index.html")
    assert "Permanent five" in html and "The five permanent members of the Security Council." in html


def test_template_syntax_in_a_data_value_is_text_not_a_page_error(mini):
    evil = V.replace("The world organisation of states.", "Shown as {{ 7*7 }} and {% if x %}")
    result = mini(data=evil, extra_pages=page("# X\n\n{{ ref('un') }}\n"))
    assert result.code == 0, result.output
    html = result.html("extra/index.html")
    assert "49" not in html
    assert "Shown as &#123;&#123; 7&#42;7 &#125;&#125; and &#123;% if x %&#125;" in html


def test_unreadable_data_file(monkeypatch, tmp_path):
    """Root reads everything, so a refused read is simulated where the loader reads the file."""
    from pathlib import Path

    from macros.errors import SiteError
    from macros.loader import load_data

    target = tmp_path / "asean_un.yml"
    target.write_text(V, encoding="utf-8")
    real = Path.read_text

    def refuse(self, *args, **kwargs):
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(SiteError) as err:
        load_data(target)
    assert str(err.value).startswith(f"{target}: the data file cannot be read (permission denied); ")
    assert "chmod a+r" in str(err.value)
