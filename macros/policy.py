"""The source policy: where a citation may point, and what every source must say about itself.

Pure functions over the validated model: `problems(data, file, page_cites)` returns every violation at
once, each a PolicyError (a SiteError that also names its rule), in file order. The build stops at the
first (`enforce`); editors list them all with

    python -m macros.cli sources data/asean_un.yml    # `make sources`: one `file:line: [id] problem; …` per line

Rules (data/README.md explains them to editors):
  registry      publishers' domains and blocked hosts are bare lowercase domains, each listed once; a
                publisher's domain is a registrable domain or below one (never a public suffix such as
                com.ph or github.io: Public Suffix List snapshot of the `publicsuffixlist` package, no network)
  publisher     a source's `publisher` is an id from the `publishers` registry
  blocked-host  no `url` on a blocked host (or a subdomain of one); `via` may be any address: never linked
  host          the `url`'s host (as a browser reads it: macros/urls.py) is one of its publisher's domains, or a
                subdomain of one; every url and via is in the plain form browsers and Python read alike
  https         a `url` starts with https://, or with http:// on a host its publisher lists under `no_https`
  primary       `primary: true` needs an official publisher, or a UN document `symbol`
  duplicate-url two sources never share an address (scheme, `www.` and a trailing slash ignored)
  uncited       every source is cited somewhere: by the data or by cite('…') on a page
  checked       every source says when a person last checked the claims citing it (`checked:`), and
                that day is not before the source's own date
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import ada_url

from .errors import SiteError, did_you_mean
from .dates import last_day
from .freshness import earliest_day
from .model import ENTITY_SECTIONS, SiteData, Source, per_data_object
from .urls import HOST, BadUrl, parse

RULES = ("registry", "publisher", "blocked-host", "host", "https", "primary", "duplicate-url", "uncited", "checked")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class PolicyError(SiteError):
    """A source-policy violation; `rule` is one of RULES (for counting and for tests)."""

    def __init__(self, rule: str, what: str, **kwargs):
        self.rule = rule
        super().__init__(what, **kwargs)


# --- hosts and addresses ------------------------------------------------------------------------------

def host_of(url: str) -> str:
    """The host a browser opens for the URL (WHATWG reading, not Python's): lowercase, without port,
    credentials or a trailing dot ('' if unreadable). `https://evil.example\\@un.org/` is evil.example."""
    try:
        return ada_url.parse_url(url)["hostname"].rstrip(".")
    except ValueError:               # e.g. 'http://[::1' (an unclosed IPv6 bracket) or 'https://un.org:99999/'
        return ""


def on_domain(host: str, domain: str) -> bool:
    """True when host is the domain itself or one of its subdomains (never a mere suffix: 'xun.org')."""
    return host == domain or host.endswith("." + domain)


def same_address_key(url: str) -> str:
    """What two addresses must share to be the same document, as a browser reads them (so a ':443' or
    'HTTPS://UN.org.' copy is the same): no scheme, no 'www.', no trailing slash."""
    try:
        read = ada_url.parse_url(url)
    except ValueError:               # unreadable: compare the address as written
        return url
    host = read["hostname"].rstrip(".").removeprefix("www.")
    port = f":{read['port']}" if read["port"] else ""
    return host + port + read["pathname"].rstrip("/") + read["search"] + read["hash"]


def _domain_problem(value: str) -> str | None:
    if value != value.strip().lower():
        return "must be lowercase, with no spaces"
    if "://" in value or "/" in value:
        return "must be a bare domain, without scheme or path"
    if value.startswith("www."):
        return "must not start with 'www.' (subdomains match automatically)"
    if not _DOMAIN.match(value):
        return "is not a domain name"
    return None


@functools.lru_cache(maxsize=1)
def _public_suffixes():
    """The Public Suffix List as bundled with the package (its snapshot; nothing is fetched)."""
    from publicsuffixlist import PublicSuffixList
    return PublicSuffixList()


def registrable(domain: str) -> bool:
    """True when the domain is a registrable domain (un.org, iseas.edu.sg) or below one; False for a public
    suffix (org, com.ph, github.io), under which anyone can have a site."""
    return _public_suffixes().privatesuffix(domain) is not None


# --- citations ----------------------------------------------------------------------------------------

def cited_in_data(data: SiteData) -> set[str]:
    """Source ids the data itself cites (every citation evidence.data_citations lists, and the article record's
    own source)."""
    from .evidence import data_citations
    cited = {c.source for c in data_citations(data, "")}
    if data.article is not None:          # the article record cites its own source
        cited.add(data.article.source)
    return cited


# --- the rules ----------------------------------------------------------------------------------------

def _registry(data: SiteData, file: str) -> list[PolicyError]:
    out: list[PolicyError] = []

    def fail(what, rec, item, hint):
        out.append(PolicyError("registry", what, file=file, line=rec.line or None, item=item, hint=hint))

    seen_ids: dict[str, int] = {}
    owner: dict[str, tuple[str, int]] = {}
    for pub in data.publishers:
        if pub.id in seen_ids:
            fail(f"duplicate publisher id '{pub.id}' (first defined on line {seen_ids[pub.id]})", pub, pub.id,
                 "ids must be unique: merge the two entries")
        seen_ids.setdefault(pub.id, pub.line)
        for dom in pub.domains:
            if why := _domain_problem(dom):
                fail(f"publisher domain '{dom}' {why}", pub, pub.id, "write it like 'un.org'")
            elif not registrable(dom):
                fail(f"publisher domain '{dom}' is a public suffix (Public Suffix List): anyone can have a site "
                     "under it", pub, pub.id, f"list the publisher's own registrable domain under '{dom}' "
                     f"(e.g. 'example.{dom}'), not the suffix")
            elif dom in owner:
                other, line = owner[dom]
                fail(f"domain '{dom}' is listed twice (also under publisher '{other}', line {line})", pub, pub.id,
                     "a domain belongs to one publisher: keep one entry")
            else:
                owner[dom] = (pub.id, pub.line)
        for host in pub.no_https:
            if not HOST.fullmatch(host) or not any(on_domain(host, d) for d in pub.domains):
                fail(f"no_https host '{host}' is not a host name under the publisher's domains "
                     f"({', '.join(pub.domains)})", pub, pub.id,
                     "list bare host names such as 'agreement.asean.org' that serve no https")
    seen_hosts: dict[str, int] = {}
    for blocked in data.blocked_hosts:
        if why := _domain_problem(blocked.host):
            fail(f"blocked host '{blocked.host}' {why}", blocked, blocked.host, "write it like 'docslib.org'")
        elif blocked.host in seen_hosts:
            fail(f"blocked host '{blocked.host}' is listed twice (first on line {seen_hosts[blocked.host]})",
                 blocked, blocked.host, "keep one entry")
        else:
            seen_hosts[blocked.host] = blocked.line
    for dom, (pid, line) in owner.items():
        for host in seen_hosts:
            if on_domain(dom, host):
                pub = next(p for p in data.publishers if p.id == pid)
                fail(f"publisher domain '{dom}' is on blocked host '{host}' (line {seen_hosts[host]})", pub, pid,
                     "a blocked host can never be a publisher's home: remove one of the two")
    return out


def _source(src: Source, data: SiteData, file: str, publishers: dict, blocked: list[str]) -> list[PolicyError]:
    out: list[PolicyError] = []

    def fail(rule, what, hint):
        out.append(PolicyError(rule, what, file=file, line=src.line or None, item=src.id, hint=hint))

    pub = publishers.get(src.publisher)
    if pub is None:
        by_name = next((p.id for p in data.publishers if p.name.casefold() == src.publisher.casefold()), None)
        hint = (f"use the publisher's id: 'publisher: {by_name}'" if by_name else
                did_you_mean(src.publisher, publishers)
                or "add the publisher to 'publishers' (id, name, kind, domains) or use an existing id")
        fail("publisher", f"unknown publisher '{src.publisher}' (not an id in the 'publishers' registry)", hint)
    if src.url:
        host = host_of(src.url)
        hit = next((b for b in blocked if on_domain(host, b)), None)
        try:
            read = parse(src.url)
        except BadUrl as exc:
            read = None
            fail("host", f"url {src.url}: {exc}", "write the plain address, e.g. "
                 "https://press.un.org/en/2024/sc15159.doc.htm")
        if read is None:            # said above: the rules below need an address a browser reads as written
            pass
        elif not host:
            fail("host", f"url {src.url} has no host name that can be read",
                 "write the whole address, e.g. https://press.un.org/en/2024/sc15159.doc.htm")
        elif hit:
            fail("blocked-host", f"url {src.url} is on blocked host '{hit}'",
                 "link the document's official home instead; if you read it there, keep that address in 'via'")
        elif pub is not None and not any(on_domain(host, d) for d in pub.domains):
            fail("host", f"url host '{host}' does not belong to publisher '{pub.id}' "
                         f"(its domains: {', '.join(pub.domains)})",
                 "set 'publisher' to whoever owns that host, or link the document on the publisher's own site")
        if read is not None and read.scheme != "https" and not (pub is not None and host in pub.no_https):
            fail("https", f"url {src.url} starts with {read.scheme}://: links on this site are https",
                 "write https://; only if that host really serves no https, list it under the publisher's "
                 "'no_https'")
    if src.via:
        try:
            parse(src.via)          # never linked, so http:// is fine; but read as a browser would
        except BadUrl as exc:
            fail("host", f"via {src.via}: {exc}",
                 "write the plain address where you read the text, e.g. https://example.org/copy.pdf")
    if src.primary and not src.symbol and pub is not None and pub.kind != "official":
        fail("primary", f"primary: true, but publisher '{pub.id}' is {pub.kind} and the source has no UN "
                        f"document symbol",
             "a primary source is issued by the body itself: cite it at the issuer's home (an official "
             "publisher), give its 'symbol', or set 'primary: false'")
    if not src.checked:
        fail("checked", "source has no 'checked' date",
             "add 'checked: YYYY-MM-DD', the day a person last checked the claims citing it against its text")
    elif src.date and last_day(src.checked) < earliest_day(src.date):
        fail("checked", f"checked {src.checked} is before the source's own date ({src.date})",
             "a source can only be checked after it exists: correct one of the two dates")
    return out


def problems(data: SiteData, file: str, page_cites: Iterable[str] | None = None) -> list[PolicyError]:
    """Every violation of the source policy: the registry's first (the other rules rely on it), then the
    sources' in file order. page_cites: source ids cited by pages' cite('…') calls; None skips the
    uncited rule (no pages known)."""
    registry = _registry(data, file)
    out: list[PolicyError] = []
    publishers = {p.id: p for p in data.publishers}
    blocked = [b.host for b in data.blocked_hosts]
    addresses: dict[str, Source] = {}
    for src in data.sources:
        out.extend(_source(src, data, file, publishers, blocked))
        if src.url:
            key = same_address_key(src.url)
            first = addresses.setdefault(key, src)
            if first is not src:
                out.append(PolicyError(
                    "duplicate-url", f"same address as source '{first.id}' (line {first.line}): {src.url}",
                    file=file, line=src.line or None, item=src.id,
                    hint=f"one document is one source: cite '{first.id}' (with a pin) and delete this one"))
    if page_cites is not None:
        cited = cited_in_data(data) | set(page_cites)
        for src in data.sources:
            if src.id not in cited:
                out.append(PolicyError(
                    "uncited", "source is cited nowhere (no fact, note, event, term or cell, no cite() on a page)",
                    file=file, line=src.line or None, item=src.id,
                    hint="cite it where it supports a claim, or delete it"))
    return registry + sorted(out, key=lambda p: p.line or 0)


# the same data object and the same cited ids (a page edit under `mkdocs serve` that cites nothing new): the same answer
_kept_problems = per_data_object(problems)


def enforce(data: SiteData, file: str, page_cites: Iterable[str] | None = None) -> None:
    """Raise the first violation, saying how many more there are and how to list them all."""
    found = _kept_problems(data, file, None if page_cites is None else frozenset(page_cites))
    if found:
        first = found[0]
        more = (f" (and {len(found) - 1} more source-policy problem(s): list them all with "
                f"`python -m macros.cli sources {file}` or `make sources`)") if len(found) > 1 else ""
        raise PolicyError(first.rule, first.what + more, file=first.file, line=first.line, item=first.item,
                          hint=first.hint)
