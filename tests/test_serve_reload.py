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
}

# module: (old text, new text, address to fetch, what it then shows). An edit that breaks every page (geo,
# policy) is undone before the next one and its recovery awaited.
EDITS = {
    "errors": ("return f\"did you mean '{close[0]}'?\"", "return f\"did you mean '{close[0]}'? EDITED-errors\"",
               "broken-id/", "EDITED-errors"),
    "safe": ("    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group(0)], text)",
             "    return _MARKDOWN_RE.sub(lambda m: _MARKDOWN[m.group(0)], text.replace('permanent', 'EDITED-safe'))",
             "probe/", "EDITED-safe"),
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
    "export": ("def to_json(data: SiteData) -> str:\n    return json.dumps(",
               "def to_json(data: SiteData) -> str:\n    return 'EDITED-export' + json.dumps(",
               "data/asean_un.json", "EDITED-export"),
    "policy": ("    found = problems(data, file, page_cites)\n",
               "    raise SiteError('EDITED-policy', file=file)\n    found = problems(data, file, page_cites)\n",
               "probe/", "EDITED-policy"),
    "render": ('tip = f"<strong>{escape(t.term)}</strong>: ', 'tip = f"<strong>{escape(t.term)}</strong> EDITED-render: ',
               "probe/", "EDITED-render"),
    "site": ("(project_dir / DATA_FILE).read_bytes())", "(project_dir / DATA_FILE).read_bytes() + b'#EDITED-site')",
             "data/asean_un.yml", "EDITED-site"),
    "figures": ("needs 'memberships:' in the data file", "EDITED-figures needs 'memberships:'",
                "broken-figure/", "EDITED-figures"),
    "engine": ("state.rendered[page.src] = pages.call_literal(pieces, state.macros, path)",
               "state.rendered[page.src] = pages.call_literal(pieces, state.macros, path) + '\\n\\nEDITED-engine\\n'",
               "probe/", "EDITED-engine"),
    "postbuild": ("    write_open_data(cat, project_dir, site_dir)\n",
                  "    write_open_data(cat, project_dir, site_dir)\n    (site_dir / 'probe.txt').write_text('EDITED-postbuild')\n",
                  "probe.txt", "EDITED-postbuild"),
}
BREAKS_EVERY_PAGE = {"geo", "policy"}


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
            time.sleep(0.2)
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
