"""No editor's placeholder reaches a reader: the data and the pages hold no 'UNVERIFIED', 'TODO', 'TBD',
'check before publishing' or '[citation needed]' (a fact that cannot be verified is left out instead)."""
import re

from conftest import ROOT

# Capitals are the placeholder's own spelling ("unverified" in prose is fine); the phrases in any case.
PLACEHOLDER = re.compile(r"\bUNVERIFIED\b|\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|(?i:check before publishing|citation needed)")


def test_no_placeholder_in_data_or_pages():
    found = []
    for path in [ROOT / "data" / "asean_un.yml", *sorted((ROOT / "docs").rglob("*.md"))]:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PLACEHOLDER.search(line):
                found.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()[:100]}")
    assert found == []


def test_the_check_finds_a_placeholder():
    assert PLACEHOLDER.search("could not be confirmed (see UNVERIFIED).")
    assert not PLACEHOLDER.search("Todos los estados")
