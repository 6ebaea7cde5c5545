"""Be found: JSON-LD on every page (Article / LearningResource based on the commentary, Dataset, DefinedTermSet),
Open Graph tags with a card image per kind of page, and sitemap dates from git. Absolute addresses only with SITE_URL."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, SITE_URL, valid_data
from macros import seo, site
from macros.catalog import build_catalog
from macros.loader import parse_yaml, validate

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def cat():
    return build_catalog(validate(parse_yaml(valid_data(), "d.yml"), "d.yml"), "d.yml")


def graph(**kw):
    args = dict(src="institutions/un.md", url="institutions/un/", title="UN", description="The UN.",
                meta={}, modified="2026-11-30", site_name="Site", site_url=None)
    return seo.page_graph(cat(), **{**args, **kw})["@graph"]


def test_a_page_with_objectives_is_a_learning_resource_based_on_the_commentary():
    page = graph(meta={"objectives": ["Explain the veto.", "Name the P5."]}, site_url=SITE_URL)[0]
    assert page["@type"] == ["Article", "LearningResource"] and page["teaches"] == ["Explain the veto.", "Name the P5."]
    assert page["isBasedOn"]["@type"] == "ScholarlyArticle" and page["isBasedOn"]["name"] == "The article"
    assert page["license"] == seo.LICENSE and page["dateModified"] == "2026-11-30"
    assert page["url"] == SITE_URL + "institutions/un/" and page["image"] == SITE_URL + "assets/cards/institution.png"


def test_without_a_site_address_nothing_absolute_is_made_up():
    doc = json.dumps(graph(meta={"describes": "glossary"}))
    assert "http" not in doc.replace(seo.LICENSE, "").replace("https://schema.org", "")
    assert "og:url" not in dict(seo.open_graph(src="index.md", url="", title="T", description=None,
                                               site_name="S", site_url=None))


def test_json_for_a_script_element_cannot_close_it():
    text = seo.script_json({"name": "</script><script>alert(1)</script> <!--"})
    assert "</" not in text and "<!--" not in text and json.loads(text)["name"].startswith("</script>")


@pytest.mark.parametrize("src, card", [("index.md", "home"), ("crises/gaza.md", "crisis"), ("glossary.md", "reference"),
                                       ("compare/index.md", "compare"), ("data.md", "data")])
def test_each_kind_of_page_has_its_card(src, card):
    assert seo.card_of(src) == card and (ROOT / "docs" / seo.CARD_DIR / f"{card}.png").is_file()


def pages_of(built):
    return [p for p in sorted(built.site.rglob("index.html"))       # reader pages: not embeds (kit) or copies
            if not {"print_page", "kit", "editions"} & set(p.relative_to(built.site).parts)
            and p.parent != built.site / "search"]


def test_every_published_page_has_json_ld_and_open_graph(published_site):
    assert published_site.code == 0, published_site.output
    pages = pages_of(published_site)
    assert len(pages) > 40
    for path in pages:
        text = path.read_text(encoding="utf-8")
        docs = [json.loads(m) for m in LD.findall(text)]
        assert len(docs) == 1, path
        main = docs[0]["@graph"][0]
        assert {"Article"} <= set(main["@type"] if isinstance(main["@type"], list) else [main["@type"]]), path
        assert main["isBasedOn"]["author"]["name"] == "Joanne Lin" and main["dateModified"]
        og = dict(re.findall(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"', text))
        assert {"og:title", "og:type", "og:url", "og:image", "og:description"} <= set(og), path
        image = og["og:image"].removeprefix(SITE_URL)
        assert (published_site.site / image).is_file(), image
        assert og["og:url"] == main["url"]


def test_data_is_a_dataset_and_the_glossary_a_defined_term_set(published_site):
    data = json.loads(LD.search(published_site.html("data/index.html")).group(1))["@graph"]
    ds = next(n for n in data if n["@type"] == "Dataset")
    assert ds["license"] == seo.LICENSE and all(
        (published_site.site / d["contentUrl"].removeprefix(SITE_URL)).is_file() for d in ds["distribution"])
    gl = json.loads(LD.search(published_site.html("glossary/index.html")).group(1))["@graph"]
    terms = next(n for n in gl if n["@type"] == "DefinedTermSet")["hasDefinedTerm"]
    page = published_site.html("glossary/index.html")
    assert len(terms) > 50 and all(f'id="{t["termCode"]}"' in page for t in terms)
    teaching = json.loads(LD.search(published_site.html("crises/gaza/index.html")).group(1))["@graph"][0]
    assert "LearningResource" in teaching["@type"] and len(teaching["teaches"]) >= 2


def test_sitemap_lastmod_is_each_pages_last_change_in_git(published_site):
    dates = site.git_dates(ROOT)
    tree = ET.parse(published_site.site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    checked = 0
    for url in tree.getroot().findall("s:url", ns):
        loc = url.find("s:loc", ns).text.removeprefix(SITE_URL)
        src = "index.md" if loc == "" else (loc.rstrip("/") + ".md")
        if src not in dates:
            src = loc + "index.md"
        lastmod = url.find("s:lastmod", ns)
        if src in dates:
            assert lastmod is not None and lastmod.text == dates[src].isoformat(), loc
            checked += 1
        else:
            assert lastmod is None, loc                     # no history: no made-up date
    assert checked > 30


def test_no_absolute_address_without_site_url(real_site):
    text = real_site.html("institutions/asean/index.html")
    doc = json.loads(LD.search(text).group(1))["@graph"][0]
    assert "url" not in doc and "image" not in doc
    assert 'property="og:image"' not in text and 'property="og:title"' in text
