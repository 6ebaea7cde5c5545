"""Self-check: answers to the teaching questions (front matter, checked with file:line), shown behind <details>,
printed as an answer key, collected on /teaching/, exported as QTI 2.1 and the reading paths as an IMS Common
Cartridge; the packages parse and every file they reference is in them."""
import io
import re
import zipfile

import pytest
from lxml import etree

from conftest import SITE_URL, valid_data
from macros import lms, render, teaching
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import parse_yaml, validate

V = valid_data()
PASSAGE = "    passages:\n      - id: art-27\n        quote: nine members including the concurring votes\n        at: Art. 27(3)\n"
DATA = V.replace("    primary: true\n    checked: 2026-11-30\n", "    primary: true\n    checked: 2026-11-30\n" + PASSAGE, 1)
PAGE = """---
objectives: [a, b]
questions:
  - How many votes?
  - Is the veto fair?
  - Who elects the ten?
answers:
  - text: Nine, with no permanent member against.
    cite: [charter, art-27]
  - A discussion answer.
  - text: The General Assembly.
    cite: [[charter, art-27]]
---
# Page
"""
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
CC = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
WL = "{http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1}"


def cat():
    return build_catalog(validate(parse_yaml(DATA, "d.yml"), "d.yml"), "d.yml")


def meta(text=PAGE):
    import yaml
    return yaml.safe_load(text.split("---\n")[1])


def test_answers_pair_with_questions_and_cite_passages():
    got = teaching.check(cat(), "docs/p.md", meta(), PAGE)
    assert [a.cites for a in got] == [(("charter", "art-27"),), (), (("charter", "art-27"),)]


@pytest.mark.parametrize("old, new, message, line", [
    ("  - A discussion answer.\n", "", r"docs/p\.md:\d+: 2 answers for 3 questions", 7),
    ("cite: [charter, art-27]", "cite: [charter, art-72]", r"unknown passage 'art-72' of source 'charter'.*art-27", 8),
    ("cite: [[charter, art-27]]", "cite: [[chartr, art-27]]", r"unknown source id 'chartr'.*charter", 11),
    ("cite: [charter, art-27]", "cite: charter", r"the cite of answer 1 is not \[source-id, passage-id\]", 8),
    ("  - A discussion answer.\n", "  - {}\n", r"answer 2 is not text or a mapping", 10),
])
def test_a_wrong_answer_is_a_located_error(old, new, message, line):
    text = PAGE.replace(old, new)
    with pytest.raises(SiteError, match=message) as exc:
        teaching.check(cat(), "docs/p.md", meta(text), text)
    assert exc.value.line == line, str(exc.value)


def test_answers_are_revealed_without_script_and_cited():
    ctx = render.PageContext(url="p/", src="docs/p.md")
    m = meta()
    html = render.for_teachers(cat(), ctx, m["objectives"], m["questions"], m["answers"])
    assert html.count('<details class="answer"><summary>Answer</summary>') == 3
    assert '<a href="#src-charter--art-27" data-cite' in html and ctx.passages == {"charter": ["art-27"]}
    key = teaching.answer_key(cat(), m)
    assert key[0] == {"n": 1, "question": "How many votes?", "answer": "Nine, with no permanent member against.",
                      "sources": "Charter of the United Nations, Art. 27(3)"}
    assert key[1]["sources"] == ""


def test_qti_items_are_essays_with_the_answer_in_the_rubric():
    item = lms.qti_item({"id": "I-p-q1", "page": "P & Q", "section": "I-p", "question": "Why <now>?",
                         "answer": "Because.", "evidence": ["Charter, Art. 27(3)"]})
    root = etree.fromstring(item.encode())
    assert root.tag == QTI + "assessmentItem" and root.get("adaptive") == "false" and root.get("timeDependent") == "false"
    interaction = root.find(f"{QTI}itemBody/{QTI}extendedTextInteraction")
    assert interaction.get("responseIdentifier") == root.find(QTI + "responseDeclaration").get("identifier")
    assert "Model answer: Because." in etree.tostring(root.find(f"{QTI}itemBody/{QTI}rubricBlock"), encoding=str)
    assert root.find(f"{QTI}itemBody/{QTI}p").text == "Why <now>?"


# --- the built site -------------------------------------------------------------------------------------

def test_answered_pages_show_answers_and_print_an_answer_key(published_site):
    page = published_site.html("institutions/unsc/index.html")
    assert page.count('<details class="answer">') == 3
    key = re.search(r'<section class="answer-key".*?</section>', page, re.S).group(0)
    assert key.count("<li>") == 3 and "Charter of the United Nations, Art. 27(3)" in key
    teach = published_site.html("teaching/index.html")
    assert teach.count('<details class="answer">') >= 3 and 'id="sources"' in teach


def zipped(path):
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def test_qti_package_parses_and_references_only_its_own_files(published_site):
    z = zipped(published_site.site / lms.QTI_PATH)
    names = set(z.namelist())
    manifest = etree.fromstring(z.read("imsmanifest.xml"))
    assert manifest.tag == CP + "manifest" and manifest.findtext(f"{CP}metadata/{CP}schema") == "QTIv2.1 Package"
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    ids = {r.get("identifier") for r in resources}
    for r in resources:
        assert r.get("href") in names and all(f.get("href") in names for f in r.findall(CP + "file"))
        assert all(d.get("identifierref") in ids for d in r.findall(CP + "dependency"))
    items = [n for n in names if n.startswith("items/")]
    test = etree.fromstring(z.read("test.xml"))
    refs = [ref.get("href") for ref in test.iter(QTI + "assessmentItemRef")]
    assert sorted(refs) == sorted(items) and len(items) >= 100          # every question of every page
    answered = 0
    for name in items:
        root = etree.fromstring(z.read(name))
        assert root.tag == QTI + "assessmentItem" and root.get("identifier") and root.get("title")
        answered += root.find(f"{QTI}itemBody/{QTI}rubricBlock") is not None
    assert answered >= 3


def test_common_cartridge_parses_and_links_every_reading_path_page(published_site):
    z = zipped(published_site.site / lms.CC_PATH)
    names = set(z.namelist())
    manifest = etree.fromstring(z.read("imsmanifest.xml"))
    assert manifest.findtext(f"{CC}metadata/{CC}schemaversion") == "1.1.0"
    resources = {r.get("identifier"): r for r in manifest.iter(CC + "resource")}
    modules = manifest.findall(f"{CC}organizations/{CC}organization/{CC}item/{CC}item")
    assert [m.findtext(CC + "title") for m in modules] == ["One 50-minute class", "A week's unit"]
    for item in manifest.iter(CC + "item"):
        ref = item.get("identifierref")
        if ref is None:
            continue
        res = resources[ref]
        assert res.get("type") == "imswl_xmlv1p1"
        href = res.find(CC + "file").get("href")
        assert href in names
        link = etree.fromstring(z.read(href))
        url = link.find(WL + "url").get("href")
        assert url.startswith(SITE_URL) and link.findtext(WL + "title") == item.findtext(CC + "title")
        assert (published_site.site / url.removeprefix(SITE_URL) / "index.html").is_file(), url
    assert len(modules[1].findall(CC + "item")) >= 10


def test_without_an_address_no_cartridge_is_offered(real_site):
    assert not (real_site.site / lms.CC_PATH).exists() and (real_site.site / lms.QTI_PATH).is_file()
    teach = real_site.html("teaching/index.html")
    assert "imscc" not in teach and "self-check-qti21.zip" in teach


# --- validated by pyslet, IMS's own object model of QTI 2.1, Content Packaging and the CC profile ------------
# (no XSD is used: the official schemas live on imsglobal.org, which this machine cannot reach, and nothing is
# fetched at test time; pyslet raises QTIValidityError on content the QTI 2.1 model does not allow and logs a
# warning on a bad attribute value, and its CC profile suite checks the cartridge's structure rules)

def _pyslet_log(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= 30]


def _qti_documents(folder):
    from pyslet import imsqtiv2p1 as qti
    out = {}
    for path in sorted(folder.glob("items/*.xml")) + [folder / "test.xml"]:
        doc = qti.QTIDocument(base_uri=str(path))
        doc.read()
        out[path.name] = doc.root
    return qti, out


def test_qti_package_is_valid_qti_2_1_to_pyslet(published_site, tmp_path, caplog):
    from pyslet import imscpv1p2
    zipfile.ZipFile(published_site.site / lms.QTI_PATH).extractall(tmp_path)
    package = imscpv1p2.ContentPackage(str(tmp_path))
    hrefs = {str(f.href) for r in package.manifest.root.Resources.Resource for f in r.File}
    qti, docs = _qti_documents(tmp_path)
    assert {"items/" + n for n in docs if n != "test.xml"} | {"test.xml"} == hrefs
    assert isinstance(docs.pop("test.xml"), qti.tests.AssessmentTest)
    assert len(docs) >= 100 and all(isinstance(d, qti.items.AssessmentItem) for d in docs.values())
    assert _pyslet_log(caplog) == []


def test_pyslet_rejects_an_item_outside_the_qti_model(published_site, tmp_path, caplog):
    """The check above can fail: an element QTI 2.1 does not have, and an attribute value it does not allow."""
    from pyslet.qtiv2.core import QTIValidityError
    z = zipfile.ZipFile(published_site.site / lms.QTI_PATH)
    name = next(n for n in z.namelist() if n.startswith("items/"))
    good = z.read(name).decode()
    (tmp_path / "items").mkdir()
    (tmp_path / name).write_text(good.replace("extendedTextInteraction", "essayInteraction"))
    with pytest.raises(QTIValidityError):
        _qti_documents(tmp_path)
    (tmp_path / name).write_text(good.replace('adaptive="false"', 'adaptive="perhaps"'))
    (tmp_path / "test.xml").write_bytes(z.read("test.xml"))
    _qti_documents(tmp_path)
    assert any("adaptive" in m for m in _pyslet_log(caplog))


def _cartridge_failures(path):
    import unittest
    from pyslet import imscc_profilev1p0, imscc_profilev1p1
    cc = imscc_profilev1p1.CommonCartridge(str(path))
    result = unittest.TestResult()
    imscc_profilev1p0.CCTestSuite(cc).run(result)
    return cc, result


def test_common_cartridge_passes_pyslets_profile_suite(published_site, tmp_path, caplog):
    cc, result = _cartridge_failures(published_site.site / lms.CC_PATH)
    assert result.testsRun >= 8 and result.failures == [] and result.errors == []
    assert len(cc.laoTable) >= 10 and _pyslet_log(caplog) == []      # every web link is a learning object


def test_pyslets_profile_suite_fails_a_cartridge_that_breaks_a_rule(published_site, tmp_path):
    """Two web links in one folder break CC section 1.4 (each object's folder holds only its own files)."""
    z = zipfile.ZipFile(published_site.site / lms.CC_PATH)
    files = {n: z.read(n).decode() for n in z.namelist()}
    moved = {re.sub(r"weblinks/(WL-[^/]+)/weblink\.xml", r"weblinks/\1.xml", n): t for n, t in files.items()}
    moved["imsmanifest.xml"] = re.sub(r"weblinks/(WL-[^/\"]+)/weblink\.xml", r"weblinks/\1.xml",
                                      files["imsmanifest.xml"])
    bad = tmp_path / "bad.imscc"
    with zipfile.ZipFile(bad, "w") as out:
        for n, t in moved.items():
            out.writestr(n, t)
    _, result = _cartridge_failures(bad)
    assert result.failures and "weblinks/" in result.failures[0][1]
