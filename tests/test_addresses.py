"""Addresses that teachers link must keep working: the committed list is a contract."""
import re
from pathlib import Path

import pytest
from addresses import check, collect
from conftest import ENV, ROOT, mkdocs

LIST = Path(__file__).with_name("addresses.txt")


def contract() -> list[str]:
    return [line for line in LIST.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_address_under_contract_resolves(real_site):
    assert real_site.code == 0, real_site.output
    assert len(contract()) > 500
    assert check(real_site.site, contract()) == []


def test_new_addresses_are_put_under_contract(real_site):
    missing = sorted(set(collect(real_site.site)) - set(contract()))
    assert not missing, f"{len(missing)} new addresses are not in tests/addresses.txt; run `make addresses`: {missing[:10]}"


def test_every_heading_in_the_docs_has_an_explicit_id():
    for md in sorted((ROOT / "docs").rglob("*.md")):
        fence = False
        for n, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            elif not fence and re.match(r"#{1,6} ", line):
                assert re.search(r"\{\s*#[\w-]+\s*\}\s*$", line), f"{md.relative_to(ROOT)}:{n}: heading without {{ #id }}"


def _page(site: Path, url: str, body: str) -> None:
    (site / url).mkdir(parents=True, exist_ok=True)
    (site / url / "index.html").write_text(body, encoding="utf-8")


def test_checker_fails_on_removed_anchor_and_passes_with_a_redirect(tmp_path):
    _page(tmp_path, "institutions/un", '<h2 id="how-it-decides">How</h2>')
    addresses = ["institutions/un/", "institutions/un/#how-it-decides"]
    assert check(tmp_path, addresses) == []
    _page(tmp_path, "institutions/un", "<h2>How</h2>")
    assert check(tmp_path, addresses) == [
        "institutions/un/#how-it-decides: anchor #how-it-decides gone from institutions/un/ (restore the explicit id)"]
    # The page moves; a redirect stub (as mkdocs-redirects writes it) keeps the old address alive.
    _page(tmp_path, "organisations/un", '<h2 id="how-it-decides">How</h2>')
    _page(tmp_path, "institutions/un", '<meta http-equiv="refresh" content="0; url=../../organisations/un/">')
    assert check(tmp_path, addresses) == []
    assert "institutions/un/" not in collect(tmp_path)            # a stub is not a page of its own


@pytest.mark.build
def test_mkdocs_redirects_output_satisfies_the_contract(tmp_path):
    (tmp_path / "docs" / "organisations").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home { #home }\n", encoding="utf-8")
    (tmp_path / "docs" / "organisations" / "un.md").write_text("# UN { #un }\n\n## How { #how-it-decides }\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\nstrict: true\nmarkdown_extensions: [attr_list, toc]\nplugins:\n  - redirects:\n"
        "      redirect_maps:\n        institutions/un.md: organisations/un.md\n", encoding="utf-8")
    proc = mkdocs("build", "--strict", cwd=tmp_path, env=ENV, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert check(tmp_path / "site", ["institutions/un/", "institutions/un/#how-it-decides"]) == []
    assert check(tmp_path / "site", ["institutions/un/#gone"]) != []
