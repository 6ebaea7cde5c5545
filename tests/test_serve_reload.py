"""`mkdocs serve`: an edit to any module under macros/ shows on the next request (macros/__init__.py reloads the
package in dependency order when one of its files changed).

One server on a mini project; for each module, one edit whose effect a reader (or an open-data user) sees,
saved while the server runs, then the served page polled until it shows the edit; then the edit is undone.
A module added to macros/ without an entry here fails test_every_module_has_a_serve_test.
"""
from __future__ import annotations

import subprocess
import threading
import time

import pytest

import macros
from conftest import ENV, MKDOCS, make_project
from test_serve import fetch, free_port

WAIT = 120

PAGES = {
    "probe.md": "# Probe\n\nProbe text: the {{ term('veto') }}.\n\n{{ article_citations() }}\n",
    "since.md": "# Since\n\n{{ events_since() }}\n",
    "broken-id.md": "# Broken id\n\n{{ term('vetoo') }}\n",
    "broken-kind.md": "# Broken kind\n\n{{ term('un') }}\n",
    "broken-call.md": "# Broken call\n\n{{ term() }}\n",
    "broken-figure.md": "# Broken figure\n\n{{ memberships() }}\n",
    "lookalike.md": "# Look-alike\n\n{{ term('vet\u043e') }}\n",
    "downloads.md": "# Downloads\n\n{{ teaching_downloads() }}\n",
}

# module: (old text, new text, address to fetch, what it then shows). An edit that breaks every page (geo,
# policy) is undone before the next one and its recovery awaited.
EDITS = {
    "errors": ("return f\"did you mean '{close[0]}'?\"", "return f\"did you mean '{close[0]}'? EDITED-errors\"",
               "broken-id/", "EDITED-errors"),
    "safe": ("    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group(0)], text)",
             "    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group(0)], text.replace('permanent', 'EDITED-safe'))",
             "assets/previews.js", "EDITED-safe"),          # the term's definition, shown by its preview
    "geo": ("def read_maps(raw: Any) -> dict[str, Any]:",
            "def read_maps(raw: Any) -> dict[str, Any]:\n    raise SiteError('EDITED-geo', file=MAPS_FILE)",
            "probe/", "EDITED-geo"),
    "guard": ("were given (missing ", "were given EDITED-guard (missing ", "broken-call/", "EDITED-guard"),
    "citation": ('"APA": f"{escape(family)}, ', '"APA": f"EDITED-citation {escape(family)}, ', "probe/",
                 "EDITED-citation"),
    "model": ("        return self.short or self.name", "        return 'EDITED-model ' + (self.short or self.name)",
              "institutions/un/", "EDITED-model"),
    "catalog": ("return f\"'{ident}' is {what}: use", "return f\"'{ident}' is {what}: EDITED-catalog use",
                "broken-kind/", "EDITED-catalog"),
    "evidence": ("def data_citations(data: SiteData, file: str) -> list[Citation]:",
                 "def data_citations(data: SiteData, file: str) -> list[Citation]:\n    file = 'EDITED-evidence'",
                 "data/citations.csv", "EDITED-evidence"),
    "freshness": ("if earliest_day(e.date) > cutoff)", "if earliest_day(e.date) < cutoff)", "since/",
                  "Charter signed"),
    "loader": ("        return validate(parse_yaml(text, file), file)",
               "        return validate(parse_yaml(text.replace('The world organisation of states.', "
               "'EDITED-loader'), file), file)", "institutions/un/", "EDITED-loader"),
    "pages": ("            out.append(piece)\n", "            out.append(piece.replace('Probe text', 'EDITED-pages'))\n",
              "probe/", "EDITED-pages"),
    "export": ("    return json.dumps(data.model_dump(", "    return 'EDITED-export' + json.dumps(data.model_dump(",
               "data/asean_un.json", "EDITED-export"),
    "policy": ("    found = _kept_problems(data, file, None if page_cites is None else frozenset(page_cites))\n",
               "    raise SiteError('EDITED-policy', file=file)\n"
               "    found = _kept_problems(data, file, None if page_cites is None else frozenset(page_cites))\n",
               "probe/", "EDITED-policy"),
    "render": ("            f'{escape(text)}</a></span>')", "            f'{escape(text)} EDITED-render</a></span>')",
               "probe/", "EDITED-render"),
    "site": ("(project_dir / DATA_FILE).read_bytes())", "(project_dir / DATA_FILE).read_bytes() + b'#EDITED-site')",
             "data/asean_un.yml", "EDITED-site"),
    "figures": ("needs 'memberships:' in the data file", "EDITED-figures needs 'memberships:'",
                "broken-figure/", "EDITED-figures"),
    "engine": ("state.rendered[page.src] = pages.call_literal(pieces, state.macros, path, results.append)",
               "state.rendered[page.src] = pages.call_literal(pieces, state.macros, path, results.append) + '\\n\\nEDITED-engine\\n'",
               "probe/", "EDITED-engine"),
    "postbuild": ("    write_open_data(cat, project_dir, site_dir)\n",
                  "    write_open_data(cat, project_dir, site_dir)\n    (site_dir / 'probe.txt').write_text('EDITED-postbuild')\n",
                  "probe.txt", "EDITED-postbuild"),
    # issues 17, 20 and 22 (merged after issue 18)
    "dates": ("    found = problems(data, file, today)\n",
              "    raise SiteError('EDITED-dates', file=file)\n    found = problems(data, file, today)\n",
              "probe/", "EDITED-dates"),
    "editions": ('    """Every edition record has its kept copy, and every kept copy its record (an edition is never lost)."""\n',
                 '    """Every edition record has its kept copy, and every kept copy its record (an edition is never lost)."""\n'
                 "    raise SiteError('EDITED-editions')\n", "probe/", "EDITED-editions"),
    "teaching": ("    answers = answers_of(meta, file, text)\n",
                 "    raise SiteError('EDITED-teaching', file=file)\n", "probe/", "EDITED-teaching"),
    "urls": ('    """The address as a browser reads it, or BadUrl when it is not in the plain form (see the module)."""\n',
             '    """The address as a browser reads it, or BadUrl when it is not in the plain form (see the module)."""\n'
             "    raise ValueError('EDITED-urls')\n", "probe/", "EDITED-urls"),
    "names": ('    return ", ".join(describe(ch) for ch in odd[:4])', '    return "EDITED-names " + ", ".join(describe(ch) for ch in odd[:4])',
              "lookalike/", "EDITED-names"),
    "seo": ('LICENSE = "https://creativecommons.org/licenses/by/4.0/"', 'LICENSE = "https://example.org/EDITED-seo/"',
            "probe/", "EDITED-seo"),
    "lms": ('QTI_PATH = "teaching/self-check-qti21.zip"', 'QTI_PATH = "teaching/EDITED-lms.zip"', "downloads/",
            "EDITED-lms"),
    "kit": ("    Everything a kit needs is on its box in the page (macros/engine.py put it there). Returns the count.\"\"\"\n",
            "    Everything a kit needs is on its box in the page (macros/engine.py put it there). Returns the count.\"\"\"\n"
            "    (site_dir / 'probe-kit.txt').write_text('EDITED-kit')\n", "probe-kit.txt", "EDITED-kit"),
    "publish": ("    kit.write_all(site_dir, settings.site_name)",
                "    (site_dir / 'probe-publish.txt').write_text('EDITED-publish')\n    kit.write_all(site_dir, settings.site_name)",
                "probe-publish.txt", "EDITED-publish"),
    # feeds and the share control show only with SITE_URL (absolute addresses), which this server has not: a
    # module that fails at import shows on every page, so the module was reloaded
    "feeds": ('JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"\n',
              'JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"\nraise RuntimeError("EDITED-feeds")\n',
              "probe/", "EDITED-feeds"),
    "share": ('CLASSROOM = "https://classroom.google.com/share"\n',
              'CLASSROOM = "https://classroom.google.com/share"\nraise RuntimeError("EDITED-share")\n',
              "probe/", "EDITED-share"),
    # a block the macros wrote, as Python-Markdown receives it (the probe's article_citations())
    "rawblocks": ('                    out += ["", self.md.htmlStash.store(text + ("\\n" if k == len(parts) - 1 else "")), ""]\n',
                  '                    out += ["", self.md.htmlStash.store(text + ("\\n" if k == len(parts) - 1 else "")), "", '
                  '"EDITED-rawblocks", ""]\n', "probe/", "EDITED-rawblocks"),
    # the catalog kept between builds is not used while serving (the catalog stays in memory): an import error
    # shows instead
    "buildcache": ('KEEP = 4 ', 'raise RuntimeError("EDITED-buildcache")\nKEEP = 4 ', "probe/", "EDITED-buildcache"),
    # the print page is filled only by a build (a preview leaves its placeholder): an import error shows instead
    "printpage": ('STYLESHEET = "assets/print-page.css"\n',
                  'STYLESHEET = "assets/print-page.css"\nraise RuntimeError("EDITED-printpage")\n',
                  "probe/", "EDITED-printpage"),
}
BREAKS_EVERY_PAGE = {"geo", "policy", "dates", "editions", "teaching", "urls", "feeds", "share", "printpage",
                     "buildcache"}


def test_every_module_has_a_serve_test():
    assert sorted(EDITS) == sorted(macros.dependency_order())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("serve-reload"), extra_pages=PAGES, maps=True)
    port = free_port()
    proc = subprocess.Popen([*MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}/"

    def wait_for(path: str, what: str, absent: bool = False) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < WAIT:
            assert proc.poll() is None, f"mkdocs serve died:\n{''.join(log)[-4000:]}"
            text = fetch(base + path)               # '' for a missing file: then it is absent
            if (what not in text) if absent else (what in text):
                return time.monotonic() - t0
            time.sleep(0.05)
        raise AssertionError(f"{what!r} {'stayed' if absent else 'never appeared'} at /{path}; log:\n"
                             f"{''.join(log)[-4000:]}")

    try:
        wait_for("probe/", "Probe text")
        yield project, wait_for
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        reader.join(timeout=5)
    assert "Traceback" not in "".join(log), "".join(log)[-4000:]


@pytest.mark.serve
@pytest.mark.parametrize("module", list(EDITS))
def test_an_edit_to_the_module_shows_on_the_next_request(server, module):
    project, wait_for = server
    old, new, path, shown = EDITS[module]
    source = project / "macros" / f"{module}.py"
    original = source.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"the edit's anchor text is not (once) in macros/{module}.py: {old!r}"
    wait_for(path, shown, absent=True)              # not there before the edit
    source.write_text(original.replace(old, new), encoding="utf-8")
    try:
        wait_for(path, shown)
    finally:
        source.write_text(original, encoding="utf-8")
    if module in BREAKS_EVERY_PAGE:
        wait_for(path, shown, absent=True)
