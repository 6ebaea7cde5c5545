"""The page sandbox (macros/sandbox.py) without a build: what pages use still works, and each known way
from a template to Python internals ends in SecurityError or an undefined name, never in a result."""
import pytest
from jinja2 import Environment, StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from mkdocs.config.defaults import MkDocsConfig

from conftest import valid_data
from macros import sandbox
from macros.catalog import build_catalog
from macros.loader import parse_yaml, validate

CAT = build_catalog(validate(parse_yaml(valid_data(), "d.yml"), "d.yml"), "d.yml")


def render(template: str) -> str:
    env = sandbox.sandboxed(Environment(undefined=StrictUndefined), {"term": lambda i, t=None: f"<{i}>"})
    variables = {"catalog": CAT, "article_citation": {"APA": "Lin, J. (2024)."}, "extra": {},
                 # what mkdocs-macros puts there; sandbox.page_variables() must take it away again
                 "config": MkDocsConfig(), "filters_builtin": dict(Environment().filters),
                 "macros": {"term": print}, "environment": {"system": "Linux"}}
    sandbox.page_variables(variables)
    return env.from_string(template).render(**variables)


def test_what_pages_use_still_works():
    assert render("{% for style, text in article_citation.items() %}{{ style }}: {{ text }}{% endfor %}") == \
        "APA: Lin, J. (2024)."
    assert render("{{ term('veto') }} {{ catalog.entities['un'].entity.name }} {{ catalog.terms|length }}") == \
        "<veto> United Nations 2"
    assert render("{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}"
                  "{{ ns.n }} {{ cycler('a', 'b').next() }}") == "3 a"


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ lipsum|attr('__globals__') }}",
    "{{ range.__self__ }}",
    "{{ term.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ catalog.__class__ }}",
    "{{ catalog.fail.__func__.__globals__ }}",
    "{{ catalog.url_of.__self__ }}",
    "{{ catalog.data.model_fields['sources'].annotation.mro() }}",
    "{{ '{0.__class__}'.format(catalog) }}",
    "{{ '{x.__class__}'.format_map({'x': catalog}) }}",
    "{{ config.theme.get_env().from_string('{{ cycler.__init__.__globals__ }}').render() }}",
    "{% set ns = namespace(sandboxed=false) %}{{ filters_builtin['attr'](ns, '', '__class__') }}",
    "{{ macros.term.__globals__ }}",
    "{{ environment }}",
    "{{ catalog.used_on.default_factory }}",
    "{{ article_citation.update({'x': 1}) }}",
]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # pydantic warns on instance.model_fields
@pytest.mark.parametrize("template", ESCAPES)
def test_no_way_out(template):
    with pytest.raises((SecurityError, UndefinedError)):
        render(template)
