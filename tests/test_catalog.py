"""Cross-references, page addresses and page scanning."""
import posixpath

import pytest

from conftest import valid_data
from macros.catalog import build_catalog, page_url, relative_url
from macros.pages import check_calls, leftover_template, scan_page
from macros.errors import SiteError
from macros.loader import parse_yaml, validate


def catalog(text=None, pages=None):
    return build_catalog(validate(parse_yaml(text or valid_data(), "d.yml"), "d.yml"), "d.yml", pages)


@pytest.mark.parametrize("path, url", [
    ("index.md", ""), ("glossary.md", "glossary/"), ("institutions/index.md", "institutions/"),
    ("institutions/un.md", "institutions/un/"), ("who.md#viet-nam", "who/#viet-nam"),
])
def test_page_url(path, url):
    assert page_url(path) == url


@pytest.mark.parametrize("src, dst, rel", [
    ("", "glossary/#veto", "glossary/#veto"),
    ("institutions/un/", "glossary/#veto", "../../glossary/#veto"),
    ("institutions/un/", "institutions/unsc/", "../unsc/"),
    ("glossary/", "glossary/#p5", "./#p5"),
    ("institutions/un/", "", "../../"),
])
def test_relative_url_works_under_any_base_path(src, dst, rel):
    assert relative_url(src, dst) == rel


def test_indexes_and_backlinks():
    cat = catalog()
    assert cat.entities["un"].url == "institutions/un/"
    assert [p.entity.id for p in cat.related_to("unsc")] == ["un"]    # back-reference counts
    assert [e.id for e in cat.events_for("un")] == ["charter-signed"]


@pytest.mark.parametrize("old, new, message", [
    ("see_also: [p5, unsc]", "see_also: [p5x, unsc]", "unknown glossary or entity id 'p5x' in see_also of 'veto'"),
    ("related: [unsc]", "related: [unscc]", "unknown entity id 'unscc' in related of 'un'; did you mean 'unsc'?"),
    ("source: charter\n        pin: Art. 23", "source: chartr\n        pin: Art. 23", "unknown source id 'chartr'"),
    ("- id: p5", "- id: veto", "duplicate glossary id 'veto'"),
    ("columns: [founded, members]", "columns: [founded, member]", "did you mean 'members'?"),
    ("        as_of: 2024-10-01\n    article", "    article", "can change over time but has no as_of"),
    ("- key: founded\n        value: \"1945\"\n        source: charter\n      - key",
     "- key: founded\n        value: \"1945\"\n        source: charter\n      - key: foundd\n        value: x\n        source: charter\n      - key",
     "unknown fact key 'foundd'"),
])
def test_dangling_references_fail_with_a_suggestion(old, new, message):
    text = valid_data()
    assert old in text
    with pytest.raises(SiteError, match=message.replace("(", r"\(").replace("?", r"\?")) as err:
        catalog(text.replace(old, new, 1))
    assert err.value.line and err.value.file == "d.yml"


def test_comparison_needs_every_cell():
    text = valid_data().replace("        source: charter\n        pin: Art. 23\n", "        source: charter\n        pin: Art. 23\n", 1)
    text = text.replace("      - key: members\n        value: \"15\"\n        source: charter\n        as_of: 2024-10-01\n", "")
    with pytest.raises(SiteError, match="comparison 'un-unsc' needs fact 'members' of 'unsc'"):
        catalog(text)


def test_entity_pages_must_exist():
    with pytest.raises(SiteError, match="page 'institutions/unsc.md', which does not exist"):
        catalog(pages=["institutions/un.md"])
    catalog(pages=["institutions/un.md", "institutions/unsc.md"])


def test_scan_page_finds_calls_with_lines():
    calls = scan_page("p.md", "# T\n\n{{ term('veto') }} and {{ ref(\"un\", text='the UN') }}\n{{ glossary() }}\n")
    assert [(c.name, c.first, c.line) for c in calls] == [("term", "veto", 3), ("ref", "un", 3), ("glossary", None, 4)]


def test_scan_page_rejects_jinja_in_code_unless_raw():
    with pytest.raises(SiteError, match="inside a code block") as err:
        scan_page("p.md", "x\n\n```yaml\na: {{ b }}\n```\n")
    assert err.value.line == 4
    scan_page("p.md", "{% raw %}\n```\n{{ term('veto') }}\n```\n{% endraw %}\n")


def test_check_calls_unknown_macro_and_id():
    cat = catalog()
    with pytest.raises(SiteError, match=r"p.md:2: unknown macro 'trem'; did you mean 'term'\?"):
        check_calls(cat, "p.md", scan_page("p.md", "\n{{ trem('veto') }}"), ["term", "ref"])
    with pytest.raises(SiteError, match=r"unknown glossary id 'vetoo' in term\(\); did you mean 'veto'\?"):
        check_calls(cat, "p.md", scan_page("p.md", "{{ term('vetoo') }}"), ["term"])


def test_leftover_template_outside_code_only():
    assert leftover_template("<p>a</p>\n<pre><code>{{ x }}\n</code></pre>\n<p>b <code>{% y %}</code></p>") is None
    assert leftover_template("<p>a</p>\n<pre>\n</pre>\n<p>{{ x }}</p>\n") == 4
    page = '<head><meta content="{{ not text }}"></head>\n<article class="md-content__inner">\n<p>{% y</p></article>'
    assert leftover_template(page) == 3


@pytest.mark.parametrize("path, url", [
    ("index.md", "index.html"), ("institutions/un.md", "institutions/un.html"),
    ("institutions/index.md", "institutions/index.html"), ("glossary.md#veto", "glossary.html#veto"),
])
def test_page_url_for_the_offline_copy(path, url):
    assert page_url(path, directory_urls=False) == url
    assert relative_url("institutions/un.html", url) == posixpath.relpath(url.split("#")[0], "institutions") + (
        "#veto" if "#" in url else "")



def test_article_record_drives_paragraph_range_and_needs_its_source():
    assert "      - para: 4" in valid_data()          # the fixture cites ¶4
    catalog(valid_data().replace("  paragraphs: 13", "  paragraphs: 4"))
    with pytest.raises(SiteError, match=r"cites ¶4, but the article has 3 paragraphs; use a paragraph number from 1 to 3"):
        catalog(valid_data().replace("  paragraphs: 13", "  paragraphs: 3"))
    with pytest.raises(SiteError, match=r"unknown source id 'lin-2042' in the 'article' record; did you mean 'lin-2024'"):
        catalog(valid_data().replace("  source: lin-2024\n  author:", "  source: lin-2042\n  author:"))


def test_the_catalog_is_complete_after_one_pass_and_read_only():
    import dataclasses
    cat = build_catalog(validate(parse_yaml(valid_data(), "d.yml"), "d.yml"), "d.yml",
                        usages={"index.md": ["veto", "unsc", "veto"], "glossary.md": ["veto"]},
                        titles={"index.md": "Home"}, page_meta={"index.md": {"objectives": ["x"]}})
    assert cat.used_on["veto"] == ("index.md", "glossary.md") and cat.used_on["unsc"] == ("index.md",)
    assert cat.page_title("index.md") == "Home" and cat.page_meta["index.md"] == {"objectives": ["x"]}
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.terms = {}
    for mapping in (cat.terms, cat.entities, cat.used_on, cat.events_by_entity, cat.page_titles):
        with pytest.raises(TypeError):
            mapping["new"] = None
    assert not hasattr(cat, "note_usages")
