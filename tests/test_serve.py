"""`mkdocs serve` survives every error, page or data, shows it in the log and on the page, and recovers on
the next good save; `mkdocs build` of the same broken project fails (tests/test_broken_inputs.py).

The server runs on 127.0.0.1 at a free port; every wait is a bounded poll.
"""
from __future__ import annotations

import html as htmllib
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import ENV, MKDOCS

WAIT = 120          # seconds per step at most: a shared 2-core machine rebuilds slowly


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


@pytest.mark.serve
def test_serve_survives_errors_and_recovers(mini):
    project = mini(extra_pages={"extra.md": "# X\n\nStarts broken: {{ term() }}\n"}, build_it=False)
    page, data = project / "docs" / "extra.md", project / "data" / "asean_un.yml"
    good_data = data.read_text(encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([*MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/extra/"

    def wait_for(what: str, *, absent: str | None = None, at: str | None = None) -> str:
        where = at or url
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"mkdocs serve died (exit {proc.returncode}):\n{''.join(log)[-4000:]}"
            text = htmllib.unescape(fetch(where))        # the page as a reader sees its characters
            if what in text and (absent is None or absent not in text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{what!r} never appeared at {where}; log:\n{''.join(log)[-4000:]}")

    def save(path, text):
        path.write_text(text, encoding="utf-8")

    try:
        # 1. The first build has a page error: the server starts anyway and the page shows the message.
        shown = wait_for("docs/extra.md:3: term() takes 1 to 2 arguments")
        assert "This page could not be built" in shown
        # 2. Fixed: the page is served normally.
        save(page, "# X\n\nNow the {{ term('veto') }} works.\n")
        wait_for("works.", absent="could not be built")
        # 3. A typo while serving.
        save(page, "# X\n\n{{ catalogue }}\n")
        wait_for("docs/extra.md:3: '{{ catalogue }}' is not a macro call")
        save(page, "# X\n\nNow the {{ term('veto') }} works again.\n")
        wait_for("works again.", absent="could not be built")
        # 3b. An unknown id, found before any page renders: only that page shows it.
        save(page, "# X\n\nThe {{ term('vetoo') }}.\n")
        wait_for("docs/extra.md:3: unknown glossary id 'vetoo' in term(); did you mean 'veto'?")
        assert "could not be built" not in htmllib.unescape(fetch(url.replace("extra/", "glossary/")))
        save(page, "# X\n\nNow the {{ term('veto') }} works once more.\n")
        wait_for("works once more.", absent="could not be built")
        # 3c. Bytes that are not UTF-8.
        page.write_bytes(b"# X\n\nbad \xff byte\n")
        wait_for("docs/extra.md:3: the page is not valid UTF-8")
        save(page, "# X\n\nNow the {{ term('veto') }} is back.\n")
        wait_for("is back.", absent="could not be built")
        # 3d. Another page shows what this one changed (the glossary lists the pages a term appears on, by
        #     title): kept pages are rendered again when what they show of other pages changes.
        glossary = url.replace("extra/", "glossary/")
        wait_for(">X</a>", at=glossary)
        save(page, "# X retitled\n\nNow the {{ term('veto') }} is back.\n")
        wait_for(">X retitled</a>", at=glossary)
        # 4. A broken data value: every page shows the data error.
        save(data, good_data.replace("primary: true", "primary: sometimes"))
        wait_for("data/asean_un.yml:2: [charter] sources.0.primary")
        # 5. Fixed, with a new definition: the fix is served.
        save(data, good_data.replace("The power of a permanent member", "The fixed power of a permanent member"))
        wait_for("Now the", absent="could not be built")
        # the definition shows in the glossary and in the preview of the page's link (the previews file)
        wait_for("The fixed power of a permanent member", at=url.replace("extra/", "glossary/"))
        wait_for("The fixed power of a permanent member", at=url.replace("extra/", "assets/previews.js"))
        # 6. An edit to the macros' own Python shows on the next rebuild (the package is reloaded from the
        #    second build on, not on the first).
        render_py = project / "macros" / "render.py"
        link_end = "            f'{escape(text)}</a></span>')"      # the end of a term() link (render._preview_link)
        save(render_py, render_py.read_text(encoding="utf-8").replace(
            link_end, link_end.replace("</a>", " (edited)</a>"), 1))
        wait_for(" (edited)</a>", absent="could not be built")
        # 7. A macros module with a syntax error, then one that raises at import (issue 20): every page shows
        #    the module's file and line, the log too, no traceback; the next good save recovers.
        good_render = render_py.read_text(encoding="utf-8")
        save(render_py, good_render + "\ndef broken(:\n")
        wait_for("macros/render.py:" + str(good_render.count("\n") + 2) + ": SyntaxError while loading the macros")
        save(render_py, good_render.replace(" (edited)</a>", " (fixed)</a>", 1))
        wait_for(" (fixed)</a>", absent="could not be built")
        figures_py = project / "macros" / "figures.py"
        good_figures = figures_py.read_text(encoding="utf-8")
        save(figures_py, good_figures + "\nraise RuntimeError('boom at import')\n")
        wait_for("RuntimeError while loading the macros: boom at import")
        save(figures_py, good_figures)
        wait_for(" (fixed)</a>", absent="could not be built")
        assert proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        reader.join(timeout=5)
    output = "".join(log)
    assert "Traceback" not in output, output[-4000:]
    assert "docs/extra.md:3: term() takes 1 to 2 arguments" in output       # the log says it too
    assert "data/asean_un.yml:2: [charter] sources.0.primary" in output
    assert "macros/figures.py:" in output and "RuntimeError while loading the macros: boom at import" in output
