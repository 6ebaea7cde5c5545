"""`make bench` (bench/run.py): its report names the commit it measured and never lands in the repository,
and the serve step's edits change what they claim to change."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench_run"] = bench          # dataclasses look their module up
spec.loader.exec_module(bench)


def test_no_report_is_committed():
    tracked = subprocess.run(["git", "ls-files", "bench"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [f for f in tracked if f.startswith("bench/report")], "a committed bench report goes stale"


def test_the_report_goes_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "OUT_ENV", None)
    out = bench.output_dir({"commit": "0123456789abcdef"})
    assert ROOT not in out.parents and "0123456789" in out.name
    monkeypatch.setattr(bench, "OUT_ENV", str(ROOT / "bench"))
    with pytest.raises(SystemExit, match="inside the repository"):
        bench.output_dir({"commit": "x"})
    monkeypatch.setattr(bench, "OUT_ENV", str(tmp_path / "report"))
    assert bench.output_dir({"commit": "x"}) == (tmp_path / "report").resolve()


def test_the_report_names_the_commit_measured():
    found = bench.measured_commit()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert found["commit"] == head and isinstance(found["dirty"], bool)


def test_the_data_edit_changes_one_value_of_the_entity_and_keeps_the_file_valid(tmp_path):
    (tmp_path / "data").mkdir()
    original = (ROOT / "data" / "asean_un.yml").read_text(encoding="utf-8")
    (tmp_path / "data" / "asean_un.yml").write_text(original, encoding="utf-8")
    assert bench.data_edit(tmp_path, "BENCHEDIT7")
    edited = (tmp_path / "data" / "asean_un.yml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.splitlines(), edited.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1] == changed[0][0] + " BENCHEDIT7"
    data = yaml.load(edited, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)
    entity = next(e for key in ("institutions", "instruments", "crises", "recommendations", "actors")
                  for e in data.get(key) or [] if e["id"] == bench.SERVE_ENTITY)
    assert any(str(f.get("value", "")).endswith("BENCHEDIT7") for f in entity["facts"])
    assert bench.data_edit(tmp_path, "BENCHEDIT8")          # a second edit replaces the first marker
    again = (tmp_path / "data" / "asean_un.yml").read_text(encoding="utf-8")
    assert "BENCHEDIT7" not in again and again.count("BENCHEDIT8") == 1


@pytest.mark.build
def test_the_scaled_project_builds_strict(tmp_path):
    """`make bench`'s scale step must measure a build that succeeds: the generated copies obey every data
    rule (one source per address, cross-references, page per entity) and the strict build passes at 2×."""
    import scale
    from conftest import ENV, mkdocs
    project = tmp_path / "x2"
    counts = scale.make_project(ROOT, project, 2)
    originals = len(yaml.safe_load((ROOT / "data/asean_un.yml").read_text(encoding="utf-8"))["sources"])
    assert counts["generated_pages"] > 0 and originals * 1.5 < counts["sources"] <= 2 * originals
    proc = mkdocs("build", "--strict", "-d", tmp_path / "site", cwd=project, env=ENV, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]


def test_lighthouse_numbers_are_read_for_the_goals():
    """TBT, LCP and the style-and-layout share of the main thread, from a Lighthouse report's audits."""
    report = {"categories": {"performance": {"score": 0.9, "auditRefs": []}},
              "audits": {"total-blocking-time": {"id": "total-blocking-time", "numericValue": 80.0},
                         "largest-contentful-paint": {"id": "largest-contentful-paint", "numericValue": 1700.5},
                         "mainthread-work-breakdown": {"id": "mainthread-work-breakdown", "details": {"items": [
                             {"group": "styleLayout", "duration": 120.5}, {"group": "scriptEvaluation", "duration": 300},
                             {"group": "styleLayout", "duration": 30.0}]}}}}
    numbers = bench.summarise_lighthouse(report)["numbers"]
    assert numbers == {"tbt_ms": 80.0, "lcp_ms": 1700.5, "style_layout_ms": 150.5}
