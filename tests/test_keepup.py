"""Keep up: corrections (a data section, shown on /changes/), the Atom and JSON feeds of changes made from the data,
and "Report an error on this page" (carries the page and section; hidden when no tracker is configured)."""
import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import jsonschema
import pytest
from lxml import etree

from conftest import REPORT_URL, SITE_URL, valid_data
from macros import feeds, render
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import parse_yaml, validate

V = valid_data()
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"

CHANGED = V.replace('        value: "193"\n        source: charter\n        as_of: 2024-10-01\n',
                    '        value: "194"\n        source: charter\n        as_of: 2026-05-01\n'
                    '        then:\n          value: "193"\n          as_of: 2024-10-01\n          source: charter\n', 1)
EVENT = ("  - id: later-event\n    date: 2025-03\n    title: A <later> event\n    summary: It happened.\n"
         "    related: [un]\n    source: charter\n")
FIX = ("corrections:\n  - id: wrong-year\n    date: 2026-11-30\n    page: institutions/un.md#in-brief\n"
       "    wrong: The Charter was said to be signed in 1946.\n    right: It was signed in 1945 <b>really</b>.\n"
       "    source: charter\n")


def cat_of(text, pages=None):
    return build_catalog(validate(parse_yaml(text, "d.yml"), "d.yml"), "d.yml", docs_pages=pages)


def full():
    return cat_of(CHANGED.replace("glossary:\n", EVENT + "glossary:\n", 1) + FIX)


def test_corrections_render_newest_first_escaped_and_cited():
    ctx = render.PageContext(url="changes/", src="docs/changes.md")
    html = render.corrections(full(), ctx)
    assert '<li id="fix-wrong-year"><time datetime="2026-11-30">30 November 2026</time>' in html
    assert 'href="../institutions/un/#in-brief"' in html
    assert "It was signed in 1945 &lt;b&gt;really&lt;/b&gt;." in html and "<b>really" not in html
    assert ctx.citations == {"charter": []}                      # cited: the source list shows it
    assert "No correction" in render.corrections(cat_of(V), ctx)


@pytest.mark.parametrize("change, message", [
    (("source: charter\n", "source: chartr\n"), r"d\.yml:\d+: \[wrong-year\] unknown source id 'chartr'.*charter"),
    (("page: institutions/un.md#in-brief", "page: institutions/uno.md"),
     r"\[wrong-year\] correction 'wrong-year' is on page 'institutions/uno.md', which does not exist.*institutions/un\.md"),
    (("date: 2026-11-30", "date: 2026-13-01"), r"date"),
])
def test_a_broken_correction_is_a_located_error(change, message):
    text = CHANGED + FIX.replace(*change)
    with pytest.raises(SiteError, match=message):
        cat_of(text, pages={"institutions/un.md", "institutions/unsc.md", "index.md"})


def test_changes_are_the_facts_events_and_corrections_newest_first():
    entries = feeds.changes(full())
    assert [(c.kind, c.day) for c in entries] == [("correction", "2026-11-30"), ("fact", "2026-05-01"),
                                                  ("event", "2025-03")]
    fact = entries[1]
    assert fact.url == "institutions/un/" and "193 (as of 1 October 2024)" in fact.text and "Now: 194" in fact.text
    assert entries[2].url == "timeline/#ev-later-event" and entries[2].title == "A <later> event"
    assert entries[0].url == "institutions/un/#in-brief"


def test_atom_feed_parses_and_has_what_rfc_4287_requires():
    cat = full()
    xml = feeds.atom(cat, "Site", SITE_URL, feeds.changes(cat))
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == 3
    assert parsed.entries[1].link == SITE_URL + "institutions/un/"
    assert parsed.entries[2].title == "A <later> event"                 # text, escaped in the XML
    root = etree.fromstring(xml)
    for el in [root, *root.iter(ATOM + "entry")]:                       # atom:id, atom:title, atom:updated
        for name in ("id", "title", "updated"):
            assert el.find(ATOM + name) is not None and el.find(ATOM + name).text, name
    assert root.find(ATOM + "author/" + ATOM + "name").text
    assert root.find(ATOM + "updated").text.startswith("2026-11-30")     # the newest entry, not the build day
    ids = [e.find(ATOM + "id").text for e in root.iter(ATOM + "entry")]
    assert len(set(ids)) == 3 and all(i.startswith(SITE_URL + "changes/#") for i in ids)


def test_json_feed_validates_against_the_json_feed_1_1_schema():
    cat = full()
    feed = json.loads(feeds.json_feed(cat, "Site", SITE_URL, feeds.changes(cat)))
    jsonschema.validate(feed, SCHEMA)
    for item in feed["items"]:
        assert dt.datetime.fromisoformat(item["date_published"].replace("Z", "+00:00")).tzinfo is not None
        assert item["url"].startswith(SITE_URL)
    assert [i["tags"] for i in feed["items"]] == [["correction"], ["fact"], ["event"]]


# --- the real site, as deployed (SITE_URL set) and without an address ---------------------------------------

def test_published_feeds_validate_and_list_the_changes_since_the_article(published_site):
    site = published_site.site
    assert published_site.code == 0, published_site.output
    parsed = feedparser.parse((site / "changes.atom").read_bytes())
    assert not parsed.bozo and len(parsed.entries) >= 20
    feed = json.loads((site / "changes.json").read_text(encoding="utf-8"))
    jsonschema.validate(feed, SCHEMA)
    kinds = {i["tags"][0] for i in feed["items"]}
    assert kinds == {"fact", "event", "correction"}
    for item in feed["items"]:                          # every link lands on a built page
        path = item["url"].removeprefix(SITE_URL).partition("#")[0]
        assert (site / path / "index.html").is_file(), item["url"]
    page = (site / "changes" / "index.html").read_text(encoding="utf-8")
    assert 'id="corrections"' in page and 'id="fix-indonesia-first-council-term"' in page
    assert 'href="../changes.atom"' in page and 'href="../changes.json"' in page
    assert f'href="{SITE_URL}changes.atom"' in (site / "index.html").read_text(encoding="utf-8")


def test_report_an_error_carries_the_page_and_is_hidden_without_a_tracker(published_site, real_site):
    page = published_site.html("institutions/asean/index.html")
    link = re.search(r'<p class="report-error">\s*<a href="([^"]+)"\s+data-report-template="([^"]+)"', page)
    assert link, "no report link"
    assert link.group(1) == "https://tracker.example/new?title=ASEAN&amp;body=https%3A//example.org/explainer/institutions/asean/%23"
    assert link.group(2) == REPORT_URL.replace("&", "&amp;")
    unset = real_site.html("institutions/asean/index.html")
    assert "report-error" not in re.sub(r"<link[^>]+>|<script.*?</script>", "", unset, flags=re.S)
    assert not (real_site.site / "changes.atom").exists()               # no address, no feed
    assert "changes.atom" not in real_site.html("changes/index.html")
