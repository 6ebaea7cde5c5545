"""Pages that hold only text and `{{ macro(literal, …) }}` are rendered without Jinja compiling them
(macros/pages.py literal_template, macros/engine.py): the output must be exactly Jinja's, always.

Generated templates (text with braces, newlines of every kind, whitespace control, every literal form, and
constructs the fast path must leave to Jinja) are rendered both ways in the page sandbox; then the real site
is built with Jinja alone and compared, file by file, with the normal build.
"""
from __future__ import annotations

import filecmp
import subprocess

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ENV, MKDOCS, ROOT
from macros.pages import LiteralCall, call_literal, literal_template
from macros.sandbox import sandboxed
from jinja2 import Environment


def show(*args, **kwargs):
    """A macro whose output shows exactly what it was given (and that may itself look like template text)."""
    return "<" + repr(args) + "|" + repr(sorted(kwargs.items())) + "{{}}>"


def nothing(*args, **kwargs):
    return None


MACROS = {"show": show, "nothing": nothing}
JINJA = sandboxed(Environment(), MACROS)


def fast(text: str) -> str | None:
    pieces = literal_template(text, MACROS)
    return None if pieces is None else call_literal(pieces, MACROS)


def jinja(text: str) -> str:
    return JINJA.from_string(text).render()


strings = st.text(alphabet=st.sampled_from(list("ab ā'\"#}{%)(,=-\n")), max_size=6)
literal = st.one_of(
    strings.filter(lambda s: '"' not in s and "\n" not in s).map(lambda s: f'"{s}"'),
    strings.filter(lambda s: "'" not in s and "\n" not in s).map(lambda s: f"'{s}'"),
    st.integers(0, 2000).map(str), st.sampled_from(["True", "true", "False", "false", "None", "none"]))
arg_lists = st.tuples(st.lists(literal, max_size=3),
                      st.lists(st.tuples(st.sampled_from(["text", "pin", "k"]), literal), max_size=2, unique_by=lambda kv: kv[0]))


@st.composite
def calls(draw):
    positional, keywords = draw(arg_lists)
    args = [*positional, *(f"{k}{draw(st.sampled_from(['=', ' = ']))}{v}" for k, v in keywords)]
    sep = draw(st.sampled_from([", ", ",", " ,\n  "]))
    trailing = draw(st.sampled_from(["", ","])) if args else ""
    name = draw(st.sampled_from(["show", "nothing"]))
    open_, close = draw(st.sampled_from(["{{", "{{-"])), draw(st.sampled_from(["}}", "-}}"]))
    pad = draw(st.sampled_from(["", " ", "\n"]))
    return f"{open_}{pad}{name}({sep.join(args)}{trailing}){pad}{close}"


text = st.text(alphabet=st.sampled_from(list("ab \t{}%#\n\r-")), max_size=8)
# What must go to Jinja: blocks, comments, variables, filters, expressions, Jinja-only literals.
others = st.sampled_from(["{{ show }}", "{{ show('a')|upper }}", "{% if true %}x{% endif %}", "{# c #}",
                          "{{ show('a\\n') }}", "{{ show(u'a') }}", "{{ show(1 + 1) }}", "{{ show('a' 'b') }}",
                          "{{ show(x='a', 'b') }}", "{{ show(-1) }}", "{{ show(01) }}", "{{ range(2) }}"])
templates = st.lists(st.one_of(text, calls(), others), max_size=7).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates)
@example("a {{ show('veto') }} b\n")
@example("a\r\n{{- show('x', text=\"y\") -}}\r\n\r\nb\n\n")
@example("{{ show('}}') }}")
@example("{{ show(\"a\")}}}")
@example("{{ nothing() }}")
def test_literal_calls_render_exactly_as_jinja_does(template):
    try:
        expected = jinja(template)
    except Exception:        # noqa: BLE001 - Jinja rejects it: then the fast path must not accept it either
        assert fast(template) is None, template
        return
    got = fast(template)
    assert got is None or got == expected, template


def test_the_fast_path_takes_ordinary_pages_and_leaves_the_rest():
    assert literal_template('The {{ term("veto") }} and {{ cite("charter", pin="Art. 27") }}.\n',
                            ["term", "cite"]) == [
        "The ", LiteralCall("term", ("veto",), ()), " and ", LiteralCall("cite", ("charter",), (("pin", "Art. 27"),)), "."]
    for left in ("{% raw %}{{ x }}{% endraw %}", "{{ page.title }}", "{{ unknown('a') }}", "{{ term('a') ",
                 "{# note #}"):
        assert literal_template(left, ["term"]) is None, left
    every_page = [p for p in (ROOT / "docs").rglob("*.md")]
    taken = [p for p in every_page if literal_template(p.read_text(encoding="utf-8"), ["term", "ref", "cite"]) is not None]
    assert taken, "no page of the site is plain text and literal calls?"


def test_the_site_built_with_jinja_alone_is_the_same(real_site, tmp_path):
    """Byte for byte, every file: the fast path changes how pages are rendered, never what they say."""
    assert real_site.code == 0, real_site.output[-3000:]
    out = tmp_path / "jinja-only"
    proc = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**ENV, "ASEAN_UN_ALWAYS_JINJA": "1"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    differing = []

    def walk(cmp: filecmp.dircmp, prefix: str = "") -> None:
        differing.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(filecmp.dircmp(real_site.site, out))
    assert differing == []
