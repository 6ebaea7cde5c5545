"""What has changed since the article (/changes/), the notes link to it, and how sources show publisher,
checked and via: pure renderers over a small catalog."""
import re

import pytest

from conftest import valid_data
from macros import freshness, render
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import parse_yaml, validate

V = valid_data()
UN_MEMBERS = '        value: "193"\n        source: charter\n        as_of: 2024-10-01\n'
UNSC_MEMBERS = '        value: "15"\n        source: charter\n        as_of: 2024-10-01\n'


def edit(old, new, text):
    assert old in text, old
    return text.replace(old, new, 1)


def with_changes(unsc_page=None):
    text = edit(UN_MEMBERS, '        value: "194"\n        source: charter\n        as_of: 2026-05-01\n'
                            '        then:\n          value: "193"\n          as_of: 2024-10-01\n'
                            '          source: lin-2024\n          pin: ¶2\n', V)
    text = edit(UNSC_MEMBERS, '        value: "16"\n        source: charter\n        as_of: 2026-01-01\n'
                              '        then:\n          value: "15"\n          as_of: 2024-10-01\n'
                              '          source: charter\n', text)
    if unsc_page:
        text = edit("  - id: unsc\n", f"  - id: unsc\n    page: {unsc_page}\n", text)
    return text


def event(ident, day):
    return (f"  - id: {ident}\n    date: {day}\n    title: Event {ident}\n    summary: Something <b>happened</b>.\n"
            f"    related: [un, unsc]\n    source: charter\n")


def cat_of(text):
    return build_catalog(validate(parse_yaml(text, "d.yml"), "d.yml"), "d.yml")


def ctx(url="changes/"):
    return render.PageContext(url=url, src="docs/changes.md")


def test_changed_facts_then_and_now_grouped_by_page():
    c = ctx()
    html = render.changed_facts(cat_of(with_changes()), c)
    # one table; the first row of each page's facts keeps the anchors other pages link to
    assert html.count("<table") == 1
    assert re.findall(r'<tr id="([^"]+)"', html) == ["on-institutions-un", "on-institutions-unsc"]
    assert 'id="on-institutions-un-table"' in html and 'id="on-institutions-unsc-table"' in html
    assert '<a href="../institutions/un/">institutions/un</a>' in html      # no page titles known: the path
    un = html[html.index('id="on-institutions-un"'):html.index('id="on-institutions-unsc"')]
    cells = re.findall(r'<td data-label="([^"]+)">(.*?)</td>', un)
    assert [label for label, _ in cells] == ["Fact", "When the article was written (October 2024)", "Now", "Now as of"]
    assert cells[0][1] == "Members"                                           # one entity: no name repeated
    assert '<span class="was">193</span>' in cells[1][1] and "(as of 1 October 2024)" in cells[1][1]
    assert "194</span>" in cells[2][1] and 'class="changed-mark"' in cells[2][1] and cells[3][1] == "1 May 2026"
    # both values are cited on the page, so sources() lists the article and the charter
    assert set(c.citations) == {"lin-2024", "charter"} and c.citations["lin-2024"] == ["¶2"]


def test_entities_sharing_a_page_share_one_group_and_are_named():
    html = render.changed_facts(cat_of(with_changes(unsc_page="institutions/un.md#council")), ctx())
    assert re.findall(r'<tr id="([^"]+)"', html) == ["on-institutions-un"]
    assert html.count('<th scope="row"') == 2
    assert ">UN</a></span>: Members" in html and ">UNSC</a></span>: Members" in html


def test_no_changed_fact_is_an_error_not_an_empty_page():
    with pytest.raises(SiteError, match=r"changed_facts\(\) found no fact with a 'then' value"):
        render.changed_facts(cat_of(V), ctx())


def test_notes_link_to_the_entitys_group_only_when_it_has_a_changed_fact():
    cat = cat_of(with_changes())
    html = render.notes(cat, ctx("institutions/un/"), "un")
    assert 'href="../../changes/#on-institutions-un"' in html and "Some facts about UN have changed" in html
    assert render.notes(cat_of(V), ctx("institutions/un/"), "un") == ""
    shared = render.notes(cat_of(with_changes(unsc_page="institutions/un.md#council")), ctx(), "unsc")
    assert 'href="./#on-institutions-un"' in shared                   # the group of the page it lives on


def test_events_since_the_article_exclude_its_day_and_ambiguous_months():
    text = edit("glossary:\n", "".join(event(i, d) for i, d in [
        ("on-the-day", cat_of(V).data.article.cutoff), ("same-month", "2024-10"), ("next-day", "2024-10-12"),
        ("next-month", "2024-11"), ("next-year", "2025-01-05")]) + "glossary:\n", V)
    cat = cat_of(text)
    assert [e.id for e in freshness.events_after(cat.data, cat.data.article.cutoff)] == ["next-day", "next-month", "next-year"]
    html = render.events_since(cat, ctx())
    assert re.findall(r'<h3 id="([^"]+)"', html) == ["since-2024", "since-2025"]
    assert re.findall(r"<strong>Event ([\w-]+)</strong>", html) == ["next-day", "next-month", "next-year"]
    assert '<time datetime="2024-11">November 2024</time>' in html
    assert "Something &lt;b&gt;happened&lt;/b&gt;." in html                # escaped
    assert '<a class="tag" href="../institutions/unsc/">UNSC</a>' in html


def test_no_event_after_the_article_is_an_error():
    with pytest.raises(SiteError, match=r"events_since\(\) found no event after 11 October 2024"):
        render.events_since(cat_of(V), ctx())


def test_article_written_is_derived_from_the_article_records_cutoff():
    assert render.article_written(cat_of(V)) == "October 2024"
    moved = V.replace("  cutoff: 2024-10-11", "  cutoff: 2025-03-02")
    assert render.article_written(cat_of(moved)) == "March 2025"
    assert [e.id for e in freshness.events_after(cat_of(moved).data, "2025-03-02")] == []


def test_source_shows_the_registry_name_checked_date_and_via_host_unlinked():
    text = edit("    url: https://www.un.org/en/about-us/un-charter/full-text\n",
                "    url: https://www.un.org/en/about-us/un-charter/full-text\n"
                "    via: https://mirror.example.net/charter.pdf?x=1&y=2\n", V)
    html = render.source_html(cat_of(text), "charter")
    assert "</cite>, United Nations, 26 June 1945." in html                 # the name, not the id 'un'
    assert 'checked 30 November 2026, read via <span class="via">mirror.example.net</span>.' in html
    assert html.count("<a ") == 1 and "mirror.example.net/charter" not in html    # via is never linked
    plain = render.source_html(cat_of(V), "lin-2024")
    assert "ISEAS – Yusof Ishak Institute" in plain and "read via" not in plain and "checked 30 November 2026" in plain
