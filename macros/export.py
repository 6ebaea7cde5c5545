"""Open-data exports of the validated data: JSON, one CSV per collection, and the JSON Schema. Pure."""
from __future__ import annotations

import csv
import io
import json

from .evidence import data_citations
from .model import ENTITY_SECTIONS, SiteData, per_data_object
from .safe import csv_cell

LIST_SEP = "; "


@per_data_object        # a page edit under `mkdocs serve` does not dump the whole data file again
def to_json(data: SiteData) -> str:
    return json.dumps(data.model_dump(mode="json", exclude_none=True, exclude_defaults=False),
                      ensure_ascii=False, indent=1)


def json_schema() -> str:
    schema = SiteData.model_json_schema(by_alias=False)
    for part in [schema, *schema.get("$defs", {}).values()]:
        part.get("properties", {}).pop("line", None)   # the loader's bookkeeping, not a field
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ASEAN–UN explainer data file (data/asean_un.yml)"
    return json.dumps(schema, ensure_ascii=False, indent=1) + "\n"


def _csv(header: list[str], rows: list[list]) -> str:
    """One CSV table; a cell a spreadsheet would read as a formula starts with an apostrophe (OWASP)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell("" if v is None else (LIST_SEP.join(v) if isinstance(v, list) else v))
                         for v in row])
    return out.getvalue()


def to_csv_tables(cat) -> dict[str, str]:
    """File name -> CSV text, from the catalog (so derived facts and the pages' citations are in). Lists are
    joined with '; '; a fact's 'then' gets its own columns. Made again only when the data object or the pages'
    citations change (under `mkdocs serve`, a page edit that changes no citation reuses them)."""
    return dict(_tables(cat.data, cat.file, tuple(cat.page_citations), cat=cat))


@per_data_object     # what else the tables read of the catalog (passages, facts, fact keys) follows from the data
def _tables(data, file: str, page_citations: tuple, *, cat) -> dict[str, str]:
    entities = [(section, e) for section in ENTITY_SECTIONS for e in getattr(data, section)]
    names = {st.id: st.name for st in data.states}
    return {
        "passages.csv": _csv(["source", "id", "quote", "en", "at", "via"],
                             [[s.id, p.id, p.quote, p.en, p.at, p.via] for s in data.sources for p in s.passages]),
        "citations.csv": _csv(["cited_by", "file", "line", "source", "passage", "at", "quote", "pin"],
                              [[c.where, c.file, c.line, c.source, c.passage,
                                *((lambda p: (p.at, p.quote))(cat.passages[(c.source, c.passage)]) if c.passage
                                  else (None, None)), c.pin]
                               for c in [*data_citations(data, file), *page_citations]]),
        "sources.csv": _csv(["id", "title", "publisher", "date", "url", "via", "checked", "primary", "symbol", "note"],
                            [[s.id, s.title, s.publisher, s.date, s.url, s.via, s.checked, s.primary, s.symbol, s.note]
                             for s in data.sources]),
        "publishers.csv": _csv(["id", "name", "kind", "domains"],
                               [[p.id, p.name, p.kind, p.domains] for p in data.publishers]),
        "fact_keys.csv": _csv(["id", "label", "changes"], [[k.id, k.label, k.changes] for k in data.fact_keys]),
        "entities.csv": _csv(["id", "section", "name", "short", "summary", "page", "related"],
                             [[e.id, sec, e.name, e.short, e.summary, e.page, e.related] for sec, e in entities]),
        "facts.csv": _csv(["entity", "key", "value", "source", "passage", "pin", "as_of",
                           "then_value", "then_as_of", "then_source", "then_passage", "then_pin", "derived_from"],
                          [[e.id, f.key, f.value, f.source, f.passage, f.pin, f.as_of,
                            *((f.then.value, f.then.as_of, f.then.source, f.then.passage, f.then.pin) if f.then
                              else [None] * 5), None if any(f is own for own in e.facts) else cat.fact_keys[f.key].derived]
                           for _, e in entities for f in cat.facts[e.id]]),
        "article_points.csv": _csv(["entity", "para", "says"],
                                   [[e.id, p.para, p.says] for _, e in entities for p in e.article]),
        "notes.csv": _csv(["entity", "text", "source", "pin"],
                          [[e.id, n.text, n.source, n.pin] for _, e in entities for n in e.notes]),
        "events.csv": _csv(["id", "date", "title", "summary", "related", "source", "pin", "scheduled"],
                           [[v.id, v.date, v.title, v.summary, v.related, v.source, v.pin, v.scheduled]
                            for v in data.events]),
        "glossary.csv": _csv(["id", "term", "aliases", "definition", "see_also", "source", "pin"],
                             [[t.id, t.term, t.aliases, t.definition, t.see_also, t.source, t.pin]
                              for t in data.glossary]),
        "comparisons.csv": _csv(["id", "title", "caption", "rows", "columns"],
                                [[c.id, c.title, c.caption, c.rows, c.columns] for c in data.comparisons]),
        "matrix_cells.csv": _csv(["matrix", "row", "column", "text", "source", "pin"],
                                 [[m.id, c.row, c.column, c.text, c.source, c.pin]
                                  for m in data.matrices for c in m.cells]),
        "memberships.csv": _csv(["body", "state", "state_name", "since", "status", "as_of", "source", "pin", "note"],
                                [[ms.body, m.state, names.get(m.state), m.since, m.status, ms.as_of,
                                  m.source or ms.source, m.pin if m.source else (m.pin or ms.pin), m.note]
                                 for ms in data.memberships for m in ms.members]),
        "council_seats.csv": _csv(["state", "state_name", "start", "end", "uncertain", "source", "pin"],
                                  [[c.state, names.get(c.state), c.start, c.end, c.uncertain, c.source, c.pin]
                                   for c in data.council_seats]),
        "corrections.csv": _csv(["id", "date", "page", "wrong", "right", "source", "passage"],
                                [[c.id, c.date, c.page, c.wrong, c.right, c.source, c.passage]
                                 for c in data.corrections]),
        "votes.csv": _csv(["id", "date", "topic", "title", "draft", "event", "outcome", "in_favour", "against",
                           "abstaining", "vetoed_by", "source", "pin"],
                          [[v.id, v.date, v.topic, v.title, v.draft, v.event, v.outcome, v.in_favour, v.against,
                            v.abstaining, v.vetoed_by, v.source, v.pin] for v in data.votes]),
    }
