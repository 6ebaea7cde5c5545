"""Catalogue of broken inputs: each must fail loudly and clearly, with the expected message (file, line, id,
suggestion) and no Python traceback in what the editor sees.

A broken input is found at one of two stages of every build. Most are found when the catalog is loaded, before
any page renders (macros/site.py load_site: the data file, the pages' front matter and macro calls, the files
of the project): those are checked here in process, through load_site on the project as a build sees it, and
a few of them, one per kind, also through a real build of a tiny project, to show that the same message
reaches the editor intact. The rest are found only while a page renders or after the build (a macro's
arguments, the order of calls on a page, an anchor in the built site): each of those is a real build.
"""
import pytest

from conftest import MINI_PAGES, line_of, make_project, valid_data

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
            id="charter-again", more="    url: https://un.org/en/about-us/un-charter/full-text/\n")),
        {"extra.md": "# X\n\nAgain{{ cite('charter-again') }}\n\n{{ sources() }}\n"},
        [f"data/asean_un.yml:{at('fact_keys:')}: [charter-again] same address as source 'charter' (line {CHARTER}): "
         "https://un.org/en/about-us/un-charter/full-text/", "cite 'charter' (with a pin) and delete this one"]),
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
    # issue 20: links as browsers read them, public suffixes
    "url a browser opens on another host": (
        data_case(CHARTER_URL, "    url: https://en.wikipedia.org\\@un.org/wiki/Charter\n"), None,
        [f"data/asean_un.yml:{CHARTER}: [charter] sources.0.url: Value error, the address contains a backslash"]),
    "registry: a publisher's domain is a public suffix": (
        data_case("    domains: [fulcrum.sg, iseas.edu.sg]\n", "    domains: [fulcrum.sg, com.sg]\n"), None,
        [f"data/asean_un.yml:{PUB_ISEAS}: [iseas] publisher domain 'com.sg' is a public suffix"]),
}
CASES.update(POLICY_CASES)

# Found only while a page renders or after the build (load_site passes them): each is tested in a real build.
RENDER_STAGE = {"citation after sources()",                                                     # CASES
                "macro with no argument", "macro with too many arguments", "unknown keyword",    # MISUSE
                "id that is not a string", "integer pin", "integer link text",
                "error below front matter (true line)", "two sources() on one page", "page anchor that does not exist"}
# Found when the catalog loads, and also built, one of each kind: the YAML, the schema, a cross-reference, the
# source policy, a page's macro call, the page grammar, a file the project cannot read.
BUILT_TOO = {"malformed YAML", "wrong type", "unknown source", "unknown id in a page macro", "jinja in a code block",
             "page that is not UTF-8", "data path is a directory", next(iter(POLICY_CASES))}


def load_error(root, data=None, pages=None, setup=None) -> str:
    """What loading the catalog of the mini project (as `mini` writes it) reports, in this process: the
    message of the SiteError that stops the build, or '' when the catalog loads."""
    from macros import engine
    from macros.errors import SiteError
    from macros.site import load_site

    project = make_project(root / "project", data, {**MINI_PAGES, **(pages or {})}, setup=setup)
    try:
        load_site(project, project / "docs", list(engine.PAGE_MACROS))
    except SiteError as exc:
        return str(exc)
    return ""


def loaded_stage(cases: dict) -> list[str]:
    """The cases found when the catalog loads: checked in process."""
    return [name for name in cases if name not in RENDER_STAGE]


def built(cases: dict) -> list[str]:
    """The cases that are also (or only) checked through a real build."""
    return [name for name in cases if name in RENDER_STAGE or name in BUILT_TOO]


def assert_located(name: str, said: str, expected) -> None:
    """The catalog did not load, and its message says every expected fragment, without a traceback."""
    assert said, f"{name}: the catalog loaded, but should not"
    for fragment in expected:
        assert fragment in said, f"{name}: missing {fragment!r} in:\n{said}"
    assert "Traceback" not in said, said


@pytest.mark.parametrize("name", loaded_stage(CASES))
def test_broken_input_is_a_located_error_when_the_catalog_loads(tmp_path, name):
    data, pages, expected = CASES[name]
    assert_located(name, load_error(tmp_path, data, pages), expected)


@pytest.mark.parametrize("name", sorted(RENDER_STAGE))
def test_render_stage_cases_really_pass_the_catalog(tmp_path, name):
    """Keeps RENDER_STAGE honest: a case the loader catches belongs with the in-process ones."""
    data, pages, *_ = CASES.get(name) or MISUSE[name]
    setup = MISUSE[name][2] if name in MISUSE else None
    assert load_error(tmp_path, data, pages, setup) == "", f"{name}: caught when the catalog loads"


@pytest.mark.parametrize("name", built(CASES))
def test_broken_input_fails_with_clear_message(mini, name):
    data, pages, expected = CASES[name]
    result = mini(data=data, extra_pages=pages)
    assert result.code != 0, f"{name}: build passed but should fail\n{result.output}"
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output, result.output


def previews_of(result) -> str:
    """The built previews file (macros/render.py previews_js): where a ref()'s summary and a term()'s
    definition are shown from (site.js puts them in the page as HTML when a reader opens the preview)."""
    assert result.code == 0, result.output
    return (result.site / "assets" / "previews.js").read_text(encoding="utf-8")


def test_script_in_data_comes_out_escaped(mini):
    evil = V.replace("The world organisation of states.", "<script>alert('x')</script> & friends")
    result = mini(data=evil, extra_pages={"extra.md": "# X\n\n{{ ref('un') }}\n"})
    assert result.code == 0, result.output
    for shown in (result.html("extra/index.html"), previews_of(result)):
        assert "<script>alert" not in shown
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; friends" in previews_of(result)


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

@pytest.mark.parametrize("name", loaded_stage(MISUSE))
def test_misuse_is_a_located_error_when_the_catalog_loads(tmp_path, name):
    data, pages, setup, expected = MISUSE[name]
    assert_located(name, load_error(tmp_path, data, pages, setup), expected)


@pytest.mark.parametrize("name", built(MISUSE))
def test_misuse_fails_with_file_line_and_fix(mini, name):
    data, pages, setup, expected = MISUSE[name]
    result = mini(data=data, extra_pages=pages, setup=setup)
    assert result.code != 0, f"{name}: build passed but should fail\n{result.output}"
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output, result.output


# Escapes into Python: each is refused by the page scan in process (PAGE_ESCAPES, below); these builds prove the
# scan stands between the pages and the engine, for the worst one (MkDocs' own unsandboxed Jinja environment)
# here and for the payload Zensical once ran (test_the_zensical_payload_is_refused_in_a_build).
def test_mkdocs_own_unsandboxed_environment_is_unreachable_in_a_build(mini):
    escape = "{{ config.theme.get_env().from_string(\"{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\").render() }}"
    result = mini(extra_pages=page("# X\n\nText\n" + escape + "\n"))
    assert result.code != 0, f"the escape rendered:\n{result.output}"
    assert "docs/extra.md:4:" in result.output, result.output
    assert ("is not allowed on a page" in result.output or "a page may only call" in result.output), result.output
    assert not (result.site.parent / "PWNED").exists() and not (result.site.parent / "docs" / "PWNED").exists()
    assert "Traceback" not in result.output, result.output


def test_yaml_merge_keys_are_accepted(mini):
    merged = V.replace("  - id: p5\n    term: P5\n", "  - &p5\n    id: p5\n    term: P5\n").replace(
        "comparisons:\n", "  - <<: *p5\n    id: p5-alias\n    term: Permanent five\ncomparisons:\n")
    result = mini(data=merged, extra_pages=page("# X\n\n{{ term('p5-alias') }}\n"))
    assert result.code == 0, result.output
    html, previews = result.html("extra/index.html"), previews_of(result)
    assert "Permanent five" in html and 'data-preview="term:p5-alias"' in html
    assert '"term:p5-alias":"<strong>Permanent five<\\/strong>: The five permanent members of the Security Council."' in previews


def test_template_syntax_in_a_data_value_is_text_not_a_page_error(mini):
    evil = V.replace("The world organisation of states.", "Shown as {{ 7*7 }} and {% if x %}")
    result = mini(data=evil, extra_pages=page("# X\n\n{{ ref('un') }}\n"))
    assert result.code == 0, result.output
    html, previews = result.html("extra/index.html"), previews_of(result)
    assert "49" not in html and "Shown as 49" not in previews
    assert "Shown as &#123;&#123; 7&#42;7 &#125;&#125; and &#123;% if x %&#125;" in previews


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


# --- Hostile and careless input, round two (issue 20) -----------------------------------------------------
# Data-level cases run the loader and the source policy without a build (fast); each class also has one
# case in CASES above or below that goes through a real mini build.
import json  # noqa: E402

from macros import policy  # noqa: E402
from macros.errors import SiteError  # noqa: E402
from macros.loader import parse_yaml, validate  # noqa: E402

DATA = "data/asean_un.yml"


def data_problems(text: str, page_cites=None) -> list[str]:
    """Every located message the loader, the catalog and the source policy give for a data text."""
    from macros.catalog import build_catalog
    try:
        data = validate(parse_yaml(text, DATA), DATA)
        build_catalog(data, DATA)
    except SiteError as err:
        return [str(err)]
    return [str(p) for p in policy.problems(data, DATA, page_cites)]


# 1. Links judged the way browsers read them: url -> fragment of the message (the record starts on line 2).
HOSTILE_URLS = {
    "https://evil.example\\.un.org/x": "backslash", "https://evil.example\\@un.org/x": "backslash",
    "https://en.wikipedia.org\\@un.org/wiki/X": "backslash", "https://www.un.org\\x": "backslash",
    "https://user:pw@www.un.org/x": "credentials", "https://evil.example@www.un.org/x": "credentials",
    "https://www.un.org:443/x": "port", "https://www.un.org:8443/x": "port", "https://[::1]/x": "port",
    "https://www.un.org./x": "ends with a dot", "https://www.un.org/a b": "U+0020 SPACE",
    "https://www.un.org/a\tb": "U+0009", "https://www.un\u200b.org/x": "U+200B ZERO WIDTH SPACE",
    "https://www.un.org/\u00a0x": "U+00A0 NO-BREAK SPACE", "https://www.un.org/x\u2028": "U+2028 LINE SEPARATOR",
    "https://www.un.org/\u202ex": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "javascript:alert(1)": "must start with https://", "ftp://www.un.org/x": "must start with https://",
    "data:text/html,x": "must start with https://", "//www.un.org/x": "must start with https://",
    "https:www.un.org/x": "two slashes", "https:/www.un.org/x": "two slashes", "HTTPS://www.un.org/x": "lowercase",
    "https://WWW.UN.ORG/x": "lowercase", "https://www.u%6e.org/x": "is not a host name",
    "https://127.0.0.1/x": "is not a host name", "https://0x7f.1/x": "is not a host name",
    "https://un\u3002org/x": "not ASCII", "https://\uff55\uff4e.org/x": "not ASCII",
    "http://www.un.org/x": "starts with http://: links on this site are https",
}


@pytest.mark.parametrize("field", ["url", "via"])
@pytest.mark.parametrize("url", list(HOSTILE_URLS))
def test_links_are_read_as_a_browser_reads_them(url, field):
    text = data_case(CHARTER_URL, CHARTER_URL + f"    via: {json.dumps(url)}\n" if field == "via"
                     else f"    url: {json.dumps(url)}\n")
    found = data_problems(text)
    if field == "via" and url.startswith("http://"):
        assert found == [], found                 # via is never linked: http:// is fine there
        return
    assert found, f"{url!r} accepted in {field}"
    assert found[0].startswith(f"{DATA}:2: [charter] "), found[0]
    assert HOSTILE_URLS[url] in found[0], found[0]


def test_http_only_where_the_publisher_says_the_host_has_no_https():
    text = data_case(CHARTER_URL, "    url: http://www.un.org/x\n")
    assert data_problems(text.replace("    domains: [un.org, undocs.org]\n",
                                      "    domains: [un.org, undocs.org]\n    no_https: [www.un.org]\n")) == []
    assert "no_https host 'evil.example'" in data_problems(text.replace(
        "    domains: [un.org, undocs.org]\n", "    domains: [un.org, undocs.org]\n    no_https: [evil.example]\n"))[0]


PUBLIC_SUFFIXES = ["com.ph", "github.io", "gov.uk", "co.uk", "edu.sg", "blogspot.com", "gov.my", "ac.id"]


@pytest.mark.parametrize("suffix", PUBLIC_SUFFIXES)
def test_a_publisher_domain_may_not_be_a_public_suffix(suffix):
    found = data_problems(data_case("    domains: [un.org, undocs.org]\n", f"    domains: [un.org, {suffix}]\n"))
    assert found and found[0].startswith(f"{DATA}:84: [un] publisher domain '{suffix}' is a public suffix"), found


def test_registrable_domains_and_their_subdomains_are_fine():
    for domain in ["un.org", "press.un.org", "iseas.edu.sg", "example.github.io", "kln.gov.my"]:
        assert policy.registrable(domain), domain


# 2. Dates and references that make sense. The build date is injected (site.build_date() reads
# SOURCE_DATE_EPOCH in a build); here it is a parameter.
import datetime as _dt  # noqa: E402

from macros import dates  # noqa: E402

BUILD_DAY = _dt.date(2026, 12, 7)
UN_MEMBERS = '        value: "193"\n        source: charter\n        as_of: 2024-10-01\n'
LIN_NOTE = "    article:\n      - para: 4\n"
EVENT_DATE = "date: 1945-06-26\n    title: Charter signed"


def note_pin(pin):
    return data_case(LIN_NOTE, f"    notes:\n      - text: Lin says so.\n        source: lin-2024\n        pin: '{pin}'\n"
                     + LIN_NOTE)


DATE_CASES = {
    # name: (data text, expected fragments of the first message)
    "checked in 2031": (data_case("    publisher: iseas\n    checked: 2026-11-30\n",
                                  "    publisher: iseas\n    checked: 2031-01-01\n"),
                        [f"{DATA}:9: [lin-2024] checked 2031-01-01 is after the build date (2026-12-07)"]),
    "checked tomorrow": (data_case("    publisher: iseas\n    checked: 2026-11-30\n",
                                   "    publisher: iseas\n    checked: 2026-12-08\n"),
                         ["[lin-2024] checked 2026-12-08 is after the build date"]),
    "checked next year (partial date)": (data_case("    publisher: iseas\n    checked: 2026-11-30\n",
                                                   "    publisher: iseas\n    checked: 2027\n"),
                                         ["[lin-2024] checked 2027 is after the build date"]),
    "fact as_of in 2031": (data_case(UN_MEMBERS, UN_MEMBERS.replace("2024-10-01", "2031-03-01")),
                           [f"{DATA}:29: [un] as_of of fact 'members' 2031-03-01 is after the build date"]),
    "then after the current value": (
        data_case(UN_MEMBERS, UN_MEMBERS + "        then: {value: '51', as_of: 2025-01-01, source: charter}\n"),
        ["[un] the old value of fact 'members' (then.as_of 2025-01-01) is not before the current one "
         "(as_of 2024-10-01)"]),
    "then on the same day": (
        data_case(UN_MEMBERS, UN_MEMBERS + "        then: {value: '51', as_of: 2024-10-01, source: charter}\n"),
        ["[un] the old value of fact 'members' (then.as_of 2024-10-01) is not before"]),
    "then in the future": (
        data_case(UN_MEMBERS, UN_MEMBERS.replace("2024-10-01", "2026-01-01")
                  + "        then: {value: '51', as_of: 2030-01-01, source: charter}\n"),
        ["then.as_of of fact 'members' 2030-01-01 is after the build date"]),
    "event in 2031": (data_case(EVENT_DATE, EVENT_DATE.replace("1945-06-26", "2031-05-01")),
                      [f"{DATA}:50: [charter-signed] event date 2031-05-01 is after the build date (2026-12-07)",
                       "scheduled: true"]),
    "event next month (partial)": (data_case(EVENT_DATE, EVENT_DATE.replace("1945-06-26", "2027-01")),
                                   ["[charter-signed] event date 2027-01 is after the build date"]),
    "vote in 2031": (V + "votes:\n  - {id: v, date: 2031-01-01, topic: un, title: T, outcome: adopted, in_favour: 15,"
                         " against: 0, abstaining: 0, source: charter}\n",
                     ["[v] vote date 2031-01-01 is after the build date"]),
    "membership as_of in 2031": (V + "states:\n  - {id: x, name: X}\nmemberships:\n  - {body: un, label: UN, as_of: "
                                     "2031-01-01, source: charter, members: [{state: x}]}\n",
                                 ["[un] as_of of the membership of 'un' 2031-01-01 is after the build date"]),
    "pin ¶17 of a 13-paragraph article": (note_pin("¶17"),
                                         ["[un] pin '¶17' cites ¶17, but the article has 13 paragraphs",
                                          "use a paragraph number from 1 to 13"]),
    "pin range ending past the article": (note_pin("¶¶12–15"), ["cites ¶15, but the article has 13"]),
    "pin ¶0": (note_pin("¶0"), ["cites ¶0, but the article has 13"]),
    "second of two pins": (note_pin("¶5, ¶14"), ["cites ¶14, but the article has 13"]),
    "article point past the article": (data_case("para: 4", "para: 20"), ["'un' cites ¶20, but the article has 13"]),
}


def date_problems(text):
    found = data_problems(text)
    if found:
        return found
    return [str(p) for p in dates.problems(validate(parse_yaml(text, DATA), DATA), DATA, BUILD_DAY)]


@pytest.mark.parametrize("name", list(DATE_CASES))
def test_dates_and_paragraphs_that_cannot_be_right(name):
    text, expected = DATE_CASES[name]
    found = date_problems(text)
    assert found, f"{name}: accepted"
    for fragment in expected:
        assert fragment in found[0], f"{name}: missing {fragment!r} in {found[0]}"


def test_dates_up_to_the_build_day_and_scheduled_events_are_fine():
    assert date_problems(V) == []
    assert date_problems(data_case("    publisher: iseas\n    checked: 2026-11-30\n",
                                   "    publisher: iseas\n    checked: 2026-12-07\n")) == []
    assert date_problems(data_case(EVENT_DATE, EVENT_DATE.replace("1945-06-26", "2031-05-01")).replace(
        "    related: [un]\n", "    related: [un]\n    scheduled: true\n")) == []
    assert date_problems(note_pin("¶¶12–13")) == []


def test_a_scheduled_event_is_shown_as_scheduled_and_noticed_once_passed(mini):
    from macros import freshness
    text = data_case(EVENT_DATE, EVENT_DATE.replace("1945-06-26", "2031-05-01")).replace(
        "    related: [un]\n", "    related: [un]\n    scheduled: true\n")
    result = mini(data=text, extra_pages={"extra.md": "# X\n\n{{ timeline('un') }}\n\n{{ sources() }}\n"})
    html = result.html("extra/index.html")
    assert '<time datetime="2031-05-01">1 May 2031</time> <span class="scheduled">(scheduled)</span>' in html
    later = freshness.stale(validate(parse_yaml(text, DATA), DATA), _dt.date(2031, 5, 2))
    assert any(d.kind == "event" and "has passed" in d.describe(DATA, _dt.date(2031, 5, 2)) for d in later)


BUILT_DATE_CASES = {
    "fact as_of in 2031 (build)": (DATE_CASES["fact as_of in 2031"][0], None,
                                   [f"{DATA}:29: [un] as_of of fact 'members' 2031-03-01 is after the build date"]),
    "event in 2031 (build)": (DATE_CASES["event in 2031"][0], None,
                              [f"{DATA}:50: [charter-signed] event date 2031-05-01 is after the build date"]),
    "page cites ¶17 of the article": (None, {"extra.md": "# X\n\nLin says{{ cite('lin-2024', '¶17') }}.\n\n"
                                                         "{{ sources() }}\n"},
                                      ["docs/extra.md:3: cite('lin-2024', '¶17') cites ¶17, but the article has 13 "
                                       "paragraphs"]),
}


@pytest.mark.parametrize("name", list(BUILT_DATE_CASES))
def test_dates_and_paragraphs_in_a_build(mini, name):
    data, pages, expected = BUILT_DATE_CASES[name]
    result = mini(data=data, extra_pages=pages)
    assert result.code != 0, result.output
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output


# 3. Names people cannot tell apart: invisible characters, piles of combining marks, look-alikes (TR39).
def yq(value: str) -> str:
    """value as a YAML double-quoted scalar, every non-ASCII character escaped (YAML's own escapes)."""
    return '"' + "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else
                         (f"\\u{ord(ch):04X}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08X}") for ch in value) + '"'


P5_TERM = "    term: P5\n"
INVISIBLE_IN_NAMES = {
    "Veto\u200b": "U+200B ZERO WIDTH SPACE", "Ve\ufeffto": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\u3164": "U+3164 HANGUL FILLER", "P\u115f5": "U+115F HANGUL CHOSEONG FILLER",
    "P\u11605": "U+1160 HANGUL JUNGSEONG FILLER", "P\uffa05": "U+FFA0 HALFWIDTH HANGUL FILLER",
    "Ve\u2060to": "U+2060 WORD JOINER", "Ve\u00adto": "U+00AD SOFT HYPHEN", "Ve\u034fto": "U+034F COMBINING GRAPHEME JOINER",
    "Ve\u200dto": "U+200D ZERO WIDTH JOINER", "Ve\u200cto": "U+200C ZERO WIDTH NON-JOINER",
    "Ve\u180eto": "U+180E MONGOLIAN VOWEL SEPARATOR", "\u2800": "U+2800 BRAILLE PATTERN BLANK",
    "Veto\ufe0f": "U+FE0F VARIATION SELECTOR-16", "Veto\uffff": "U+FFFF a noncharacter",
    "Veto\ufffe": "U+FFFE a noncharacter", "Veto\ufdd0": "U+FDD0 a noncharacter",
    "Veto\ue000": "U+E000 an unassigned or unnamed code point", "Veto\U000e0001": "U+E0001 LANGUAGE TAG",
    "V" + "\u0301" * 150 + "eto": "150 combining marks in a row", "V" + "\u0301" * 5 + "eto": "5 combining marks",
}


@pytest.mark.parametrize("value", list(INVISIBLE_IN_NAMES), ids=[INVISIBLE_IN_NAMES[v][:40] for v in INVISIBLE_IN_NAMES])
def test_invisible_and_filler_characters_are_named(value):
    found = data_problems(data_case(P5_TERM, f"    term: {yq(value)}\n"))
    assert found and found[0].startswith(f"{DATA}:64: [p5] glossary.1.term: "), found
    assert INVISIBLE_IN_NAMES[value] in found[0], found[0]


def test_noncharacters_in_a_title_are_named():
    found = data_problems(data_case("    title: The article\n", '    title: "The \\uFFFE article \\uFFFF"\n'))
    assert found and "[lin-2024] sources.1.title" in found[0] and "U+FFFE a noncharacter" in found[0], found


# name -> (data text, expected fragments of the first message)
LOOKALIKES = {
    "Latin and Cyrillic term": (data_case(P5_TERM, "    term: V\u0435to\n"),
                                [f"{DATA}:64: [p5] glossary term 'V\u0435to' looks the same as 'Veto' of 'veto' (line 57)",
                                 "they differ by U+0435 CYRILLIC SMALL LETTER IE"]),
    "Greek omicron": (data_case(P5_TERM, "    term: Vet\u03bf\n"), ["U+03BF GREEK SMALL LETTER OMICRON"]),
    "full-width letters": (data_case(P5_TERM, "    term: \uff36\uff45\uff54\uff4f\n"), ["looks the same as 'Veto'"]),
    "mathematical bold": (data_case(P5_TERM, "    term: \U0001d415\U0001d41e\U0001d42d\U0001d428\n"),
                          ["looks the same as 'Veto'"]),
    "case only": (data_case(P5_TERM, "    term: veto\n"), ["glossary term 'veto' is the same as 'Veto'"]),
    "NFC and NFD": (data_case("    name: United Nations Security Council\n", '    name: "Cafe\\u0301"\n').replace(
        "    name: United Nations\n", "    name: Caf\u00e9\n"),
        [f"{DATA}:36: [unsc] entity name 'Café' is the same as 'Café' of 'un' (line 20)"]),
    "entity names across sections": (V.replace("institutions:\n", "crises:\n  - id: c\n    name: Unit\u0435d Nations\n"
                                               "    summary: S.\ninstitutions:\n", 1),
                                     ["entity name 'Unit\u0435d Nations' looks the same as 'United Nations'"]),
    "publisher names": (data_case("    name: ISEAS – Yusof Ishak Institute\n    kind", "    name: Unit\u0435d Nations\n    kind"),
                        ["[iseas] publisher name 'Unit\u0435d Nations' looks the same as 'United Nations' of 'un'"]),
    "ids one and ell": (data_case("fact_keys:\n", "fact_keys:\n  - id: seats-1\n    label: Seats\n"
                                                  "  - id: seats-l\n    label: Chairs\n"),
                        ["[seats-l] fact key id 'seats-l' looks the same as 'seats-1'"]),
    "state names": (V + "states:\n  - {id: a, name: Viet Nam}\n  - {id: b, name: Vi\u0435t Nam}\n",
                    ["[b] state name 'Vi\u0435t Nam' looks the same as 'Viet Nam' of 'a'"]),
}


@pytest.mark.parametrize("name", list(LOOKALIKES))
def test_lookalike_names_are_refused_naming_both_lines(name):
    text, expected = LOOKALIKES[name]
    found = data_problems(text)
    assert found, f"{name}: accepted"
    for fragment in expected:
        assert fragment in found[0], f"{name}: missing {fragment!r} in {found[0]}"
    assert "readers cannot tell the two apart" in found[0]


def test_text_is_normalised_to_nfc():
    data = validate(parse_yaml(data_case("    name: United Nations\n", '    name: "Cafe\\u0301"\n'), DATA), DATA)
    assert data.institutions[0].name == "Caf\u00e9"


def test_a_lookalike_id_in_a_page_names_the_code_point(mini):
    result = mini(extra_pages={"extra.md": "# X\n\nThe {{ term('v\u0435to') }}.\n"})
    assert result.code != 0
    assert ("docs/extra.md:3: unknown glossary id 'v\u0435to' in term(); did you mean 'veto'? "
            "(they differ by U+0435 CYRILLIC SMALL LETTER IE") in result.output, result.output


def test_lookalike_terms_in_a_build(mini):
    result = mini(data=LOOKALIKES["Latin and Cyrillic term"][0])
    assert result.code != 0 and "Traceback" not in result.output
    assert "data/asean_un.yml:64: [p5] glossary term 'V\u0435to' looks the same as 'Veto'" in result.output


# 5. Only the project's own files: links that leave the project, and files that are not files.
import os  # noqa: E402
import stat as _stat  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402


def outside_file(text="root:x:0:0:root:/root:/bin/bash\n", name="passwd.txt"):
    path = Path(tempfile.mkdtemp(prefix="outside-")) / name
    path.write_text(text, encoding="utf-8")
    return path


def link(rel, target_of=lambda project: outside_file()):
    def setup(project):
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target_of(project))
    return setup


def fifo(rel):
    def setup(project):
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return setup


def outside_dir(project):
    folder = Path(tempfile.mkdtemp(prefix="outside-"))
    (folder / "secret.txt").write_text("secret\n", encoding="utf-8")
    return folder


OWN_FILES = {
    # name: (pages or None, setup, expected fragments)
    "docs file linked to /etc/passwd, included by a page": (
        {"extra.md": "# X\n\n{% include 'passwd.txt' %}\n"}, link("docs/passwd.txt"),
        ["docs/passwd.txt: a symbolic link to ", "outside the project", "copy what you need into the project"]),
    "page linked to a file outside": (None, link("docs/leak.md", lambda p: outside_file("# Leak\n", "leak.md")),
                                      ["docs/leak.md: a symbolic link to "]),
    "data file linked outside": (None, link("data/asean_un.yml", lambda p: outside_file(valid_data(), "d.yml")),
                                 ["data/asean_un.yml: a symbolic link to "]),
    "override linked outside": (None, link("overrides/main.html", lambda p: outside_file("{% extends 'base.html' %}",
                                                                                           "main.html")),
                                ["overrides/main.html: a symbolic link to "]),
    "docs folder linked outside": (None, link("docs/assets2", outside_dir), ["docs/assets2: a symbolic link to "]),
    "link that leads nowhere": (None, link("docs/gone.md", lambda p: p / "nowhere.md"),
                                ["docs/gone.md: a symbolic link that leads nowhere"]),
    "link that loops": (None, link("docs/loop.md", lambda p: p / "docs" / "loop.md"),
                        ["docs/loop.md: a symbolic link that leads nowhere"]),
    "FIFO as the data file": (None, fifo("data/asean_un.yml"), ["data/asean_un.yml: is a FIFO (named pipe)"]),
    "FIFO as a page": (None, fifo("docs/pipe.md"), ["docs/pipe.md: is a FIFO (named pipe), not a regular file"]),
    "FIFO among the assets": (None, fifo("docs/assets/pipe.txt"), ["docs/assets/pipe.txt: is a FIFO"]),
    "device linked in": (None, link("docs/zero.md", lambda p: Path("/dev/zero")), ["docs/zero.md: a symbolic link to /dev/zero"]),
}


@pytest.mark.parametrize("name", list(OWN_FILES))
def test_only_the_projects_own_files_when_the_catalog_loads(tmp_path, name):
    pages, setup, expected = OWN_FILES[name]
    said = load_error(tmp_path, None, pages, setup)
    assert_located(name, said, expected)
    assert "root:x:0:0" not in said, said


# Also built: the file that would leak, the FIFO that would hang a build, and a linked folder.
OWN_FILES_BUILT = ["docs file linked to /etc/passwd, included by a page", "FIFO as the data file",
                   "docs folder linked outside"]


@pytest.mark.parametrize("name", OWN_FILES_BUILT)
def test_only_the_projects_own_files(mini, name):
    pages, setup, expected = OWN_FILES[name]
    result = mini(extra_pages=pages, setup=setup)
    assert result.code != 0, f"{name}: built\n{result.output}"
    for fragment in expected:
        assert fragment in result.output, f"{name}: missing {fragment!r} in:\n{result.output}"
    assert "Traceback" not in result.output, result.output
    assert "root:x:0:0" not in result.output
    assert not (result.site / "passwd.txt").exists()


def test_a_device_node_in_docs(mini):
    def setup(project):
        os.mknod(project / "docs" / "null.md", _stat.S_IFCHR | 0o666, os.makedev(1, 3))
    try:
        result = mini(setup=setup)
    except PermissionError:
        pytest.skip("cannot make a device node here")
    assert result.code != 0 and "docs/null.md: is a character device, not a regular file" in result.output, \
        result.output


def test_a_link_inside_the_project_is_fine(mini):
    def setup(project):
        (project / "notes.md").write_text("# Notes\n\nPlain.\n", encoding="utf-8")
        (project / "docs" / "notes.md").symlink_to(project / "notes.md")
    result = mini(setup=setup)
    assert result.code == 0, result.output
    assert "Plain." in result.html("notes/index.html")


def test_an_unreadable_page_is_a_located_error(monkeypatch, tmp_path):
    """Root reads everything, so the refusal is simulated where files are read."""
    from macros import engine, site
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "secret.md").write_text("# S\n", encoding="utf-8")
    real = Path.read_bytes

    def refuse(self):
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    engine.fingerprint(tmp_path, docs)                 # no traceback from the cache key either
    with pytest.raises(SiteError) as err:
        site.read_pages(docs)
    assert str(err.value).startswith("docs/secret.md: the page cannot be read (permission denied); ")
    errors = {}
    site.read_pages(docs, errors)                      # serve: kept for that page
    assert "permission denied" in str(errors["secret.md"])


# `make new` takes its arguments without a shell, and any printable name round-trips (issue 20).
import shutil as _shutil  # noqa: E402
import subprocess as _subprocess  # noqa: E402
import sys as _sys  # noqa: E402

import yaml as _yaml  # noqa: E402

from conftest import ROOT  # noqa: E402

HOSTILE_IDS = ['x"; touch PWNED; echo "', "x`touch PWNED`", "x$(touch PWNED)", "x'; touch PWNED; echo '",
               "x$(shell touch PWNED)", "x;touch PWNED", "../../etc/x", "Foo", "a--b", "x y", "x|touch PWNED"]
HOSTILE_NAMES = ['Quote " and \' both', "Back`touch PWNED`tick", "$(touch PWNED) and $(shell touch PWNED)",
                 "Colon: hash # and {{ 7*7 }} {% if x %}", "Ünïcödé – ASEAN 東盟", "- leading dash", "? question",
                 "[list] {map} *star* _u_ <b>x</b> & | ~ !", "@at %percent", "yes", "null", "#comment",
                 "Trailing backslash \\", "!tag value", "x\"; touch PWNED; echo \"", "tab\tinside"]


if str(ROOT / "scripts") not in _sys.path:
    _sys.path.insert(0, str(ROOT / "scripts"))
import new_page  # noqa: E402


@pytest.fixture
def scaffold_copy(tmp_path_factory):
    """The Makefile, the script, mkdocs.yml and docs/ copied, so `make new` writes there, not in the project."""
    tmp_path = tmp_path_factory.mktemp("scaffold")
    for name in ("Makefile", "mkdocs.yml"):
        _shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "scripts").mkdir()
    _shutil.copy(ROOT / "scripts" / "new_page.py", tmp_path / "scripts" / "new_page.py")
    _shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path


def make_new(root, kind, ident, name):
    return _subprocess.run(["make", "-s", "new", f"KIND={kind}", f"ID={ident}", f"NAME={name}",
                            f"PY={_sys.executable}"], cwd=root, capture_output=True, text=True, timeout=60)


def planted(root):
    return [p for p in (root, root / "scripts", root / "docs") if (p / "PWNED").exists()]


@pytest.mark.build   # starts make or git commands that build: not in `make check`
@pytest.mark.parametrize("ident", HOSTILE_IDS)
def test_make_new_refuses_an_id_that_is_not_a_slug_and_runs_nothing(scaffold_copy, ident):
    before = (scaffold_copy / "mkdocs.yml").read_text(encoding="utf-8")
    proc = make_new(scaffold_copy, "institution", ident, "Name")
    assert proc.returncode != 0
    assert "ID must be lower-case words joined by hyphens" in proc.stderr and repr(ident) in proc.stderr, proc.stderr
    assert not planted(scaffold_copy) and (scaffold_copy / "mkdocs.yml").read_text(encoding="utf-8") == before


@pytest.mark.build   # starts make or git commands that build: not in `make check`
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_make_new_writes_any_name_so_that_it_round_trips(scaffold_copy, name):
    if "\t" in name:                       # printable names only: a tab is refused, naming it
        proc = make_new(scaffold_copy, "crisis", "example-crisis", name)
        assert proc.returncode != 0 and "NAME holds U+0009" in proc.stderr, proc.stderr
        return
    proc = make_new(scaffold_copy, "crisis", "example-crisis", name)
    assert proc.returncode == 0, proc.stderr
    assert not planted(scaffold_copy)
    config = (scaffold_copy / "mkdocs.yml").read_text(encoding="utf-8")
    assert new_page.nav_section(config, "Crises")[-1] == {name: "crises/example-crisis.md"}
    record = proc.stdout[proc.stdout.index("- id: example-crisis"):proc.stdout.index("  2. write")]
    assert _yaml.safe_load(record)[0]["name"] == name
    page = (scaffold_copy / "docs" / "crises" / "example-crisis.md").read_text(encoding="utf-8")
    heading = page.splitlines()[3]
    assert heading == f"# {new_page.heading_text(name)} {{ #example-crisis }}"
    assert "{{" not in heading and "{%" not in heading and "<" not in heading


@pytest.mark.build   # starts make or git commands that build: not in `make check`
def test_a_name_with_a_line_break_is_refused(tmp_path):
    import os as _os
    env = {**_os.environ, "NEW_PAGE_KIND": "crisis", "NEW_PAGE_ID": "x", "NEW_PAGE_NAME": "two\nlines"}
    proc = _subprocess.run([_sys.executable, str(ROOT / "scripts" / "new_page.py"), "--root", str(tmp_path)],
                           env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "NAME holds U+000A" in proc.stderr and "nothing was written" in proc.stderr


def test_a_hostile_name_shows_as_written_on_the_built_page(scaffold_copy, mini):
    import html as _html
    import re as _re
    name = "Colon: {{ 7*7 }} *star* <b>bold</b> & `tick` # [x](javascript:alert(1))"
    out = new_page.scaffold(scaffold_copy, "crisis", "example-crisis", name)
    record = out[out.index("- id: example-crisis"):out.index("  2. write")].rstrip()
    filled = (record.replace("summary:            #", "summary: A short summary.  #")
              .replace("facts: []  ", "facts: [{key: founded, value: '1945', source: charter}]  ")
              .replace("article: []  ", "article: [{para: 4, says: Lin mentions it.}]  ")
              .replace("related: []  ", "related: [un]  "))
    data = valid_data().replace("\ninstitutions:\n", "\ncrises:\n" + filled + "\ninstitutions:\n", 1)
    page = (scaffold_copy / "docs" / "crises" / "example-crisis.md").read_text(encoding="utf-8")
    page = _re.sub(r"<!--.*?-->", "The {{ term('veto') }} shaped it.", page)     # the editor's prose
    result = mini(data=data, extra_pages={"crises/example-crisis.md": page})
    assert result.code == 0, result.output
    built = result.html("crises/example-crisis/index.html")
    h1 = _re.search(r'<h1 id="example-crisis">(.*?)<', built, _re.S)
    assert h1 and _html.unescape(h1.group(1)).strip() == name, h1 and h1.group(1)


# 6. Messages, never tracebacks: huge numbers, YAML-only line breaks, running out of memory.
UN_NAME = "    name: United Nations\n"
NEVER_TRACEBACKS = {
    # name: (data text, expected fragment of the message)
    "5,000-digit value": (data_case('value: "1945"', "value: " + "9" * 5000),
                          f"{DATA}:27: malformed YAML: a number with 5000 digits is far too long"),
    "5,000-digit paragraph": (data_case("para: 4", "para: " + "9" * 5000), f"{DATA}:34: malformed YAML: a number "
                                                                          "with 5000 digits"),
    "negative 5,000 digits": (data_case("para: 4", "para: -" + "9" * 5000), f"{DATA}:34: malformed YAML: a number"),
    "5,000 digits with separators": (data_case("para: 4", "para: " + "9_" * 4999 + "9"),
                                     f"{DATA}:34: malformed YAML: a number with 5000 digits"),
    "huge hexadecimal paragraph": (data_case("para: 4", "para: 0x" + "f" * 5000),
                                   "Input should be less than or equal to 10000"),
    "U+2028 in a plain scalar": (data_case(UN_NAME, "    name: United\u2028Nations\n"),
                                 f"{DATA}:21: contains U+2028 LINE SEPARATOR, which YAML reads as a line break"),
    "U+2029 at a line's end": (data_case(UN_NAME, "    name: United Nations\u2029\n"),
                               f"{DATA}:21: contains U+2029 PARAGRAPH SEPARATOR"),
    "U+0085 in a quoted scalar": (data_case(UN_NAME, '    name: "United\x85Nations"\n'),
                                  f"{DATA}:21: contains U+0085 NEXT LINE (NEL)"),
    "U+2028 late in the file": (data_case("    term: P5\n", "    term: P\u20285\n"),
                                f"{DATA}:65: contains U+2028 LINE SEPARATOR"),
}


@pytest.mark.parametrize("name", list(NEVER_TRACEBACKS))
def test_messages_never_tracebacks(name):
    text, expected = NEVER_TRACEBACKS[name]
    found = data_problems(text)
    assert found and expected in found[0], f"{name}: {found}"


def test_an_escaped_line_separator_in_quotes_is_text():
    data = validate(parse_yaml(data_case(UN_NAME, '    name: "United\\u2028Nations"\n'), DATA), DATA)
    assert data.institutions[0].name == "United\u2028Nations"


def test_running_out_of_memory_is_a_located_message(monkeypatch, tmp_path):
    from macros import loader
    target = tmp_path / "asean_un.yml"
    target.write_text(V.replace("    summary: The world organisation of states.\n",
                                "    summary: " + "x" * 5000 + "\n"), encoding="utf-8")

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(loader.yaml, "load", exhausted)
    with pytest.raises(SiteError) as err:
        loader.load_data(target, DATA)
    assert str(err.value).startswith(f"{DATA}: ran out of memory reading the data file (its longest line, 5,013 "
                                     "characters, is line 23); "), str(err.value)


def test_an_unreadable_data_file_does_not_break_the_cache_key(monkeypatch, tmp_path):
    from macros import engine
    (tmp_path / "data").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "data" / "asean_un.yml").write_text(V, encoding="utf-8")
    real = Path.read_bytes

    def refuse(self):
        if self.name == "asean_un.yml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert engine.fingerprint(tmp_path, tmp_path / "docs")


BUILT_NEVER_TRACEBACKS = {
    "5,000-digit value (build)": NEVER_TRACEBACKS["5,000-digit value"],
    "U+2028 in a plain scalar (build)": NEVER_TRACEBACKS["U+2028 in a plain scalar"],
}


@pytest.mark.parametrize("name", list(BUILT_NEVER_TRACEBACKS))
def test_messages_never_tracebacks_in_a_build(mini, name):
    text, expected = BUILT_NEVER_TRACEBACKS[name]
    result = mini(data=text)
    assert result.code != 0 and expected in result.output and "Traceback" not in result.output, result.output


# 7. Bounded pages: pages are no longer evaluated as templates (issue 18), so what the sandbox once had to cap
# (issue 20) is now outside the page grammar, refused at the same page and line when the page is scanned,
# before any engine runs anything. The sandbox's message for each payload is kept as the record of the threat.
import time as _time  # noqa: E402

GRAMMAR = ("is not allowed on a page", "a page may only call the site's macros with literal values")


def scan_refusal(text: str) -> str:
    """What the page scan (macros/pages.py), in this process, says when it refuses docs/extra.md with this text."""
    from macros.pages import scan_page
    with pytest.raises(SiteError) as err:
        scan_page("docs/extra.md", text)
    return str(err.value)


def long_paragraph(calls: int) -> str:
    """docs/extra.md whose third line is one paragraph of `calls` macro calls."""
    return "# X\n\nText\n" + " ".join(["{{ term('veto') }}"] * calls) + "\n"


def outside_the_grammar(output: str, where: str) -> bool:
    """The page grammar's located refusal (macros/pages.py parse_page) at `where` ('docs/extra.md:4')."""
    return any(f"{where}: " in line and any(g in line for g in GRAMMAR) for line in output.splitlines())


PAGE_BOMBS = {
    '{{ "a" * 10**9 }}': "would make 1,000,000,000 characters",
    '{{ [0] * 10**9 }}': "would make 1,000,000,000 characters or items",
    '{{ "a"|center(10**9) }}': "|center would make 1,000,000,000 characters",
    '{{ "%0999999999d"|format(1) }}': "|format on '%0999999999d' would make 999,999,999 characters",
    '{{ "%0999999999d" % 1 }}': "would make 999,999,999 characters",
    '{{ "%*d" % (10**9, 1) }}': "a '*' width or precision is not allowed",
    '{{ "{:>999999999}".format(1) }}': "the page reaches into Python internals (attribute 'format')",
    '{{ "x"|indent(10**9) }}': "|indent would make",
    '{{ ("a" * 1000)|replace("", "b" * 1000) }}': "|replace would make",
    '{{ range(10**8)|list|length }}': "range(100000000,) has more than 100,000 items",
    '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}':
        "the page's range() loops go through more than 1,000,000 items",
    '{{ lipsum(10**6) }}': "lipsum(1000000, min=20, max=100) asks for more than 100 paragraphs",
    '{{ 7 ** (10**9) }}': "would make a number of about 845,098,040 digits",
    '{{ (2 ** 10000) * (2 ** 10000) }}': "would make a number of about",
    '{{ ("a" * 600000) ~ "" + ("b" * 600000) }}': "would make",
}


@pytest.mark.parametrize("template", list(PAGE_BOMBS))
def test_pages_that_would_exhaust_the_machine_are_refused_by_the_grammar(template):
    started = _time.monotonic()
    said = scan_refusal("# X\n\nText\n" + template + "\n")
    assert outside_the_grammar(said, "docs/extra.md:4"), said
    assert _time.monotonic() - started < 1


def test_a_page_bomb_is_refused_in_a_build_fast_and_located(mini):
    started = _time.monotonic()
    result = mini(extra_pages={"extra.md": "# X\n\nText\n" + '{{ "a" * 10**9 }}' + "\n"})
    assert result.code != 0 and outside_the_grammar(result.output, "docs/extra.md:4"), result.output[-1500:]
    assert "Traceback" not in result.output
    assert _time.monotonic() - started < 60


def test_what_bounded_pages_once_rendered_is_outside_the_grammar():
    """Loops, filters and arithmetic the sandbox allowed are refused too: the logic belongs in a macro."""
    said = scan_refusal("# X\n\n{% for i in range(3) %}[{{ i }}]{% endfor %} {{ '%5d'|format(3) }} {{ 'a'|center(5) }} "
                        "{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ range(10)|length }} {{ lipsum(1)|length > 0 }}\n")
    assert outside_the_grammar(said, "docs/extra.md:3"), said


# Ids that collide with a page's own anchors, at the data line, in every build mode; an empty section's line.
ANCHOR_COLLISIONS = {
    "glossary id 'sources'": ("  - id: p5\n", "  - id: sources\n", "see_also: [p5, unsc]", "see_also: [sources, unsc]",
                              "[sources] glossary id 'sources' is also the id of the heading on docs/glossary.md:"),
    "glossary id 'letter-v'": ("  - id: p5\n", "  - id: letter-v\n", "see_also: [p5, unsc]", "see_also: [letter-v, unsc]",
                               "[letter-v] glossary id 'letter-v' is also shaped like the ids the macros give"),
    "glossary id 'src-charter'": ("  - id: p5\n", "  - id: src-charter\n", "see_also: [p5, unsc]",
                                  "see_also: [src-charter, unsc]", "glossary id 'src-charter' is also shaped like"),
}
GLOSSARY_PAGE = "# Glossary\n\n{{ glossary() }}\n\n## Sources { #sources }\n\n{{ sources() }}\n"


@pytest.mark.parametrize("name", list(ANCHOR_COLLISIONS))
@pytest.mark.parametrize("serve", [False, True], ids=["build", "serve"])
def test_an_id_that_is_also_a_page_anchor_is_refused_at_its_line(name, serve):
    from macros.site import site_catalog
    old_id, new_id, old_see, new_see, expected = ANCHOR_COLLISIONS[name]
    text = data_case(old_see, new_see).replace(old_id, new_id, 1).replace("see_also: [veto]\n", "see_also: [veto]\n")
    data = validate(parse_yaml(text, DATA), DATA)
    pages = {"glossary.md": GLOSSARY_PAGE, "institutions/un.md": "---\nentity: un\n---\n# UN\n",
             "institutions/unsc.md": "# UNSC\n"}
    with pytest.raises(SiteError) as err:
        site_catalog(data, pages, ["glossary", "sources"], page_errors={} if serve else None,
                     today=BUILD_DAY)
    assert str(err.value).startswith(f"{DATA}:64: {expected}") or expected in str(err.value), str(err.value)
    assert str(err.value).startswith(f"{DATA}:64: "), str(err.value)


def test_an_actor_id_that_is_a_heading_of_the_who_page(mini):
    data = V.replace("events:\n", "actors:\n  - id: whos-who\n    name: Someone\n    summary: A person.\nevents:\n", 1)
    result = mini(data=data, extra_pages={"who.md": "# Who's who\n\n{{ who() }}\n"})
    assert result.code != 0 and "[whos-who] actor id 'whos-who' is also the id of the heading on docs/who.md:1" \
        in result.output, result.output


def test_an_empty_section_at_the_end_is_reported_at_its_own_line():
    found = data_problems(V + "votes:\n")
    assert found[0].startswith(f"{DATA}:{V.count(chr(10)) + 1}: votes: Input should be a valid list"), found


# Names drawn in figures are bounded (a 5,005-character state name was drawn across the whole map).
LONG_NAMES = {
    "5,005-character state name": (V + "states:\n  - {id: x, name: " + "X" * 5005 + "}\n",
                                   "states.0.name: String should have at most 60 characters"),
    "300-character entity name": (data_case("    name: United Nations\n", "    name: " + "U" * 300 + "\n"),
                                  f"{DATA}:20: [un] institutions.0.name: String should have at most 200 characters"),
    "61-character short name": (data_case("    short: UN\n", "    short: " + "U" * 61 + "\n"),
                                "[un] institutions.0.short: String should have at most 60 characters"),
    "300-character term": (data_case(P5_TERM, "    term: " + "P" * 300 + "\n"), "[p5] glossary.1.term: String should"),
}


@pytest.mark.parametrize("name", list(LONG_NAMES))
def test_names_drawn_in_figures_are_bounded(name):
    text, expected = LONG_NAMES[name]
    found = data_problems(text)
    assert found and expected in found[0], found


def test_last_updated_follows_a_commit_while_serving(tmp_path):
    """The page dates are cached by content; a commit leaves the content as it was (the edit was saved
    before), so the git stamp is part of the cache key."""
    import datetime as dt
    from macros import engine

    def git(*args, date="2025-01-02T10:00:00+00:00"):
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@t", "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
        _subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("a")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    before = engine.git_dates("same content", tmp_path, engine.git_stamp(tmp_path))
    (tmp_path / "docs" / "a.md").write_text("a2")
    git("commit", "-qam", "two", date="2026-03-04T10:00:00+00:00")
    after = engine.git_dates("same content", tmp_path, engine.git_stamp(tmp_path))
    assert before == {"a.md": dt.date(2025, 1, 2)} and after == {"a.md": dt.date(2026, 3, 4)}


@pytest.mark.parametrize("calls", [201, 10_000, 100_000])
def test_a_paragraph_with_too_many_macro_calls_is_refused_fast(calls):
    """Python-Markdown's inline processor is quadratic in one paragraph's macro output (measured before the
    limit: 1,000 calls 1.7 s, 10,000 calls 32 s); past MAX_CALLS_PER_PARAGRAPH the page scan refuses it."""
    started = _time.monotonic()
    said = scan_refusal(long_paragraph(calls))
    assert "docs/extra.md:3: this paragraph has more than 200 macro calls" in said, said
    assert _time.monotonic() - started < 5


def test_a_paragraph_with_too_many_macro_calls_is_refused_fast_in_a_build(mini):
    started = _time.monotonic()
    result = mini(extra_pages={"extra.md": long_paragraph(100_000)})
    assert result.code != 0
    assert "docs/extra.md:3: this paragraph has more than 200 macro calls" in result.output, result.output[-2000:]
    assert _time.monotonic() - started < 30


def test_two_hundred_calls_in_a_paragraph_still_build(mini):
    result = mini(extra_pages={"extra.md": "# X\n\n" + " ".join(["{{ term('veto') }}"] * 200) + "\n"})
    assert result.code == 0, result.output[-2000:]


@pytest.mark.parametrize("statement", ["include 'nope.md'", "import 'nope.md' as n", "from 'nope.md' import x"])
def test_an_include_or_import_is_refused_at_its_statement(statement):
    """In the page scan (in process): this module's builds prove the scan runs before any engine renders a page."""
    said = scan_refusal("# X\n\n{% " + statement + " %}\n")
    word = statement.split()[0]
    assert f"docs/extra.md:3: a template block '{{% {word} … %}}' is not allowed on a page" in said, said


# The boundary issue 20 drew on the page's text (check_expressions), so that it held on engines that render
# pages outside the sandbox (Zensical ran `cycler.__init__.__globals__.os.popen(...)` from a page): every one of
# these is now outside the page grammar, refused at its line when pages are scanned, on every engine.
PAGE_ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ config.theme.get_env().from_string('x').render() }}", "{{ lipsum|attr('__globals__') }}",
    "{{ '{0.__class__}'.format(page) }}", "{{ ('{0._' ~ '_class__}').format(page) }}", "{{ page.file.abs_src_path }}",
    "{{ page['_' ~ '_class__'] }}", "{{ page['__class__'] }}", "{{ [page]|map(attribute='__class__')|list }}",
    "{{ [page]|map(attribute='a.__class__')|list }}", "{{ page|attr('_' ~ '_class__') }}",
    "{% set ns = namespace(x=1) %}{{ filters_builtin['attr'](ns, '__class__') }}", "{{ macros.term.__globals__ }}",
    "{{ environment }}", "{{ self.__init__.__globals__ }}", "{{ [page]|selectattr('__class__')|list }}",
    "{% for k in ['_' ~ '_class__'] %}{{ page[k] }}{% endfor %}", "{{ joiner.__init__.__globals__ }}",
    "{{ range.__self__ }}", "{{ '{x.__class__}'.format_map({'x': page}) }}",
]


@pytest.mark.parametrize("template", PAGE_ESCAPES)
def test_page_text_that_reaches_into_python_is_refused_before_any_engine_renders_it(template):
    said = scan_refusal("# X\n\nText\n" + template + "\n")
    assert outside_the_grammar(said, "docs/extra.md:4"), said


def test_every_real_page_is_in_the_grammar():
    from macros.pages import scan_page
    for page in sorted((ROOT / "docs").rglob("*.md")):
        scan_page(f"docs/{page.relative_to(ROOT / 'docs')}", page.read_text(encoding="utf-8"))


def test_the_zensical_payload_is_refused_in_a_build(mini):
    result = mini(extra_pages={"extra.md": "# X\n\nText\n{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}\n"})
    assert result.code != 0 and outside_the_grammar(result.output, "docs/extra.md:4"), result.output[-1500:]
    assert not (result.site.parent / "PWNED").exists()


def test_a_link_added_while_serving_changes_the_cache_key(tmp_path):
    from macros import engine
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# X\n")
    before = engine.fingerprint(tmp_path, tmp_path / "docs")
    (tmp_path / "docs" / "passwd.txt").symlink_to(outside_file())
    assert engine.fingerprint(tmp_path, tmp_path / "docs") != before


# Zensical renders a page with Jinja itself (no sandbox there): the pages it gets have passed the grammar when the
# catalog was built (define_env, for every page), so these never reach its Jinja. The fifth, a loop the sandbox
# allowed, is refused as well.
@pytest.mark.parametrize("template", [
    '{{ "a" * 10**9 }}',
    "{{ cycler.__init__.__globals__ }}",
    "{{ range(10**8)|list|length }}",
    '{{ "a"|center(10**9) }}',
    "{% for i in range(3) %}{{ i }}{% endfor %}",
])
def test_under_zensical_the_page_never_reaches_jinja(template, tmp_path):
    from macros import site
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "extra.md").write_text("# X\n\nText\n" + template + "\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        site.scan_page("docs/extra.md", site.read_pages(docs)["extra.md"])
    assert outside_the_grammar(str(err.value), "docs/extra.md:4"), str(err.value)
