"""Property: whatever the file holds, loading (and cataloguing) either succeeds or raises SiteError."""
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import valid_data
from macros import policy
from macros.catalog import build_catalog
from macros.errors import SiteError
from macros.loader import parse_yaml, validate

FIELDS = ["id", "title", "publisher", "date", "url", "primary", "key", "value", "source", "as_of", "then",
          "related", "facts", "summary", "name", "term", "definition", "see_also", "rows", "columns",
          "sources", "institutions", "glossary", "events", "comparisons", "fact_keys", "para", "says", "article",
          "publishers", "blocked_hosts", "domains", "host", "kind", "reason", "via", "checked", "symbol"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.text(max_size=12),
                    st.sampled_from(["2024-10-11", "2021-02-30", "veto", "un", "charter", "1945", "x y", "official",
                                    "http://[::1", "https://x:99999/", "https://www.un.org/a/", "UN.org"]))
trees = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), kids, max_size=5)), max_leaves=25)

VALID_LINES = valid_data().splitlines()


def load_and_catalog(text: str) -> None:
    try:
        data = validate(parse_yaml(text, "f.yml"), "f.yml")
        for problem in policy.problems(data, "f.yml", ()):      # the source policy never crashes either
            assert problem.file == "f.yml" and problem.rule in policy.RULES
        build_catalog(data, "f.yml")
    except SiteError as err:
        assert err.file == "f.yml" and str(err)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_generated_documents(tree):
    load_and_catalog(yaml.safe_dump(tree))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(VALID_LINES) - 1), st.sampled_from(["drop", "dup", "junk", "indent"]),
                          st.text(max_size=8)), min_size=1, max_size=4))
def test_mutated_valid_file(edits):
    lines = list(VALID_LINES)
    for index, op, junk in edits:
        index %= len(lines)
        if op == "drop":
            del lines[index]
        elif op == "dup":
            lines.insert(index, lines[index])
        elif op == "junk":
            lines[index] += junk
        else:
            lines[index] = " " + lines[index]
        if not lines:
            lines = [""]
    load_and_catalog("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text(text):
    load_and_catalog(text)


# --- valid catalogs, every macro ------------------------------------------------------------------------

from macros import engine, figures, render  # noqa: E402
from macros.catalog import ID_KINDS  # noqa: E402,F401  (the pools macros draw from)
from macros.pages import ID_POOLS  # noqa: E402

TEXT_FIELDS = ("name", "summary", "definition", "title", "says", "term", "label", "text")
# Printable text, markup and template syntax included, no control characters (the model refuses those).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf")), min_size=1, max_size=40).filter(
    lambda t: t.strip() and t == t.strip())


@st.composite
def valid_documents(draw):
    """The fixture with its text fields rewritten: generated text is quoted, so the file stays valid YAML."""
    lines = []
    for line in VALID_LINES:
        key, sep, value = line.strip().removeprefix("- ").partition(": ")
        if sep and key in TEXT_FIELDS and value and not value.startswith(("[", "|", ">")) and draw(st.booleans()):
            indent = line[:len(line) - len(line.lstrip())] + ("- " if line.strip().startswith("- ") else "")
            line = f"{indent}{key}: {yaml.safe_dump(draw(texts), width=10**6).splitlines()[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def macro_args(cat, name: str) -> tuple:
    """The arguments a page would give each macro, taken from the catalog (the first id of the right kind)."""
    pool = ID_POOLS.get(name)
    if pool:
        ids = list(getattr(cat, pool))
        return (ids[0],) if ids else ("missing",)
    return {"listing": ("institutions",), "href": ("glossary.md",), "asean_map": ("asean",),
            "locator_map": ("un",), "council_strip": ("unsc",), "votes_chart": ("veto",),
            "seat": ("singapore", 2001), "joined": ("singapore",), "member_count": ("asean",),
            "article_info": ("series",)}.get(name, ())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_every_macro_runs_on_generated_valid_catalogs(text):
    """A valid catalog never makes a macro crash: each returns HTML, or explains itself with a SiteError."""
    try:
        cat = build_catalog(validate(parse_yaml(text, "f.yml"), "f.yml"), "f.yml")
    except SiteError:               # generated text the model refuses (too long for a summary …): not valid
        return
    for name in [*engine.MACROS, *engine.FIGURES, "cite"]:
        fn = render.cite_source if name == "cite" else getattr(render, name, None) or getattr(figures, name)
        ctx = render.PageContext(url="institutions/un/", src="docs/p.md", entity="un")
        try:
            out = fn(cat, ctx, *macro_args(cat, name))
        except SiteError as err:
            assert str(err), name
            continue
        assert isinstance(out, str), name
