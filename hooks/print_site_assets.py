"""MkDocs hook: keep mkdocs-print-site-plugin's CSS and JS on its print page only.

The plugin adds two stylesheets and a script to every page; they style and number the combined print
page and do nothing elsewhere, but cost three render-blocking requests on each page view.
"""
import re

_ASSET = re.compile(r'\s*<(?:link rel="stylesheet" href|script src)="[^"]*(?:css/print-site[\w-]*\.css|js/print-site\.js)"'
                    r'[^>]*>(?:</script>)?')


def on_post_page(output, page, config, **kwargs):
    if page.file.src_uri == "print_page.md" or page.file.dest_uri.startswith("print_page"):
        return output
    return _ASSET.sub("", output)
