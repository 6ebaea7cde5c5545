import pytest
"""`make stale` (macros.cli stale) and the build's notice about old facts and sources."""
import datetime as dt
import subprocess
import sys

from conftest import ENV, ROOT, valid_data
from macros import freshness
from macros.loader import parse_yaml, validate

V = valid_data()


def edit(old, new, text=V):
    assert old in text, old
    return text.replace(old, new, 1)


def dated_fixture():
    """un's members as of March 2025, unsc's as of 1 Oct 2024; charter checked 2025-01-01, lin-2024 never,
    a third source checked '2025' (a partial date: as old as 1 January 2025)."""
    text = edit('value: "193"\n        source: charter\n        as_of: 2024-10-01\n',
                'value: "193"\n        source: charter\n        as_of: 2025-03\n')
    text = edit("    primary: true\n    checked: 2026-11-30\n", "    primary: true\n    checked: 2025-01-01\n", text)
    text = edit("    publisher: iseas\n    checked: 2026-11-30\n", "    publisher: iseas\n", text)
    return edit("fact_keys:\n", "  - id: yearly\n    title: Yearly report\n    publisher: un\n    checked: 2025\n"
                                "fact_keys:\n", text)


def data_of(text):
    return validate(parse_yaml(text, "d.yml"), "d.yml")


def test_changing_facts_oldest_first_and_only_keys_that_change():
    facts = freshness.changing_facts(data_of(dated_fixture()))
    assert [(d.item, d.what, d.day) for d in facts] == [("unsc", "members", "2024-10-01"), ("un", "members", "2025-03")]


def test_sources_never_checked_first_then_oldest_with_partial_dates_as_early_as_possible():
    srcs = freshness.sources_by_checked(data_of(dated_fixture()))
    # 'yearly' (2025 = 1 Jan 2025) ties with 'charter' (2025-01-01): file order breaks the tie
    assert [(d.item, d.day) for d in srcs] == [("lin-2024", None), ("charter", "2025-01-01"), ("yearly", "2025")]


def test_stale_uses_the_threshold_and_the_notice_names_the_oldest():
    data = data_of(dated_fixture())
    today = dt.date(2026, 2, 1)          # unsc's fact 488 days, charter 396, yearly 396, un's fact 337
    assert [d.item for d in freshness.stale(data, today)] == ["lin-2024", "unsc", "charter", "yearly"]
    assert [d.item for d in freshness.stale(data, today, days=400)] == ["lin-2024", "unsc"]
    notice = freshness.stale_notice(data, "d.yml", today)
    assert notice.startswith("STALE   -  1 changing fact(s) and 3 source(s) are over 365 days old or never checked; "
                             "oldest: d.yml:9: [lin-2024] source 'The article' never checked.")
    assert "WARNING" not in notice


def test_no_notice_when_everything_is_recent():
    assert freshness.stale_notice(data_of(V), "d.yml", dt.date(2024, 12, 1)) is None


@pytest.mark.build
def test_stale_command_lists_facts_then_sources_oldest_first(tmp_path):
    (tmp_path / "d.yml").write_text(dated_fixture(), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "macros.cli", "stale", "d.yml", "--today", "2026-02-01"],
                          cwd=tmp_path, env={**ENV, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "# Changing facts, oldest as_of first: 2, of which 1 over 365 days old or never checked",
        "d.yml:48: [unsc] fact 'members' as of 2024-10-01 (488 days ago)",
        "d.yml:32: [un] fact 'members' as of 2025-03 (337 days ago)",
        "# Sources, oldest checked first (never checked at the top): 3, of which 3 over 365 days old or never checked",
        "d.yml:9: [lin-2024] source 'The article' never checked",
        "d.yml:2: [charter] source 'Charter of the United Nations' checked 2025-01-01 (396 days ago)",
        "d.yml:12: [yearly] source 'Yearly report' checked 2025 (396 days ago)",
        "# Open questions (what we could not verify), oldest checked first: 0, of which 0 over 365 days old or never "
        "checked"]


def test_old_data_makes_the_strict_build_print_a_notice_but_pass(mini):
    old = edit("    primary: true\n    checked: 2026-11-30\n", "    primary: true\n    checked: 2020-01-01\n")
    result = mini(data=old)
    assert result.code == 0, result.output
    assert ("oldest: data/asean_un.yml:2: [charter] source 'Charter of the United Nations' checked 2020-01-01"
            in result.output)
    assert "`make stale` lists them all" in result.output
    assert "WARNING" not in result.output and "Traceback" not in result.output
