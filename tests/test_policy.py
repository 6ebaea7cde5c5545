"""The source policy as pure functions (macros/policy.py), and the `sources` command that lists it all."""
import subprocess
import sys

import pytest

from conftest import ENV, ROOT, valid_data
from macros import policy
from macros.errors import SiteError
from macros.loader import parse_yaml, validate

V = valid_data()


def data_of(text=V):
    return validate(parse_yaml(text, "d.yml"), "d.yml")


def edit(old, new, text=V):
    assert old in text, old
    return text.replace(old, new, 1)


def rules(text=V, page_cites=()):
    return [(p.rule, p.item, p.line) for p in policy.problems(data_of(text), "d.yml", page_cites)]


CHARTER_URL = "    url: https://www.un.org/en/about-us/un-charter/full-text\n"


def new_source(ident, more=""):
    return edit("fact_keys:\n", f"  - id: {ident}\n    title: T\n    publisher: un\n{more}    checked: 2026-11-30\n"
                                "fact_keys:\n")


def test_the_valid_fixture_has_no_problems():
    assert rules() == []


@pytest.mark.parametrize("host, domain, owned", [
    ("un.org", "un.org", True), ("press.un.org", "un.org", True), ("www.un.org", "un.org", True),
    ("xun.org", "un.org", False),                     # a suffix is not a subdomain
    ("un.org.evil.example", "un.org", False), ("org", "un.org", False),
])
def test_on_domain_matches_the_domain_and_its_subdomains_only(host, domain, owned):
    assert policy.on_domain(host, domain) is owned


def test_host_of_normalises_case_port_credentials_and_trailing_dot():
    assert policy.host_of("https://user:pw@Press.UN.org.:443/en/2024/sc15159.doc.htm") == "press.un.org"


@pytest.mark.parametrize("url, host", [
    ("https://evil.example\\.un.org/x", "evil.example"), ("https://evil.example\\@un.org/x", "evil.example"),
    ("https://en.wikipedia.org\\@un.org/x", "en.wikipedia.org"), ("https:un.org/x", "un.org"),
    ("https://u%6e.org/x", "un.org"),
])
def test_host_of_is_the_host_a_browser_opens(url, host):
    assert policy.host_of(url) == host


@pytest.mark.parametrize("a, b", [
    ("https://www.un.org/en/charter/", "http://un.org/en/charter"),
    ("https://WWW.UN.ORG/x", "https://un.org/x/"),
    ("https://un.org:443/x", "https://un.org/x"), ("https://un.org./x", "https://un.org/x"),
])
def test_same_address_ignores_scheme_www_and_trailing_slash(a, b):
    assert policy.same_address_key(a) == policy.same_address_key(b)


@pytest.mark.parametrize("a, b", [
    ("https://un.org/x?page=1", "https://un.org/x?page=2"),      # the query names a different document
    ("https://press.un.org/x", "https://un.org/x"),               # another host
    ("https://un.org/X", "https://un.org/x"),                     # paths are case-sensitive
])
def test_different_addresses_stay_different(a, b):
    assert policy.same_address_key(a) != policy.same_address_key(b)


def test_each_rule_on_its_own():
    assert rules(edit(CHARTER_URL, "    url: https://example.org/charter\n")) == [("host", "charter", 2)]
    assert rules(edit(CHARTER_URL, "    url: https://de.wikipedia.org/wiki/X\n")) == [("blocked-host", "charter", 2)]
    assert rules(edit("    publisher: iseas\n", "    publisher: iseas\n    primary: true\n")) == [
        ("primary", "lin-2024", 9)]
    assert rules(edit("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n")) == [
        ("checked", "lin-2024", 9)]
    assert rules(edit("    publisher: un\n", "    publisher: u-n\n")) == [("publisher", "charter", 2)]
    assert rules(new_source("dup", "    url: https://un.org/en/about-us/un-charter/full-text/\n"),
                 page_cites={"dup"}) == [("duplicate-url", "dup", 13)]
    assert rules(new_source("orphan")) == [("uncited", "orphan", 13)]


def test_via_may_point_anywhere_even_a_blocked_host():
    text = edit(CHARTER_URL, CHARTER_URL + "    via: https://en.wikisource.org/wiki/x\n")
    text = edit("  - host: wikipedia.org\n", "  - host: wikisource.org\n    kind: wiki\n    reason: R.\n"
                                            "  - host: wikipedia.org\n", text)
    assert rules(text) == []


def test_a_un_symbol_makes_a_secondary_publisher_acceptable_for_a_primary_source():
    text = edit("    publisher: iseas\n", "    publisher: iseas\n    primary: true\n    symbol: A/79/1\n")
    assert rules(text) == []


def test_official_publisher_on_its_own_subdomain_is_fine():
    assert rules(edit(CHARTER_URL, "    url: https://press.un.org/en/2024/sc15159.doc.htm\n")) == []


def test_uncited_rule_counts_every_kind_of_citation():
    data = data_of()
    cited = policy.cited_in_data(data)
    assert cited == {"charter", "lin-2024"}              # lin-2024 through the 'article' record
    record = V[V.index("article:   #"):V.index("publishers:")]
    no_article = edit("    article:\n      - para: 4\n        says: Lin points to the UN's limits.\n", "",
                      edit(record, ""))
    assert policy.cited_in_data(data_of(no_article)) == {"charter"}
    assert ("uncited", "lin-2024", 9) in rules(no_article)
    assert rules(no_article, page_cites={"lin-2024"}) == []            # cite('lin-2024') on a page counts
    assert policy.problems(data_of(no_article), "d.yml", None) == []   # no pages known: rule not applied


def test_publisher_hints_name_the_id_for_a_name_and_the_nearest_id_for_a_typo():
    by_name = policy.problems(data_of(edit("    publisher: un\n", "    publisher: united nations\n")), "d.yml")
    assert by_name[0].hint == "use the publisher's id: 'publisher: un'"
    typo = policy.problems(data_of(edit("    publisher: iseas\n", "    publisher: isaes\n")), "d.yml")
    assert typo[0].hint == "did you mean 'iseas'?"


@pytest.mark.parametrize("domain, why", [
    ("UN.org", "must be lowercase"), ("https://un.org", "bare domain"), ("un.org/en", "bare domain"),
    ("www.un.org", "must not start with 'www.'"), ("localhost", "is not a domain name"), ("un..org", "not a domain"),
])
def test_registry_domains_must_be_bare_and_lowercase(domain, why):
    found = policy.problems(data_of(edit("domains: [un.org, undocs.org]", f"domains: ['{domain}', undocs.org]")), "d.yml")
    assert found[0].rule == "registry" and why in found[0].what and found[0].line == 84


def test_registry_duplicates():
    twice = edit("  - id: iseas\n", "  - id: un\n")
    assert [(p.rule, p.item, p.line) for p in policy.problems(data_of(twice), "d.yml")][:1] == [("registry", "un", 88)]
    host_twice = V + "  - host: wikipedia.org\n    kind: wiki\n    reason: R.\n"
    assert rules(host_twice) == [("registry", "wikipedia.org", 96)]


def test_registry_problems_come_before_source_problems_and_enforce_counts_the_rest():
    text = edit("domains: [un.org, undocs.org]", "domains: [UN.org, undocs.org]")     # then charter's host fails too
    found = policy.problems(data_of(text), "d.yml")
    assert [p.rule for p in found] == ["registry", "host"]
    with pytest.raises(SiteError) as err:
        policy.enforce(data_of(text), "d.yml")
    assert str(err.value).startswith("d.yml:84: [un] publisher domain 'UN.org' must be lowercase")
    assert "(and 1 more source-policy problem(s)" in str(err.value) and "make sources" in str(err.value)


def test_all_problems_are_listed_in_file_order():
    text = edit("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n    primary: true\n")
    text = edit(CHARTER_URL, "    url: https://example.org/c\n", text)
    assert rules(text) == [("host", "charter", 2), ("primary", "lin-2024", 9), ("checked", "lin-2024", 9)]


def cli(tmp_path, data_text, pages=None):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "asean_un.yml").write_text(data_text, encoding="utf-8")
    for name, text in (pages or {}).items():
        (tmp_path / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "macros.cli", "sources", "data/asean_un.yml"], cwd=tmp_path,
                          env={**ENV, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)


@pytest.mark.build
def test_sources_command_lists_every_problem_with_a_count_per_rule(tmp_path):
    text = edit(CHARTER_URL, "    url: https://example.org/c\n")
    text = edit("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n", text)
    text = edit("fact_keys:\n", "  - id: orphan\n    title: T\n    publisher: nobody\nfact_keys:\n", text)
    proc = cli(tmp_path, text, {"index.md": "# Home\n\n{{ cite('charter') }}\n"})
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "data/asean_un.yml:2: [charter] url host 'example.org' does not belong to publisher 'un' (its domains: "
        "un.org, undocs.org); set 'publisher' to whoever owns that host, or link the document on the "
        "publisher's own site",
        "data/asean_un.yml:9: [lin-2024] source has no 'checked' date; add 'checked: YYYY-MM-DD', the day a "
        "person last checked the claims citing it against its text",
        "data/asean_un.yml:12: [orphan] unknown publisher 'nobody' (not an id in the 'publishers' registry); "
        "add the publisher to 'publishers' (id, name, kind, domains) or use an existing id",
        "data/asean_un.yml:12: [orphan] source has no 'checked' date; add 'checked: YYYY-MM-DD', the day a "
        "person last checked the claims citing it against its text",
        "data/asean_un.yml:12: [orphan] source is cited nowhere (no fact, note, event, term or cell, no cite() "
        "on a page); cite it where it supports a claim, or delete it",
        "evidence: 0/9 citations"]
    assert "5 source-policy problem(s) (publisher 1, host 1, uncited 1, checked 2)" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.build
def test_sources_command_passes_on_clean_data_and_reads_page_cites(tmp_path):
    text = new_source("cited-by-a-page")
    proc = cli(tmp_path, text, {"sub/p.md": "# P\n\nSee{{ cite(\"cited-by-a-page\", \"p. 2\") }}.\n"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "evidence: 0/9 citations\n" and "0 source-policy problem(s)" in proc.stderr


@pytest.mark.build
def test_sources_command_reports_a_broken_file_without_traceback(tmp_path):
    proc = cli(tmp_path, "sources: [\n")
    assert proc.returncode == 1 and "data/asean_un.yml:" in proc.stderr and "malformed YAML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_real_data_file_loads_and_the_policy_runs_on_it():
    """Not a pass/fail on the data (it is being cleaned): the policy must run over it and locate each problem."""
    from macros.loader import load_data
    for p in policy.problems(load_data(ROOT / "data" / "asean_un.yml"), "data/asean_un.yml", ()):
        assert p.rule in policy.RULES and p.line and p.item and str(p).startswith("data/asean_un.yml:")


@pytest.mark.parametrize("url", ["http://[::1", "https://un.org:99999/x", "https:///path-only"])
def test_an_unreadable_address_is_a_located_problem_not_a_crash(url):
    with pytest.raises(SiteError) as err:
        data_of(edit(CHARTER_URL, f"    url: {url}\n"))
    assert str(err.value).startswith("d.yml:2: [charter] sources.0.url: ")


def test_a_source_cited_only_by_a_page_builds(mini):
    """The uncited rule sees cite('…') on pages (the page scan in macros/site.py feeds it)."""
    result = mini(data=new_source("page-only", "    url: https://press.un.org/en/2024/sc15159.doc.htm\n"),
                  extra_pages={"extra.md": "# X\n\nSaid{{ cite('page-only', 'p. 1') }}.\n\n{{ sources() }}\n"})
    assert result.code == 0, result.output
    html = result.html("extra/index.html")
    assert "United Nations, cited at p. 1." in html and "checked 30 November 2026." in html


@pytest.mark.parametrize("checked, date, ok", [
    ("2026-11-30", "1945-06-26", True), ("1945-06-26", "1945-06-26", True),
    ("1945-06-25", "1945-06-26", False),
    ("1945-06", "1945-06-26", True),            # June 1945 may mean the 30th: not provably before
    ("1945-05", "1945-06", False), ("1944", "1945-06-26", False), ("1945", "1945-06", True),
])
def test_checked_may_not_be_before_the_sources_own_date(checked, date, ok):
    text = edit("    date: 1945-06-26\n", f"    date: {date}\n")
    text = edit("    primary: true\n    checked: 2026-11-30\n", f"    primary: true\n    checked: {checked}\n", text)
    found = rules(text)
    assert found == ([] if ok else [("checked", "charter", 2)])


@pytest.mark.parametrize("section", [
    "states:\n  - {id: x, name: X}\nmemberships:\n  - {body: un, label: UN, as_of: 2026-01-01, source: {s},"
    " members: [{state: x}]}\n",
    "states:\n  - {id: x, name: X}\nmemberships:\n  - {body: un, label: UN, as_of: 2026-01-01, source: charter,"
    " members: [{state: x, source: {s}}]}\n",
    "council_seats:\n  - {state: x, start: 1990, end: 1991, source: {s}}\n",
    "votes:\n  - {id: v, date: 2024-01-01, topic: un, title: T, outcome: adopted, in_favour: 15, against: 0,"
    " abstaining: 0, source: {s}}\n",
])
def test_figure_data_cites_its_sources(section):
    text = new_source("figure-only", "    url: https://www.un.org/figure-only\n")
    assert ("uncited", "figure-only", 13) in rules(text)
    assert rules(text + section.replace("{s}", "figure-only")) == []
