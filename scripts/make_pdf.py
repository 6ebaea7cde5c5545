"""Turn the built site's whole-site print page (/print_page/, filled by macros/printpage.py) into one PDF with headless Chromium.

Usage: python scripts/make_pdf.py SITE_DIR OUT.pdf
The site is served on 127.0.0.1 so the print page loads its own CSS and images, never a third party.
"""
from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def main(site: Path, out: Path) -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                f"http://127.0.0.1:{server.server_port}/") else r.abort())
            response = page.goto(f"http://127.0.0.1:{server.server_port}/print_page/", wait_until="load",
                                 timeout=120_000)
            if not response or not response.ok:
                sys.exit(f"{site}/print_page/ is missing: run `make build` first (`mkdocs serve` does not write it)")
            page.emulate_media(media="print")
            page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                     margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
            browser.close()
    finally:
        server.shutdown()
    print(f"{out}: {out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
