"""Packages a learning-management system imports: the teaching questions (with their answers) as a QTI 2.1
package, and the reading paths of /teaching/ as an IMS Common Cartridge 1.1 of web links.

* QTI: one essay item (extendedTextInteraction) per question, its answer and evidence as the scorer's rubric,
  grouped by page in one assessment test; an IMS Content Packaging manifest lists every file. Pure: from the
  pages' front matter in the catalog.
* Common Cartridge: one module per reading path, one web link per page it names, in its order. The paths are
  read from the built /teaching/ page (its #one-class and #one-week sections), so they are written once, as
  prose; web links must be absolute, so the cartridge exists only when site_url is set.

Both are zip files made deterministically (fixed timestamps, sorted entries), so a rebuild is byte-identical.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from html import escape, unescape

from . import teaching
from .catalog import Catalog

QTI_PATH = "teaching/self-check-qti21.zip"
CC_PATH = "teaching/reading-paths.imscc"
QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CC_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOM_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
WL_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PATHS = (("one-class", "One 50-minute class"), ("one-week", "A week's unit"))


def _x(text: str) -> str:
    return escape(str(text), quote=True)


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2024, 10, 11, 0, 0, 0))   # fixed: the same bytes every build
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[name])
    return out.getvalue()


def _ident(text: str) -> str:
    """An XML NCName-safe identifier."""
    return "I-" + re.sub(r"[^A-Za-z0-9_.-]", "-", text)


def qti_items(cat: Catalog) -> list[dict]:
    """Every page's questions, with its answer and evidence where it has one, in page order."""
    items = []
    for path, meta in sorted(cat.page_meta.items()):
        answers = teaching.answers_of(meta, f"docs/{path}", "")
        for n, question in enumerate(meta.get("questions") or [], 1):
            a = answers[n - 1] if answers else None
            items.append({"id": _ident(f"{path[:-3].replace('/', '-')}-q{n}"), "page": cat.page_title(path),
                          "section": _ident(path[:-3].replace("/", "-")), "question": str(question),
                          "answer": a.text if a else None,
                          "evidence": [teaching.evidence(cat, s, p) for s, p in a.cites] if a else []})
    return items


def qti_item(item: dict) -> str:
    rubric = ""
    if item["answer"]:
        sources = "".join(f"<li>{_x(e)}</li>" for e in item["evidence"])
        rubric = (f'<rubricBlock view="scorer tutor"><p>Model answer: {_x(item["answer"])}</p>'
                  + (f"<p>Evidence:</p><ul>{sources}</ul>" if sources else "") + "</rubricBlock>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<assessmentItem xmlns="{QTI_NS}" xmlns:xsi="{XSI}" '
            f'xsi:schemaLocation="{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" '
            f'identifier="{item["id"]}" title="{_x(item["page"])}: question" adaptive="false" timeDependent="false">'
            f'<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>'
            f'<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
            f'<itemBody>{rubric}<p>{_x(item["question"])}</p>'
            f'<extendedTextInteraction responseIdentifier="RESPONSE" expectedLines="8"/></itemBody>'
            f"</assessmentItem>\n")


def qti_package(cat: Catalog, site_name: str) -> bytes:
    items = qti_items(cat)
    files = {f"items/{i['id']}.xml": qti_item(i) for i in items}
    sections: dict[str, list[dict]] = {}
    for i in items:
        sections.setdefault(i["section"], []).append(i)
    test = (f'<?xml version="1.0" encoding="UTF-8"?>\n<assessmentTest xmlns="{QTI_NS}" xmlns:xsi="{XSI}" '
            f'xsi:schemaLocation="{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd" '
            f'identifier="I-self-check" title="{_x(site_name)}: questions for discussion">'
            f'<testPart identifier="I-part" navigationMode="nonlinear" submissionMode="simultaneous">'
            + "".join(f'<assessmentSection identifier="{sid}" title="{_x(its[0]["page"])}" visible="true">'
                      + "".join(f'<assessmentItemRef identifier="{i["id"]}" href="items/{i["id"]}.xml"/>' for i in its)
                      + "</assessmentSection>" for sid, its in sections.items())
            + "</testPart></assessmentTest>\n")
    files["test.xml"] = test
    resources = ([f'<resource identifier="R-test" type="imsqti_test_xmlv2p1" href="test.xml"><file href="test.xml"/>'
                  + "".join(f'<dependency identifierref="R-{i["id"]}"/>' for i in items) + "</resource>"]
                 + [f'<resource identifier="R-{i["id"]}" type="imsqti_item_xmlv2p1" href="items/{i["id"]}.xml">'
                    f'<file href="items/{i["id"]}.xml"/></resource>' for i in items])
    files["imsmanifest.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{CP_NS}" xmlns:xsi="{XSI}" '
        f'identifier="M-self-check" xsi:schemaLocation="{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd">'
        f"<metadata><schema>QTIv2.1 Package</schema><schemaversion>1.0.0</schemaversion></metadata>"
        f"<organizations/><resources>{''.join(resources)}</resources></manifest>\n")
    return _zip(files)


# --- the Common Cartridge of reading paths, from the built /teaching/ page ---------------------------------

def reading_paths(teaching_html: str, teaching_url: str, titles: dict | None = None) -> list[tuple[str, str, list]]:
    """(id, title, [(page title, site-relative page URL)]) for each reading path section of the built page; a
    page's title comes from titles (URL -> title) when known, else from the link's text."""
    out = []
    for ident, title in PATHS:
        start = teaching_html.find(f'id="{ident}"')
        if start == -1:
            continue
        end = min([i for i in (teaching_html.find("<h2", start), teaching_html.find("<h3", start + 1)) if i != -1]
                  or [len(teaching_html)])
        links, seen = [], set()
        for href, text in re.findall(r'<a href="([^"#:]+/)(?:#[^"]*)?"[^>]*>(.*?)</a>', teaching_html[start:end], re.S):
            url = posixpath.normpath(posixpath.join(teaching_url, href)).lstrip("/") + "/"
            url = "" if url in ("./", "/") else url
            if url not in seen:
                seen.add(url)
                links.append(((titles or {}).get(url) or unescape(re.sub(r"<[^>]+>", "", text)).strip(), url))
        out.append((ident, title, links))
    return out


def cartridge(paths, site_name: str, site_url: str) -> bytes:
    base = site_url.rstrip("/") + "/"
    files, resources, modules = {}, [], []
    for ident, title, links in paths:
        items = []
        for n, (text, url) in enumerate(links, 1):
            rid = f"WL-{ident}-{n}"
            # each web link (a learning application object) in a folder of its own: CC 1.1 section 1.4 counts
            # every other file in the descriptor's folder as the object's associated content
            files[f"weblinks/{rid}/weblink.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<webLink xmlns="{WL_NS}">'
                                            f"<title>{_x(text)}</title><url href=\"{_x(base + url)}\" "
                                            f'target="_blank"/></webLink>\n')
            resources.append(f'<resource identifier="{rid}" type="imswl_xmlv1p1"><file href="weblinks/{rid}/weblink.xml"/>'
                             "</resource>")
            items.append(f'<item identifier="IT-{ident}-{n}" identifierref="{rid}"><title>{_x(text)}</title></item>')
        modules.append(f'<item identifier="MOD-{ident}"><title>{_x(title)}</title>{"".join(items)}</item>')
    files["imsmanifest.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest identifier="CC-reading-paths" xmlns="{CC_NS}" '
        f'xmlns:lomimscc="{LOM_NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{CC_NS} '
        f'http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd {LOM_NS} '
        f'http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd">'
        f"<metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion>"
        f'<lomimscc:lom><lomimscc:general><lomimscc:title><lomimscc:string language="en">{_x(site_name)}: reading '
        f"paths</lomimscc:string></lomimscc:title></lomimscc:general></lomimscc:lom></metadata>"
        f'<organizations><organization identifier="ORG" structure="rooted-hierarchy"><item identifier="ROOT">'
        f'{"".join(modules)}</item></organization></organizations><resources>{"".join(resources)}</resources>'
        f"</manifest>\n")
    return _zip(files)
