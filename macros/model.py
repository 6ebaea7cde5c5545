"""Typed shape of data/asean_un.yml. Field-level rules live here; cross-references live in catalog.py."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from .safe import control_char

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG)]


def _no_controls(value: str) -> str:
    """Text shown to readers holds no control characters (NUL, escape, right-to-left override …)."""
    if bad := control_char(value):
        raise ValueError(f"contains the invisible control character {bad}; delete it (retype the text "
                         "around it if you cannot see it)")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_controls)]

ENTITY_SECTIONS = ("institutions", "instruments", "crises", "recommendations", "actors")
ARTICLE_PARAGRAPHS = 13  # ¶1–¶13 in shared/source/paragraphs.txt


def _check_day(value: object) -> str:
    """ISO date, or just a year or year-month when that is all a source gives; always a real date."""
    if isinstance(value, (dt.date, int)):
        value = str(value.isoformat() if isinstance(value, dt.date) else value)
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError("a date must look like 2024-10-11, 2024-10 or 2024")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return value


Day = Annotated[str, BeforeValidator(_check_day)]


def _check_url(value: str) -> str:
    if not re.fullmatch(r'https?://[^\s<>"]+', value) or control_char(value):
        raise ValueError("a URL must start with http:// or https:// and contain no spaces, quotes or angle brackets")
    return value


Url = Annotated[str, AfterValidator(_check_url)]

# A page inside docs/ and an optional anchor on it: lowercase path segments, no '..', '.md', a slug anchor.
PAGE = r"[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*\.md(#[a-z0-9]+(-[a-z0-9]+)*)?"


def _check_page(value: str) -> str:
    if not re.fullmatch(PAGE, value):
        raise ValueError(f"'{value}' is not a page path: write a docs-relative Markdown file and optionally an "
                         "anchor, e.g. 'institutions/asean.md' or 'who.md#viet-nam' (lowercase letters, digits, "
                         "'-', '_' and '/', no '..', anchors are lowercase slugs)")
    return value


PagePath = Annotated[str, AfterValidator(_check_page),
                     WithJsonSchema({"type": "string", "pattern": f"^{PAGE}$"})]


class Record(BaseModel):
    """Every record remembers the line it starts on (the loader adds `__line__`)."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    line: int = Field(0, alias="__line__", exclude=True)


class Publisher(Record):
    """Who issues or publishes sources, and the hosts it owns (a host matches a domain or its subdomains)."""
    id: Slug
    name: Text
    kind: Literal["official", "secondary"]   # official: a body's own documents; secondary: media, analysis
    domains: Annotated[list[Text], Field(min_length=1)]


class BlockedHost(Record):
    """A host no citation may point at, and why (aggregators, document-sharing copies, wikis, blogs …)."""
    host: Text
    kind: Literal["aggregator", "content-farm", "document-sharing", "personal-blog", "wiki", "mirror"]
    reason: Text


class Source(Record):
    id: Slug
    title: Text
    publisher: Text
    date: Day | None = None
    url: Url | None = None         # the document's official or canonical home
    via: Url | None = None         # where it was actually read, when not at `url`
    checked: Day | None = None     # when a person last checked the claims against it
    primary: bool = False
    symbol: Text | None = None     # UN document symbol, e.g. A/RES/79/1
    note: Text | None = None


class FactKey(Record):
    id: Slug
    label: Text
    changes: bool = False          # facts under a key that changes must carry as_of


class Cite(Record):
    source: Slug
    pin: Text | None = None        # article, paragraph or page inside the source ("Art. 27(3)", "¶5")


class Then(Cite):
    value: Text
    as_of: Day


class Fact(Cite):
    key: Slug
    value: Text
    as_of: Day | None = None
    then: Then | None = None       # what held when the article was written, if it has changed since


class ArticlePoint(Record):
    para: Annotated[int, Field(ge=1, le=ARTICLE_PARAGRAPHS)]
    says: Text


class Note(Cite):
    text: Text


class Entity(Record):
    id: Slug
    name: Text
    short: Text | None = None
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=260),
                       AfterValidator(_no_controls)]
    page: PagePath | None = None   # docs-relative path (+ optional #anchor); default from the section
    related: list[Slug] = []
    facts: list[Fact] = []
    article: list[ArticlePoint] = []
    notes: list[Note] = []

    @property
    def label(self) -> str:
        return self.short or self.name


class Event(Cite):
    id: Slug
    date: Day
    title: Text
    summary: Text
    related: list[Slug] = []


class Term(Cite):
    id: Slug
    term: Text
    label: Text | None = None      # how it reads mid-sentence ("veto"); default: term without "(…)"
    aliases: list[Text] = []
    definition: Text
    see_also: list[Slug] = []

    @property
    def inline(self) -> str:
        return self.label or re.sub(r"\s*\([^)]*\)$", "", self.term)


class Table(Record):
    id: Slug
    title: Text
    caption: Text | None = None
    rows: Annotated[list[Slug], Field(min_length=1)]
    columns: Annotated[list[Slug], Field(min_length=1)]


class Comparison(Table):
    """Rows are entities, columns are fact keys: each cell is that entity's sourced fact."""


class Cell(Cite):
    row: Slug
    column: Slug
    text: Text


class Matrix(Table):
    """Rows and columns are entities (e.g. crisis × institution: who responded, how); cells are sourced."""
    cells: list[Cell] = []


class SiteData(Record):
    publishers: list[Publisher] = []
    blocked_hosts: list[BlockedHost] = []
    sources: list[Source] = []
    fact_keys: list[FactKey] = []
    institutions: list[Entity] = []
    instruments: list[Entity] = []
    crises: list[Entity] = []
    recommendations: list[Entity] = []
    actors: list[Entity] = []
    events: list[Event] = []
    glossary: list[Term] = []
    comparisons: list[Comparison] = []
    matrices: list[Matrix] = []
