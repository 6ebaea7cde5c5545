"""MkDocs hook around mkdocs-print-site-plugin (runs after the plugins).

1. Its CSS and JS style the combined print page only, yet the plugin adds them to every page: three
   render-blocking requests per page view. Keep them on the print page.
2. On the print page it prefixes anchors with the page's key ("#veto" -> "#glossary-veto") but renames only
   ids on h1–h6, li and sup tags that start a match of its regex, so ids inside our one-line HTML (table
   regions, tooltips, glossary entries) keep their old names: links break and ids repeat across pages.
   Finish the job per page section, for ids and the attributes that point at them.
"""
import re
from pathlib import Path

_ASSET = re.compile(r'\s*<(?:link rel="stylesheet" href|script src)="[^"]*(?:css/print-site[\w-]*\.css|js/print-site\.js)"'
                    r'[^>]*>(?:</script>)?')
_SECTION = re.compile(r'(<section class="print-page" id="([^"]+)"[^>]*>)')
_ID = re.compile(r'\bid="([^"]+)"')
_REFS = re.compile(r'\b(aria-describedby|aria-labelledby|for)="([^"]+)"')     # one id or a list of ids
_URL_REF = re.compile(r"url\(#([^)]+)\)")                                         # SVG fills and markers


def on_post_page(output, page, config, **kwargs):
    return _ASSET.sub("", output)


def prefix_section_ids(html: str) -> str:
    end = html.rfind("</article>")             # Material's own ids (#__config, …) come after the content
    content, tail = (html[:end], html[end:]) if end > 0 else (html, "")
    parts = _SECTION.split(content)   # [before, tag, key, body, tag, key, body, ...]
    out = [parts[0]]
    for tag, key, body in zip(parts[1::3], parts[2::3], parts[3::3]):
        own = {i for i in _ID.findall(body) if not i.startswith(key + "-")}
        body = _ID.sub(lambda m: f'id="{key}-{m.group(1)}"' if m.group(1) in own else m.group(0), body)
        body = _REFS.sub(lambda m: m.group(1) + '="' + " ".join(f"{key}-{i}" if i in own else i
                                                             for i in m.group(2).split()) + '"', body)
        body = _URL_REF.sub(lambda m: f"url(#{key}-{m.group(1)})" if m.group(1) in own else m.group(0), body)
        out += [tag, body]
    html = "".join(out) + tail
    # Links to the home page and to the print page itself come out as "#." and "#print_page".
    if len(parts) > 2:
        html = html.replace('href="#."', f'href="#{parts[2]}"')
    html = html.replace('href="#print_page"', 'href="#print-site-page"')
    return valid_markup(html)


def valid_markup(html: str) -> str:
    """Three things the plugin's print page gets wrong in HTML terms (the Nu checker reports them)."""
    # heading-number="…" is not an HTML attribute; it only drives heading numbering, which is off here.
    html = re.sub(r"""\sheading-number=(["'])[\d.]*\1""", "", html)
    # A <style> element inside <article> is not allowed: move the plugin's styles into <head>.
    styles = re.findall(r"<style>.*?</style>", html[html.find("<article"):], flags=re.S)
    for style in styles:
        html = html.replace(style, "", 1)
    html = html.replace("</head>", "".join(styles) + "</head>", 1)
    # The page has no table of contents toggle, so the nav's label for it points at nothing.
    if 'id="__toc"' not in html:
        html = re.sub(r'<label class="md-nav__title" for="__toc">.*?</label>', "", html, flags=re.S)
    return html


def on_post_build(config, **kwargs):
    print_page = Path(config["site_dir"]) / "print_page" / "index.html"
    if print_page.is_file():
        print_page.write_text(prefix_section_ids(print_page.read_text(encoding="utf-8")), encoding="utf-8")
