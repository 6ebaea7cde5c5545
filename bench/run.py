"""`make bench`: build time, macro overhead, scaling, page weight and Lighthouse, side by side with stock Material.

Writes bench/report.md and bench/report.json and prints a short table. Everything runs in a temporary
directory (kept when BENCH_KEEP=1); servers listen on 127.0.0.1 only; every subprocess has a timeout and is
ended by process id (with its descendants) when it overruns.

Steps (BENCH_STEPS=build,weight,lighthouse,scale selects a subset; all by default):
  build       median of 3 `mkdocs build --strict` of the real site; the macro-rendered Markdown of each page
              dumped by bench/dump_hook.py (through a temporary config that INHERITs mkdocs.yml), frozen into a
              copy of the project without the macros plugin and built the same way: the ratio is the macros'
              overhead. The frozen Markdown also feeds a stock Material for MkDocs build (no custom_dir, default
              theme settings and fonts, search only) of the same pages and nav.
  weight      each page type loaded in headless Chromium (Playwright) from bench/serve.py (gzip, or brotli when
              importable): bytes on the wire (CDP encodedDataLength, headers included) of every request; any
              request to another host is blocked and listed. Search index size, raw and compressed.
  lighthouse  Lighthouse 12.8.2 from bench/node_modules, mobile preset, same pages and server.
  scale       1×, 10×, 100× the data (bench/scale.py) with a page per entity: build time and peak memory, and
              load_data's parse + validate + build_catalog alone. Runs last and gets what is left of the time
              budget (BENCH_BUDGET seconds, default 840): a step that cannot finish in time is reported as such.
Other knobs: BENCH_FACTORS=1,10,100   BENCH_OUT=dir (default bench/)   BENCH_TMP=dir   BENCH_KEEP=1
"""
from __future__ import annotations

import gzip
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import scale  # noqa: E402
from serve import encoding_name, serving  # noqa: E402

BIN = Path(sys.executable).parent
MKDOCS = str(BIN / "mkdocs")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# Lighthouse's own Chrome cannot be route-blocked like Playwright's: make every other host unresolvable,
# so a third-party request fails at once and the same way on every machine (offline or not).
OFFLINE_RULE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
PAGES = {"home": "", "institution": "institutions/asean/", "crisis": "crises/myanmar-2021/",
         "glossary": "glossary/", "comparison": "compare/asean-un-nato/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "PYTHONDONTWRITEBYTECODE": "1"}
STEPS = [s.strip() for s in os.environ.get("BENCH_STEPS", "build,weight,lighthouse,scale").split(",") if s.strip()]
FACTORS = [int(f) for f in os.environ.get("BENCH_FACTORS", "1,10,100").split(",") if f.strip()]
BUDGET = float(os.environ.get("BENCH_BUDGET", "840"))
OUT = Path(os.environ.get("BENCH_OUT", str(BENCH)))
T0 = time.monotonic()


def left() -> float:
    return BUDGET - (time.monotonic() - T0)


def log(msg: str) -> None:
    print(f"[bench {time.monotonic() - T0:6.0f}s] {msg}", file=sys.stderr, flush=True)


# --- subprocesses: timed, measured, bounded ----------------------------------------------------------

@dataclass
class Run:
    cmd: list
    rc: int | None = None
    wall: float = 0.0
    cpu: float = 0.0             # user + system seconds of the process (and the children it waited for)
    maxrss_mb: float = 0.0       # peak resident memory of the process itself
    timed_out: bool = False
    log: str = ""

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out

    def tail(self, n: int = 15) -> str:
        try:
            return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            ppid = int(text[text.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    found, todo = [], [pid]
    for _ in range(10000):          # bounded walk
        if not todo:
            break
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill_tree(pid: int) -> None:
    for p in [*reversed(_descendants(pid)), pid]:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run(cmd: list, *, cwd: Path, log_file: Path, timeout: float, env: dict | None = None) -> Run:
    """Run cmd with a hard timeout; wall and CPU time and peak RSS come from wait4 on this very child."""
    result = Run(cmd=[str(c) for c in cmd], log=str(log_file))
    timeout = max(1.0, timeout)
    with open(log_file, "wb") as out:
        proc = subprocess.Popen(result.cmd, cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        start = time.perf_counter()

        def overrun():
            result.timed_out = True
            _kill_tree(proc.pid)

        timer = threading.Timer(timeout, overrun)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        result.wall = time.perf_counter() - start
        proc.returncode = result.rc = os.waitstatus_to_exitcode(status)
    result.cpu = usage.ru_utime + usage.ru_stime
    result.maxrss_mb = usage.ru_maxrss / 1024
    return result


def mkdocs_build(config: Path, out: Path, logs: Path, name: str, timeout: float, strict: bool = True) -> Run:
    cmd = [MKDOCS, "build", "-f", config, "-d", out] + (["--strict"] if strict else [])
    r = run(cmd, cwd=config.parent, log_file=logs / f"{name}.log", timeout=timeout)
    log(f"  {name}: {'ok' if r.ok else 'FAILED' if not r.timed_out else 'TIMED OUT'} "
        f"{r.wall:.1f}s wall, {r.cpu:.1f}s cpu, {r.maxrss_mb:.0f} MB")
    return r


# --- mkdocs.yml, read without running its !!python tags ------------------------------------------------

class Tagged:
    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class _CfgLoader(yaml.SafeLoader):
    pass


def _keep_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_mapping(node, deep=True))


_CfgLoader.add_multi_constructor("!", _keep_tag)
_CfgLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)


class _CfgDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper, t: Tagged):
    if isinstance(t.value, list):
        return dumper.represent_sequence(t.tag, t.value)
    if isinstance(t.value, dict):
        return dumper.represent_mapping(t.tag, t.value)
    return dumper.represent_scalar(t.tag, t.value)


_CfgDumper.add_representer(Tagged, _represent_tagged)


def read_config() -> dict:
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_CfgLoader)  # noqa: S506


def write_config(path: Path, config: dict, inherit: bool = False) -> Path:
    text = yaml.dump(config, Dumper=_CfgDumper, sort_keys=False, allow_unicode=True, width=4096)
    path.write_text((f"INHERIT: {REPO / 'mkdocs.yml'}\n" if inherit else "") + text, encoding="utf-8")
    return path


def plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


# --- step 1: build time, macro overhead, frozen and stock projects --------------------------------------

def step_build(tmp: Path, logs: Path) -> dict:
    cfg = read_config()
    res: dict = {"runs": {}}
    real_runs = [mkdocs_build(REPO / "mkdocs.yml", tmp / f"site-real-{i}", logs, f"real-{i}", 180) for i in range(3)]
    res["runs"]["real"] = [asdict(r) for r in real_runs]
    if not all(r.ok for r in real_runs):
        raise SystemExit(f"the real site does not build:\n{real_runs[-1].tail()}")

    # the macro-rendered Markdown, through a hook added by a config that INHERITs mkdocs.yml
    dump_project, dump_dir = tmp / "dump-project", tmp / "dumped-md"
    scale.link_farm(REPO, dump_project, skip={"site", ".git", ".venv", ".cache", "bench", "mkdocs.yml",
                                              "node_modules", ".pytest_cache", ".hypothesis"})
    hooks = [*(cfg.get("hooks") or []), str(BENCH / "dump_hook.py")]
    dump_cfg = write_config(dump_project / "mkdocs.yml", {"hooks": hooks}, inherit=True)
    r = run([MKDOCS, "build", "--strict", "-f", dump_cfg, "-d", tmp / "site-dump"], cwd=dump_project,
            log_file=logs / "dump.log", timeout=180, env={**ENV, "BENCH_DUMP_MARKDOWN": str(dump_dir)})
    if not r.ok:
        raise SystemExit(f"the dump build failed:\n{r.tail()}")
    md_count = sum(1 for _ in dump_dir.rglob("*.md"))
    log(f"  dumped {md_count} macro-rendered pages")

    # frozen: the same project, those Markdown files, no macros plugin
    frozen = tmp / "frozen-project"
    scale.link_farm(REPO, frozen, skip=scale.SKIP_TOP - {"data"})   # data/ only for `watch:`
    shutil.copytree(REPO / "docs", frozen / "docs", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(dump_dir, frozen / "docs", dirs_exist_ok=True)
    plugins = [p for p in cfg.get("plugins") or [] if plugin_name(p) != "macros"]
    frozen_cfg = write_config(frozen / "mkdocs.yml", {"plugins": plugins}, inherit=True)
    frozen_runs = [mkdocs_build(frozen_cfg, tmp / f"site-frozen-{i}", logs, f"frozen-{i}", 180) for i in range(3)]
    res["runs"]["frozen"] = [asdict(r) for r in frozen_runs]
    if not all(r.ok for r in frozen_runs):
        raise SystemExit(f"the frozen copy does not build:\n{frozen_runs[-1].tail()}")

    # stock Material for MkDocs: same Markdown and nav, theme defaults, search only
    stock = tmp / "stock-project"
    stock.mkdir()
    (stock / "docs").symlink_to(frozen / "docs")
    stock_cfg = {k: cfg[k] for k in ("site_name", "site_description", "site_author", "copyright",
                                     "use_directory_urls", "markdown_extensions", "nav") if k in cfg}
    stock_cfg.update({"theme": {"name": "material"}, "plugins": ["search"]})
    stock_file = write_config(stock / "mkdocs.yml", stock_cfg)
    stock_runs = [mkdocs_build(stock_file, tmp / "site-stock", logs, "stock", 180, strict=False)]
    res["runs"]["stock"] = [asdict(r) for r in stock_runs]
    if not stock_runs[-1].ok:
        raise SystemExit(f"the stock build failed:\n{stock_runs[-1].tail()}")

    def med(runs, key):
        return statistics.median(getattr(r, key) for r in runs)

    for name, runs in (("real", real_runs), ("frozen", frozen_runs), ("stock", stock_runs)):
        res[name] = {"wall_median": med(runs, "wall"), "cpu_median": med(runs, "cpu"),
                     "maxrss_mb": max(r.maxrss_mb for r in runs)}
    res["ratio_wall"] = res["real"]["wall_median"] / res["frozen"]["wall_median"]
    res["ratio_cpu"] = res["real"]["cpu_median"] / res["frozen"]["cpu_median"]
    res["pages"] = md_count
    res["sites"] = {"site": str(tmp / "site-real-2"), "stock": str(tmp / "site-stock")}
    return res


# --- step 3: page weight ----------------------------------------------------------------------------------

def _kind(path: str) -> str:
    path = path.split("?")[0]
    if path.endswith("search_index.json"):
        return "search index"
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else "html"
    return {"html": "html", "css": "css", "js": "js", "woff2": "font", "woff": "font", "ttf": "font",
            "png": "image", "svg": "image", "jpg": "image", "jpeg": "image", "webp": "image", "ico": "image",
            "gif": "image"}.get(ext, "other")


def measure_weight(browser, record: list, base: str, path: str) -> dict:
    """Load one page with a cold cache; count what the server sent (headers + bodies) for it.

    The server-side count includes what the search worker fetches; the browser's own figure (CDP
    encodedDataLength, page target only) is kept as a cross-check.
    """
    context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75,
                                  is_mobile=True, has_touch=True, service_workers="block")
    blocked: list[str] = []

    def block(route):
        blocked.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not url.startswith(base) and not url.startswith("data:"), block)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    browser_bytes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: browser_bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    record.clear()
    t0 = time.perf_counter()
    page.goto(base + "/" + path, wait_until="load", timeout=30000)
    try:
        page.wait_for_load_state("networkidle", timeout=10000)
    except Exception:  # noqa: BLE001 - a page that keeps polling is reported, not fatal
        errors.append("network did not go idle within 10 s")
    page.wait_for_timeout(1000)
    elapsed = time.perf_counter() - t0
    context.close()
    sent = list(record)
    by_kind: dict[str, int] = {}
    for item in sent:
        kind = _kind(item["path"])
        by_kind[kind] = by_kind.get(kind, 0) + item["header_bytes"] + item["body_bytes"]
    detail = sorted(({"path": i["path"], "bytes": i["header_bytes"] + i["body_bytes"], "encoding": i["encoding"],
                      "status": i["status"]} for i in sent), key=lambda d: -d["bytes"])
    return {"total": sum(by_kind.values()), "by_kind": by_kind, "requests": len(sent),
            "browser_reported": sum(browser_bytes.values()), "blocked": blocked, "errors": errors,
            "seconds": round(elapsed, 2), "search_index_loaded": any(_kind(i["path"]) == "search index" for i in sent),
            "detail": detail}


def index_size(site: Path) -> dict:
    f = site / "search" / "search_index.json"
    if not f.is_file():
        return {}
    raw = f.read_bytes()
    return {"raw": len(raw), "gzip": len(gzip.compress(raw, 6, mtime=0)),
            "docs": len(json.loads(raw).get("docs", []))}


def step_weight(sites: dict) -> dict:
    from playwright.sync_api import sync_playwright

    res: dict = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROME, headless=True, args=CHROME_FLAGS, timeout=60000)
        try:
            for label, site in sites.items():
                res[label] = {"search_index": index_size(Path(site)), "pages": {}}
                record: list = []
                with serving(site, record=record) as base:
                    for ptype, path in PAGES.items():
                        res[label]["pages"][ptype] = measure_weight(browser, record, base, path)
                        w = res[label]["pages"][ptype]
                        log(f"  {label} {ptype}: {w['total'] / 1024:.1f} KB in {w['requests']} requests"
                            f"{', blocked ' + str(len(w['blocked'])) if w['blocked'] else ''}")
        finally:
            browser.close()
    return res


# --- step 4: Lighthouse -----------------------------------------------------------------------------------

def _where(item: dict) -> str:
    if item.get("description") and item.get("source"):        # console errors
        where = (item.get("sourceLocation") or {}).get("url") or ""
        return f"{item['source']}: {item['description'][:160]}{' at ' + where if where else ''}"
    node = item.get("node") or {}
    for key in ("selector", "nodeLabel"):
        if node.get(key):
            text = node[key]
            if node.get("explanation"):
                why = node["explanation"].splitlines()[-1].strip()
                text += f" ({why[:230]})"
            return text
    for key in ("url", "source", "label", "description"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("value")
        if value:
            return str(value)[:200]
    return ""


def _places(items: list, base: str, limit: int = 4) -> list[str]:
    """Distinct places an audit points at, local URLs shortened to their path, with a count when repeated."""
    counts: dict[str, int] = {}
    for item in items[:200]:
        where = _where(item).replace(base, "") if base else _where(item)
        if where:
            counts[where] = counts.get(where, 0) + 1
    return [f"{w} ×{n}" if n > 1 else w for w, n in list(counts.items())[:limit]]


def summarise_lighthouse(report: dict, base: str = "") -> dict:
    scores = {c: round(report["categories"][c]["score"] * 100) if report["categories"][c]["score"] is not None
              else None for c in CATEGORIES if c in report["categories"]}
    failing = []
    for cid in CATEGORIES:
        cat = report["categories"].get(cid)
        if not cat:
            continue
        for ref in cat["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) <= 0 or audit.get("score") is None or audit["score"] >= 1:
                continue
            if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
                continue
            items = (audit.get("details") or {}).get("items") or []
            failing.append({"category": cid, "id": audit["id"], "title": audit["title"],
                            "score": audit["score"], "value": audit.get("displayValue", ""),
                            "where": _places(items, base)})
    # what the performance metrics are waiting for: the diagnostics with savings, largest first
    hints = []
    for audit in report["audits"].values():
        savings = (audit.get("metricSavings") or {})
        ms = max([v for v in savings.values() if isinstance(v, (int, float))] or [0])
        if audit.get("score") is not None and audit["score"] < 1 and ms > 0:
            items = (audit.get("details") or {}).get("items") or []
            hints.append({"id": audit["id"], "title": audit["title"], "value": audit.get("displayValue", ""),
                          "savings": savings, "where": _places(items, base, 3)})
    hints.sort(key=lambda h: -max([v for v in h["savings"].values() if isinstance(v, (int, float))] or [0]))
    metrics = {k: report["audits"][k].get("displayValue") for k in
               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index") if k in report["audits"]}
    return {"scores": scores, "failing": failing, "perf_hints": hints[:5], "metrics": metrics,
            "benchmark_index": (report.get("environment") or {}).get("benchmarkIndex"),
            "warnings": report.get("runWarnings", []),
            "runtime_error": (report.get("runtimeError") or {}).get("message")}


def step_lighthouse(sites: dict, tmp: Path, logs: Path) -> dict:
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run `make bench` (it runs `npm ci` in bench/)")
    res: dict = {}
    flags = " ".join([*CHROME_FLAGS, OFFLINE_RULE])
    for label, site in sites.items():
        res[label] = {}
        with serving(site) as base:
            for ptype, path in PAGES.items():
                out = tmp / f"lh-{label}-{ptype}.json"
                cmd = ["node", LIGHTHOUSE, f"{base}/{path}", "--quiet", "--output=json", f"--output-path={out}",
                       f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
                       "--disable-full-page-screenshot", "--max-wait-for-load=30000"]
                r = run(cmd, cwd=BENCH, log_file=logs / f"lh-{label}-{ptype}.log", timeout=180,
                        env={**ENV, "CHROME_PATH": CHROME})
                if r.ok and out.is_file():
                    res[label][ptype] = summarise_lighthouse(json.loads(out.read_text()), base)
                    res[label][ptype]["seconds"] = round(r.wall, 1)
                else:
                    res[label][ptype] = {"error": ("timed out" if r.timed_out else f"exit {r.rc}") + ": "
                                         + r.tail(5)}
                log(f"  {label} {ptype}: {res[label][ptype].get('scores') or res[label][ptype].get('error')}"
                    f" ({r.wall:.0f}s)")
    return res


# --- step 2: scaling ----------------------------------------------------------------------------------------

def step_scale(tmp: Path, logs: Path, factors: list[int], res: dict) -> dict:
    for factor in factors:
        entry: dict = {}
        res[str(factor)] = entry
        if left() < 20:
            entry["skipped"] = "time budget spent"
            log(f"  {factor}×: skipped (budget)")
            continue
        project = tmp / f"scale-{factor}"
        t = time.perf_counter()
        entry["counts"] = scale.make_project(REPO, project, factor)
        entry["generate_seconds"] = round(time.perf_counter() - t, 1)
        log(f"  {factor}×: generated {entry['counts']} in {entry['generate_seconds']}s")
        # load_data's parse + validate + build_catalog alone, in a fresh interpreter
        repeats = 3 if factor == 1 else 1
        r = run([sys.executable, BENCH / "scale.py", "time-validation", project / scale.DATA, repeats],
                cwd=REPO, log_file=logs / f"validate-{factor}.log", timeout=max(10, left() / 2 - 10),
                env={**ENV, "BENCH_REPO": str(REPO)})
        phases = {}
        for line in Path(r.log).read_text(errors="replace").splitlines():
            if line.startswith("{"):
                item = json.loads(line)
                phases[item["phase"]] = round(item["seconds"], 3)
                phases[item["phase"] + "_wall"] = round(item["wall"], 3)
        entry["validation"] = {**phases, "complete": r.ok, "timed_out_after": round(r.wall) if r.timed_out else None,
                               "maxrss_mb": r.maxrss_mb}
        if not r.ok and not r.timed_out:
            entry["validation"]["error"] = r.tail(8)
        log(f"  {factor}×: validation {phases}{' (TIMED OUT)' if r.timed_out else ''}")
        if left() < 20:
            entry["build"] = {"skipped": "time budget spent"}
        else:
            b = mkdocs_build(project / "mkdocs.yml", project / "site", logs, f"scale-{factor}",
                             timeout=max(10, left() - 15))
            entry["build"] = {"wall": b.wall, "cpu": b.cpu, "maxrss_mb": b.maxrss_mb, "ok": b.ok,
                              "timed_out": b.timed_out}
            if b.ok:
                site = project / "site"
                entry["build"]["html_files"] = sum(1 for _ in site.rglob("*.html"))
                entry["build"]["site_mb"] = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20
                entry["build"]["search_index"] = index_size(site)
            elif not b.timed_out:
                entry["build"]["error"] = b.tail(8)
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(project, ignore_errors=True)
    return res


# --- report -----------------------------------------------------------------------------------------------

def kb(n) -> str:
    return f"{n / 1024:.1f}" if isinstance(n, (int, float)) else "–"


def fmt_s(x) -> str:
    return f"{x:.2f}" if isinstance(x, (int, float)) else "–"


def render_report(data: dict) -> tuple[str, str]:
    """(report.md, short table for the terminal)."""
    md, short = [], []
    env = data["environment"]
    md += ["# Bench report", "",
           f"{env['date']} · {env['cpus']} CPUs · load average {env['load_start']} at start, {env['load_end']} at end "
           f"(other work on the machine inflates wall times; CPU times are steadier) · "
           f"mkdocs {env['mkdocs']}, material {env['material']}, macros {env['macros']}, {env['chromium']}, "
           f"Lighthouse {env['lighthouse']}, compression {env['compression']} · total {data['seconds']:.0f} s", ""]
    b = data.get("build")
    if b:
        md += ["## Build time and the macros' overhead", "",
               f"{b['pages']} pages. Median of 3 `mkdocs build --strict` each.", "",
               "| build | wall (s) | CPU (s) | peak RSS (MB) |", "|---|---:|---:|---:|"]
        for name, label in (("real", "real site (macros)"), ("frozen", "frozen Markdown, no macros plugin"),
                            ("stock", "stock Material, frozen Markdown (1 run)")):
            md.append(f"| {label} | {fmt_s(b[name]['wall_median'])} | {fmt_s(b[name]['cpu_median'])} | "
                      f"{b[name]['maxrss_mb']:.0f} |")
        md += ["", "Frozen: the Markdown each page had after the macros ran (dumped by `bench/dump_hook.py`), in a copy "
                   "of the project whose config INHERITs mkdocs.yml minus the macros plugin. Stock: the same Markdown "
                   "and nav with `theme: material` defaults (no custom_dir, no extra CSS/JS, so the macros' tooltip "
                   "markup shows unstyled; default fonts, so each page asks Google Fonts, blocked here) and only the "
                   "search plugin."]
        verdict = "meets" if b["ratio_wall"] <= 1.15 else "misses"
        md += ["", f"**Macro overhead: {b['ratio_wall']:.2f}× wall, {b['ratio_cpu']:.2f}× CPU** "
                   f"(target ≤ 1.15: {verdict} it).", ""]
        short.append(f"build (median of 3)   real {b['real']['wall_median']:.2f}s   frozen "
                     f"{b['frozen']['wall_median']:.2f}s   overhead {b['ratio_wall']:.2f}x wall / "
                     f"{b['ratio_cpu']:.2f}x cpu (target <= 1.15)")
    s = data.get("scale")
    if s:
        md += ["## Scaling", "",
               "Copies of every source, entity, term and event (ids suffixed `-x<k>`, references remapped), a page "
               "per copied entity rendered by the same macros; generated pages are outside `nav`.", "",
               "| data | entities / terms / events / sources | pages | build wall (s) | build CPU (s) | "
               "peak RSS (MB) | parse (CPU s) | validate (CPU s) | catalog (CPU s) | load+catalog per 1× |",
               "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        base = None
        for factor, e in s.items():
            if "counts" not in e:
                md.append(f"| {factor}× | – | – | {e.get('skipped', '–')} | | | | | | |")
                continue
            c, v, bb = e["counts"], e.get("validation", {}), e.get("build", {})
            total_v = sum(v.get(k, 0) for k in ("parse", "validate", "catalog")) if v.get("complete") else None
            if factor == "1" and total_v:
                base = total_v
            per = f"{total_v / base / int(factor):.2f}" if (total_v and base) else "–"
            rss = f"{bb.get('maxrss_mb', 0):.0f}"
            if bb.get("ok"):
                wall, cpu = fmt_s(bb["wall"]), fmt_s(bb["cpu"])
            elif bb.get("timed_out"):
                wall, cpu, rss = f"> {bb['wall']:.0f} (stopped: time budget)", f"> {bb['cpu']:.0f}", f"≥ {rss}"
            else:
                wall, cpu = bb.get("skipped") or "failed", "–"
            unfinished = v.get("timed_out_after")
            spent = sum(v.get(k + "_wall", 0) for k in ("parse", "validate", "catalog"))

            def vt(k, v=v, unfinished=unfinished, spent=spent):
                if k in v:
                    return fmt_s(v[k])
                if unfinished and k == next((p for p in ("parse", "validate", "catalog") if p not in v), None):
                    return f"> {max(0, unfinished - spent - 1):.0f} (stopped)"
                return "–"

            md.append(f"| {factor}× | {c['entities']} / {c['glossary']} / {c['events']} / {c['sources']} | "
                      f"{c['pages']} | {wall} | {cpu} | {rss} | {vt('parse')} | "
                      f"{vt('validate')} | {vt('catalog')} | {per} |")
            short.append(f"scale {factor:>3}x  pages {c['pages']:>5}  build {wall}s  peak {rss} MB"
                         f"  parse {vt('parse')}s validate {vt('validate')}s catalog {vt('catalog')}s (CPU)")
        md += ["", "parse/validate/catalog: `load_data` (YAML parse, then pydantic validation) and `build_catalog` "
                   "alone, in a fresh interpreter, CPU seconds (best of 3 at 1×, one run above). The last column is "
                   "(parse + validate + catalog) ÷ factor ÷ the 1× time: 1.00 is linear; bigger is worse than "
                   "linear.", ""]
    w = data.get("weight")
    if w:
        labels = list(w)
        md += ["## Page weight", "",
               f"Bytes on the wire ({data['environment']['compression']}, headers included) as counted by the "
               "server, cold cache, every request the page makes until the network is idle (the search worker's "
               "fetch of the index included). Target ≤ 150 KB for an institution page.", "",
               "| page | " + " | ".join(f"{l}: total KB (requests) | {l}: without search index KB" for l in labels)
               + " | " + " | ".join(f"{l}: html / css / js / index KB" for l in labels) + " |",
               "|---|" + "---:|---:|" * len(labels) + "---:|" * len(labels)]
        for ptype in PAGES:
            cells = []
            for l in labels:
                p = w[l]["pages"][ptype]
                cells.append(f"{kb(p['total'])} ({p['requests']}) | {kb(p['total'] - p['by_kind'].get('search index', 0))}")
            parts = []
            for l in labels:
                k = w[l]["pages"][ptype]["by_kind"]
                parts.append(" / ".join(kb(k.get(x, 0)) for x in ("html", "css", "js", "search index")))
            md.append(f"| {ptype} | " + " | ".join(cells) + " | " + " | ".join(parts) + " |")
        md.append("")
        for l in labels:
            si = w[l]["search_index"]
            md.append(f"- {l}: search index {kb(si.get('raw'))} KB raw, {kb(si.get('gzip'))} KB gzipped "
                      f"({si.get('docs')} entries); loaded on every page: "
                      f"{all(p['search_index_loaded'] for p in w[l]['pages'].values())}")
            blocked = sorted({u for p in w[l]["pages"].values() for u in p["blocked"]})
            if blocked:
                md.append(f"  - blocked third-party requests: {', '.join(blocked[:6])}")
            errs = sorted({e for p in w[l]["pages"].values() for e in p["errors"]})
            if errs:
                md.append(f"  - console/page errors: {'; '.join(errs[:4])}")
        md.append("")
        inst = w[labels[0]]["pages"]["institution"]["total"]
        short.append("weight KB    " + "  ".join(f"{p[:5]:>5}" for p in PAGES) + "   (target institution <= 150)")
        for l in labels:
            short.append(f"  {l:<10} " + "  ".join(f"{w[l]['pages'][p]['total'] / 1024:5.0f}" for p in PAGES))
        short.append("  search index: " + ", ".join(
            f"{l} {kb(w[l]['search_index'].get('raw'))} KB raw / {kb(w[l]['search_index'].get('gzip'))} KB gz"
            for l in labels))
        ipage = w[labels[0]]["pages"]["institution"]
        share = ipage["by_kind"].get("search index", 0) / ipage["total"] if ipage["total"] else 0
        md.append(f"Institution page: {kb(inst)} KB ({'within' if inst <= 150 * 1024 else 'over'} the 150 KB "
                  f"target); the search index is {share:.0%} of it.")
        md.append("")
    lh = data.get("lighthouse")
    if lh:
        labels = list(lh)
        md += ["## Lighthouse 12.8.2 (mobile preset)", "",
               "Scores: performance / accessibility / best practices / SEO. Third-party hosts are unresolvable "
               "(`--host-resolver-rules`), as offline. Performance uses simulated mobile throttling on top of "
               "this machine's own speed: Lighthouse's benchmark index here was "
               + ", ".join(str(round(r["benchmark_index"])) for l in labels for r in lh[l].values()
                           if r.get("benchmark_index"))
               + " (Lighthouse warns below 1000 that the CPU is slower than it expects; a busy machine lowers it and "
               "the performance score with it, so compare columns from the same run).", "",
               "| page | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
        for ptype in PAGES:
            cells = []
            for l in labels:
                r = lh[l].get(ptype, {})
                cells.append(" / ".join(str(r["scores"].get(c, "–")) for c in CATEGORIES) if "scores" in r
                             else r.get("error", "–")[:60])
            md.append(f"| {ptype} | " + " | ".join(cells) + " |")
        md.append("")
        short.append("lighthouse   perf/a11y/bp/seo  " + "  ".join(f"{l:>16}" for l in labels))
        for ptype in PAGES:
            short.append(f"  {ptype:<12} " + " " * 16 + "  ".join(
                f"{'/'.join(str(lh[l].get(ptype, {}).get('scores', {}).get(c, '-')) for c in CATEGORIES):>16}"
                for l in labels))
        for l in labels:
            md += [f"### What stands in the way: {l}", ""]
            for ptype in PAGES:
                r = lh[l].get(ptype, {})
                if "scores" not in r:
                    md.append(f"- **{ptype}**: {r.get('error', 'no result')}")
                    continue
                md.append(f"- **{ptype}** ({', '.join(f'{k} {v}' for k, v in r['metrics'].items())})")
                for f in r["failing"]:
                    where = f" — {'; '.join(f['where'])}" if f["where"] else ""
                    md.append(f"  - {f['category']}: `{f['id']}` {f['title']} "
                              f"(score {f['score']:.2f}{', ' + f['value'] if f['value'] else ''}){where}")
                if r["scores"].get("performance", 100) < 100:
                    for h in r["perf_hints"][:3]:
                        where = f" — {'; '.join(h['where'])}" if h["where"] else ""
                        md.append(f"  - performance diagnostic: `{h['id']}` {h['title']}"
                                  f"{' (' + h['value'] + ')' if h['value'] else ''}{where}")
                for warn in r.get("warnings", [])[:2]:
                    md.append(f"  - warning: {warn}")
            md.append("")
    return "\n".join(md) + "\n", "\n".join(short)


def environment() -> dict:
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
        except Exception:  # noqa: BLE001
            return "?"

    from importlib.metadata import version as pkg

    lh = "?"
    pkg_json = BENCH / "node_modules" / "lighthouse" / "package.json"
    if pkg_json.is_file():
        lh = json.loads(pkg_json.read_text())["version"]
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "python": platform.python_version(),
            "mkdocs": pkg("mkdocs"), "material": pkg("mkdocs-material"), "macros": pkg("mkdocs-macros-plugin"),
            "chromium": version([CHROME, "--version"]), "node": version(["node", "--version"]), "lighthouse": lh,
            "compression": encoding_name(), "load_start": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def main() -> None:
    data: dict = {"environment": environment(), "steps": STEPS, "factors": FACTORS, "budget": BUDGET}
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=os.environ.get("BENCH_TMP")))
    logs = tmp / "logs"
    logs.mkdir()
    log(f"working in {tmp}")
    try:
        sites = None
        if any(s in STEPS for s in ("build", "weight", "lighthouse")):
            log("step 1: build time and the macros' overhead")
            data["build"] = step_build(tmp, logs)
            sites = data["build"]["sites"]
        if "weight" in STEPS:
            log("step 3: page weight")
            data["weight"] = step_weight(sites)
        # the small sizes first; the big ones last, with whatever is left of the time budget
        small, big = [f for f in FACTORS if f <= 10], [f for f in FACTORS if f > 10]
        if "scale" in STEPS and small:
            log(f"step 2: scaling {small}")
            data["scale"] = step_scale(tmp, logs, small, {})
        if "lighthouse" in STEPS:
            log("step 4: Lighthouse")
            data["lighthouse"] = step_lighthouse(sites, tmp, logs)
        if "scale" in STEPS and big:
            log(f"step 2: scaling {big} ({left():.0f}s of budget left)")
            data["scale"] = step_scale(tmp, logs, big, data.get("scale", {}))
    finally:
        data["seconds"] = time.monotonic() - T0
        data["environment"]["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        if "build" in data:
            for runs in data["build"]["runs"].values():
                for r in runs:
                    r.pop("log", None)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "report.json").write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
        report, short = render_report(data)
        (OUT / "report.md").write_text(report, encoding="utf-8")
        print(short)
        print(f"\nfull report: {OUT / 'report.md'} (and report.json); {data['seconds']:.0f} s")
        if os.environ.get("BENCH_KEEP") == "1":
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
