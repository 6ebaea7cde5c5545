"""Ready-made citations of a page (APA 7, MLA 9, Chicago 17 bibliography). Pure: strings in, strings out."""
from __future__ import annotations

import datetime as dt
from .safe import escape   # HTML-escaped and inert to Markdown

MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]


def cite_page(title: str, site: str, url: str, changed: dt.date) -> dict[str, str]:
    """Citation HTML per style; titles are italicised as each style asks."""
    t, s, u = escape(title), escape(site), escape(url)
    month = changed.strftime("%B")
    return {
        # APA 7: group author = site name, so the site name is not repeated after the title.
        "APA": f"{s}. ({changed.year}, {month} {changed.day}). <i>{t}</i>. {u}",
        # MLA 9: no author when it is the site itself; abbreviated months.
        "MLA": f"“{t}.” <i>{s}</i>, {changed.day} {MLA_MONTHS[changed.month - 1]} {changed.year}, {u}.",
        # Chicago 17, bibliography entry for a web page with no personal author.
        "Chicago": f"{s}. “{t}.” Last modified {month} {changed.day}, {changed.year}. {u}.",
    }


def cite_edition(title: str, site: str, url: str, day: dt.date) -> dict[str, str]:
    """A fixed edition of a page, cited as an archived version: its own date and its own address."""
    t, s, u = escape(title), escape(site), escape(url)
    month, edition = day.strftime("%B"), f"edition of {day.day} {day.strftime('%B %Y')}"
    return {
        "APA": f"{s}. ({day.year}, {month} {day.day}). <i>{t}</i> ({edition}). {u}",
        "MLA": f"“{t}.” <i>{s}</i>, {edition}, {day.day} {MLA_MONTHS[day.month - 1]} {day.year}, {u}.",
        "Chicago": f"{s}. “{t}.” Edition of {month} {day.day}, {day.year}. {u}.",
    }


def cite_article(title: str, url: str | None, year: str, author: str, family: str, container: str,
                 imprint: str, series: str | None) -> dict[str, str]:
    """The commentary the site explains, in the same three styles; every part comes from the data file."""
    t, c, i = escape(title), escape(container), escape(imprint)
    given = author.removesuffix(family).strip()
    initials = " ".join(f"{part[0]}." for part in given.split())
    u = f" {escape(url)}" if url else ""
    series_apa = f" ({escape(series)})" if series else ""
    return {
        "APA": f"{escape(family)}, {escape(initials)} ({year}). <i>{t}</i>{series_apa}. {c}, {i}.{u}",
        "MLA": f"{escape(family)}, {escape(given)}. “{t}.” <i>{c}</i>, {i}, {year}" + (f",{u}." if url else "."),
        "Chicago": f"{escape(family)}, {escape(given)}. “{t}.” <i>{c}</i>, {i}, {year}." + (f"{u}." if url else ""),
    }


def page_footer(title: str, site: str, site_url: str | None, page_url: str, changed: dt.date | None,
                build_date: dt.date) -> dict:
    """What the "Last updated" and "Cite this page" footer needs, as page metadata.

    Page metadata is also a template variable while the page renders (in both engines), so no key here may
    share a macro's name ('cite' would shadow the cite() macro). The citations are a list, not a mapping:
    Zensical's template engine iterates mappings in sorted key order, which would reorder the styles.

    Without a git date the build date stands in (and the footer says so); without site_url the address is
    the site-relative path, which site.js completes in the browser.
    """
    day = changed or build_date
    url = (site_url.rstrip("/") + "/" + page_url) if site_url else "/" + page_url
    return {"last_changed": day.isoformat(), "last_changed_text": f"{day.day} {day.strftime('%B %Y')}",
            "last_changed_from_git": changed is not None,
            "page_citation": [{"style": style, "text": text} for style, text in cite_page(title, site, url, day).items()],
            "cite_url_is_relative": not site_url,
            "page_address": url}      # templates use this: Zensical's template engine has no str.rstrip
