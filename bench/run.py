"""`make bench`: build time next to stock Material, `mkdocs serve` reloads, scaling, page weight and Lighthouse.

Prints a short table and writes report.md and report.json OUTSIDE the repository (BENCH_OUT, default a new
folder under the system's temporary directory), headed by the commit measured and whether the work tree had
uncommitted changes: a report committed next to the code would describe an older build sooner or later.
Everything runs in a temporary directory (kept when BENCH_KEEP=1); servers listen on 127.0.0.1 only; every
subprocess has a timeout and is ended by process id (with its descendants) when it overruns.

Steps (BENCH_STEPS=build,serve,weight,lighthouse,scale selects a subset; all by default):
  build       BENCH_PAIRS (5) pairs of `mkdocs build --strict`: the real site, and stock Material for MkDocs
              (then BENCH_COLD_PAIRS (3) pairs with the site's kept catalog and compiled templates deleted first)
              (no custom_dir, theme defaults, search only, no hooks) on the same Markdown and nav: each page's
              Markdown as it was after the macros ran, dumped by bench/dump_hook.py through a temporary config
              that INHERITs mkdocs.yml. The order alternates from pair to pair; the ratio is the median of the
              pairs' ratios, wall and CPU.
  serve       `mkdocs serve --livereload` on a copy of the project; a data value and then a page edited in
              turn (BENCH_SERVE_EDITS, 5, of each), timed from the save until the served page has the edit.
  weight      each page type loaded in headless Chromium (Playwright) from bench/serve.py (gzip, or brotli when
              importable): bytes on the wire (CDP encodedDataLength, headers included) of every request; any
              request to another host is blocked and listed. Search index size, raw and compressed.
  lighthouse  Lighthouse 12.8.2 from bench/node_modules, mobile preset, same pages and server; BENCH_LH_RUNS (3)
              interleaved runs per page and site, the median performance run reported.
  scale       1×, 10×, 100× the data (bench/scale.py) with a page per entity: build time, time per page, peak
              memory, and load_data's parse + validate + build_catalog alone. 100× runs last and gets what is
              left of the time budget (BENCH_BUDGET seconds, default 1500): what cannot finish is reported as such.
Other knobs: BENCH_FACTORS=1,10,100   BENCH_LH_RUNS=3   BENCH_OUT=dir   BENCH_TMP=dir   BENCH_KEEP=1
The machine's other work inflates wall times: compare the two sides of one run, not runs on different days.
"""
from __future__ import annotations

import gzip
import json
import os
import platform
import re
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
# The performance issue's goals (issue 21): build at most 1.2× stock; serve shows a data edit within 1.5 s and
# a page edit within 1 s.
TARGET_BUILD_RATIO = 1.2
TARGET_SERVE_S = {"data": 1.5, "page": 1.0}
STEPS = [s.strip() for s in os.environ.get("BENCH_STEPS", "build,serve,weight,lighthouse,scale").split(",")
         if s.strip()]
PAIRS = int(os.environ.get("BENCH_PAIRS", "5"))
COLD_PAIRS = int(os.environ.get("BENCH_COLD_PAIRS", "3"))          # also shown: builds with nothing kept
SERVE_EDITS = int(os.environ.get("BENCH_SERVE_EDITS", "5"))      # of each kind (the goal: median of 5)
SERVE_ENTITY, SERVE_PAGE, SERVE_PAGE_SOURCE = "asean", "institutions/asean/", "institutions/asean.md"
FACTORS = [int(f) for f in os.environ.get("BENCH_FACTORS", "1,10,100").split(",") if f.strip()]
BUDGET = float(os.environ.get("BENCH_BUDGET", "1500"))
LH_RUNS = max(1, int(os.environ.get("BENCH_LH_RUNS", "3")))     # Lighthouse runs per page and site (median)
OUT_ENV = os.environ.get("BENCH_OUT")
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


# --- step 1: build time side by side with stock Material ----------------------------------------------------

def frozen_markdown(tmp: Path, logs: Path, cfg: dict) -> tuple[Path, int]:
    """docs/ with every page's Markdown as it was after the macros ran (bench/dump_hook.py), assets as they are."""
    dump_project, dump_dir = tmp / "dump-project", tmp / "dumped-md"
    scale.link_farm(REPO, dump_project, skip={"site", ".git", ".venv", ".cache", "bench", "mkdocs.yml",
                                              "node_modules", ".pytest_cache", ".hypothesis"})
    hooks = [*(cfg.get("hooks") or []), str(BENCH / "dump_hook.py")]
    dump_cfg = write_config(dump_project / "mkdocs.yml", {"hooks": hooks}, inherit=True)
    r = run([MKDOCS, "build", "--strict", "-f", dump_cfg, "-d", tmp / "site-dump"], cwd=dump_project,
            log_file=logs / "dump.log", timeout=300, env={**ENV, "BENCH_DUMP_MARKDOWN": str(dump_dir)})
    if not r.ok:
        raise SystemExit(f"the dump build failed:\n{r.tail()}")
    docs = tmp / "frozen-docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(dump_dir, docs, dirs_exist_ok=True)
    return docs, sum(1 for _ in dump_dir.rglob("*.md"))


def stock_project(tmp: Path, docs: Path, cfg: dict) -> Path:
    """Stock Material for MkDocs on the same Markdown and nav: theme defaults, search only, no hooks."""
    stock = tmp / "stock-project"
    stock.mkdir()
    (stock / "docs").symlink_to(docs)
    stock_cfg = {k: cfg[k] for k in ("site_name", "site_description", "site_author", "copyright",
                                     "use_directory_urls", "markdown_extensions", "nav") if k in cfg}
    stock_cfg.update({"theme": {"name": "material"}, "plugins": ["search"]})
    return write_config(stock / "mkdocs.yml", stock_cfg)


def step_build(tmp: Path, logs: Path) -> dict:
    """BENCH_PAIRS pairs of (real site, stock Material), the order alternating from pair to pair so that a
    change in the machine's load hits both sides alike; the ratio is the median of the pairs' ratios."""
    cfg = read_config()
    docs, md_count = frozen_markdown(tmp, logs, cfg)
    log(f"  dumped {md_count} macro-rendered pages")
    stock_cfg = stock_project(tmp, docs, cfg)
    pairs = []
    for i in range(PAIRS):
        def real(i=i):
            return mkdocs_build(REPO / "mkdocs.yml", tmp / f"site-real-{i}", logs, f"real-{i}", 300)

        def stock(i=i):
            return mkdocs_build(stock_cfg, tmp / f"site-stock-{i}", logs, f"stock-{i}", 300, strict=False)

        r, s = alternating(i, real, stock)
        if not r.ok:
            raise SystemExit(f"the real site does not build:\n{r.tail()}")
        if not s.ok:
            raise SystemExit(f"the stock build failed:\n{s.tail()}")
        pairs.append({"real": asdict(r), "stock": asdict(s), "ratio_wall": r.wall / s.wall, "ratio_cpu": r.cpu / s.cpu})
    res: dict = {"pairs": pairs, "pages": md_count}
    for side in ("real", "stock"):
        res[side] = {"wall_median": statistics.median(p[side]["wall"] for p in pairs),
                     "cpu_median": statistics.median(p[side]["cpu"] for p in pairs),
                     "maxrss_mb": max(p[side]["maxrss_mb"] for p in pairs)}
    res["ratio_wall"] = statistics.median(p["ratio_wall"] for p in pairs)
    res["ratio_cpu"] = statistics.median(p["ratio_cpu"] for p in pairs)
    # The pairs above build the site as an editor's next build does, with what unchanged inputs let it keep
    # (.cache/asean-un/, the compiled templates). A cold build has neither: a fresh clone, or a changed input.
    cold = []
    for i in range(COLD_PAIRS):
        def real_cold(i=i):
            forget_build_caches()
            return mkdocs_build(REPO / "mkdocs.yml", tmp / f"site-cold-{i}", logs, f"cold-{i}", 300)

        def stock(i=i):
            return mkdocs_build(stock_cfg, tmp / f"site-stock-cold-{i}", logs, f"stock-cold-{i}", 300, strict=False)

        r, s = alternating(i, real_cold, stock)
        if r.ok and s.ok:
            cold.append({"real": asdict(r), "stock": asdict(s), "ratio_wall": r.wall / s.wall})
    if cold:
        res["cold"] = {"pairs": cold, "ratio_wall": statistics.median(p["ratio_wall"] for p in cold)}
    last = len(pairs) - 1
    res["sites"] = {"site": str(tmp / f"site-real-{last}"), "stock": str(tmp / f"site-stock-{last}")}
    return res


def alternating(i: int, real, stock):
    """(real run, stock run), the real site first in even pairs and stock first in odd ones."""
    if i % 2 == 0:
        r = real()
        return r, stock()
    s = stock()
    return real(), s


def forget_build_caches(project: Path = REPO) -> None:
    """What the site keeps between builds: the checked catalog (macros/buildcache.py) and Jinja's compiled
    templates (hooks/templates.py, in Jinja's default folder for them)."""
    shutil.rmtree(project / ".cache" / "asean-un", ignore_errors=True)
    from jinja2 import FileSystemBytecodeCache
    for entry in Path(FileSystemBytecodeCache().directory).glob("__jinja2_*.cache"):
        entry.unlink(missing_ok=True)


# --- step 2: an edit under `mkdocs serve`, until the served page shows it -------------------------------------

def _cpu_seconds(pid: int) -> float:
    """utime + stime of the process and of the children it has waited for, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def _fetch(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_atomically(path: Path, text: str) -> None:
    """As most editors save: a new file renamed over the old one (one change, never half a file)."""
    tmp = path.with_name(f".{path.name}.bench-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def data_edit(project: Path, marker: str) -> bool:
    """Append the marker to the first one-line `value:` of ASEAN's facts in the data file (the institution:
    other sections, such as the publisher registry, may use the same id)."""
    data = project / scale.DATA
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    try:
        section = next(n for n, line in enumerate(lines) if line.startswith("institutions:"))
        start = next(n for n, line in enumerate(lines) if n > section and line.strip() == f"- id: {SERVE_ENTITY}")
    except StopIteration:
        return False
    for n in range(start + 1, len(lines)):
        if lines[n].startswith("- id: "):
            return False
        m = re.match(r"^(\s+value: )([^'\"|>\n][^\n#]*?)( BENCHEDIT\d+)?\n$", lines[n])
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if m and len(nxt) - len(nxt.lstrip()) <= len(m.group(1)) - len(m.group(1).lstrip()):
            lines[n] = f"{m.group(1)}{m.group(2)} {marker}\n"
            _write_atomically(data, "".join(lines))
            return True
    return False


def page_edit(project: Path, marker: str) -> bool:
    page = project / "docs" / SERVE_PAGE_SOURCE
    text = re.sub(r"\n\nBench edit BENCHEDIT\d+\.\n$", "\n", page.read_text(encoding="utf-8"))
    _write_atomically(page, text.rstrip("\n") + f"\n\nBench edit {marker}.\n")
    return True


def step_serve(tmp: Path, logs: Path) -> dict:
    """`mkdocs serve --livereload` on a copy of the project (its docs/, data/ and mkdocs.yml copied, the rest
    linked); after the first build, each edit is saved and the served page polled every 50 ms until it has the
    edit. Wall seconds (what an editor waits, including MkDocs' 0.5 s file polling) and the serve process's
    CPU seconds for that rebuild (the figure a quiet machine's wall time approaches)."""
    project = tmp / "serve-project"
    scale.link_farm(REPO, project, skip=scale.SKIP_TOP)
    for name in ("docs", "data"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{SERVE_PAGE}"
    log_file = logs / "serve.log"
    out = open(log_file, "wb")
    proc = subprocess.Popen([MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    res: dict = {"url": SERVE_PAGE, "edits": []}
    try:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 300 and proc.poll() is None and not _fetch(url):
            time.sleep(0.2)
        res["first_build_wall"] = time.perf_counter() - t0
        if proc.poll() is not None or not _fetch(url):
            res["error"] = "mkdocs serve did not serve the page: " + log_file.read_text(errors="replace")[-800:]
            return res
        log(f"  serve: first build served after {res['first_build_wall']:.1f}s")
        time.sleep(2)
        for k in range(SERVE_EDITS * 2):
            kind = "data" if k % 2 == 0 else "page"
            marker = f"BENCHEDIT{k}"
            builds_before = log_file.read_text(errors="replace").count("Building documentation")
            cpu0, t = _cpu_seconds(proc.pid), time.perf_counter()
            if not (data_edit if kind == "data" else page_edit)(project, marker):
                res["error"] = f"no value to edit for {SERVE_ENTITY} in {scale.DATA}"
                return res
            seen = False
            while time.perf_counter() - t < 120 and proc.poll() is None:
                if marker in _fetch(url):
                    seen = True
                    break
                time.sleep(0.05)
            wall, cpu = time.perf_counter() - t, _cpu_seconds(proc.pid) - cpu0
            time.sleep(1.0)        # let a second rebuild (if the edit caused one) show in the log
            builds = log_file.read_text(errors="replace").count("Building documentation") - builds_before
            res["edits"].append({"kind": kind, "wall": wall, "cpu": cpu, "seen": seen, "rebuilds": builds})
            log(f"  serve: {kind} edit shown after {wall:.2f}s ({cpu:.2f}s cpu, {builds} rebuild(s))"
                + ("" if seen else " — NOT SEEN"))
            if not seen:
                break
    finally:
        _kill_tree(proc.pid)
        proc.wait(timeout=30)
        out.close()
    for kind in ("data", "page"):
        edits = [e for e in res["edits"] if e["kind"] == kind and e["seen"]]
        if edits:
            res[kind] = {"wall_median": statistics.median(e["wall"] for e in edits),
                         "cpu_median": statistics.median(e["cpu"] for e in edits), "n": len(edits)}
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


# summarise_lighthouse's "numbers", in report order: two audits' values, and the style-and-layout time
NUMERIC_AUDITS = {"tbt_ms": "total-blocking-time", "lcp_ms": "largest-contentful-paint"}
NUMBERS = (*NUMERIC_AUDITS, "style_layout_ms")


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
    # the goals' numbers, for medians over every run: TBT, LCP, and the main thread's style-and-layout time
    # (Lighthouse's mainthread-work-breakdown, group styleLayout), all in ms
    numbers = {name: report["audits"][audit]["numericValue"] for name, audit in NUMERIC_AUDITS.items()
               if isinstance((report["audits"].get(audit) or {}).get("numericValue"), (int, float))}
    breakdown = ((report["audits"].get("mainthread-work-breakdown") or {}).get("details") or {}).get("items")
    if breakdown:
        numbers["style_layout_ms"] = sum(i.get("duration", 0) for i in breakdown if i.get("group") == "styleLayout")
    return {"scores": scores, "failing": failing, "perf_hints": hints[:5], "metrics": metrics, "numbers": numbers,
            "benchmark_index": (report.get("environment") or {}).get("benchmarkIndex"),
            "warnings": report.get("runWarnings", []),
            "runtime_error": (report.get("runtimeError") or {}).get("message")}


def step_lighthouse(sites: dict, tmp: Path, logs: Path) -> dict:
    """BENCH_LH_RUNS (3) runs of every page on both sites, interleaved (run 1 of each, then run 2 …) so that a
    change in the machine's load hits both alike. Each page reports the run with the median performance score
    (its other scores and diagnostics with it) and lists every run's performance score."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse is not installed: run `make bench` (it runs `npm ci` in bench/)")
    runs: dict = {label: {ptype: [] for ptype in PAGES} for label in sites}
    flags = " ".join([*CHROME_FLAGS, OFFLINE_RULE])
    for n in range(LH_RUNS):
        for label, site in sites.items():
            with serving(site) as base:
                for ptype, path in PAGES.items():
                    out = tmp / f"lh-{label}-{ptype}-{n}.json"
                    cmd = ["node", LIGHTHOUSE, f"{base}/{path}", "--quiet", "--output=json", f"--output-path={out}",
                           f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
                           "--disable-full-page-screenshot", "--max-wait-for-load=30000"]
                    r = run(cmd, cwd=BENCH, log_file=logs / f"lh-{label}-{ptype}-{n}.log", timeout=180,
                            env={**ENV, "CHROME_PATH": CHROME})
                    if r.ok and out.is_file():
                        one = summarise_lighthouse(json.loads(out.read_text()), base)
                        one["seconds"] = round(r.wall, 1)
                    else:
                        one = {"error": ("timed out" if r.timed_out else f"exit {r.rc}") + ": " + r.tail(5)}
                    runs[label][ptype].append(one)
                    log(f"  {label} {ptype} run {n + 1}/{LH_RUNS}: {one.get('scores') or one.get('error')} "
                        f"({r.wall:.0f}s)")
    res: dict = {}
    for label, pages in runs.items():
        res[label] = {}
        for ptype, results in pages.items():
            ok = [x for x in results if x.get("scores", {}).get("performance") is not None]
            if not ok:
                res[label][ptype] = results[-1]
                continue
            ok.sort(key=lambda x: x["scores"]["performance"])
            chosen = dict(ok[(len(ok) - 1) // 2])            # the median run (the lower of two middles)
            chosen["performance_runs"] = [x.get("scores", {}).get("performance") for x in results]
            chosen["medians"] = {k: statistics.median(x["numbers"][k] for x in ok if k in x.get("numbers", {}))
                                 for k in NUMBERS if any(k in x.get("numbers", {}) for x in ok)}
            res[label][ptype] = chosen
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
            # 1× is a few seconds, so it is built three times and the median (by CPU) kept: the denominator of
            # every "÷ 1×" figure should not be one noisy run. 10× and 100× are built once.
            builds = []
            for i in range(3 if factor == 1 else 1):     # each cold: per-page work, like for like at every factor
                forget_build_caches(project)
                builds.append(mkdocs_build(project / "mkdocs.yml", project / "site", logs, f"scale-{factor}-{i}",
                                           timeout=max(10, left() - 15)))
            b = sorted(builds, key=lambda x: (not x.ok, x.cpu))[(len(builds) - 1) // 2 if all(x.ok for x in builds) else 0]
            entry["build"] = {"wall": b.wall, "cpu": b.cpu, "maxrss_mb": b.maxrss_mb, "ok": b.ok,
                              "timed_out": b.timed_out, "runs_cpu": [round(x.cpu, 2) for x in builds]}
            if b.ok:
                site = project / "site"
                entry["build"]["html_files"] = sum(1 for _ in site.rglob("*.html"))
                entry["build"]["site_mb"] = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 2**20
                entry["build"]["search_index"] = index_size(site)
                print_page = site / "print_page" / "index.html"
                entry["build"]["print_page_mb"] = print_page.stat().st_size / 2**20 if print_page.is_file() else 0
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
    commit = env.get("commit", "?")
    md += ["# Bench report", "",
           f"Commit **{commit}**{' with uncommitted changes' if env.get('dirty') else ''} · {env['date']} · "
           f"{env['cpus']} CPUs · load average {env['load_start']} at start, {env['load_end']} at end "
           f"(other work on the machine inflates wall times; CPU times are steadier) · "
           f"mkdocs {env['mkdocs']}, material {env['material']}, macros {env['macros']}, {env['chromium']}, "
           f"Lighthouse {env['lighthouse']}, compression {env['compression']} · total {data['seconds']:.0f} s", ""]
    short.append(f"commit {commit}{' (+ uncommitted changes)' if env.get('dirty') else ''}   {env['date']}   "
                 f"load average {env['load_start']} -> {env['load_end']} on {env['cpus']} CPUs")
    b = data.get("build")
    if b:
        verdict = "meets" if b["ratio_wall"] <= TARGET_BUILD_RATIO else "misses"
        md += ["## Build time next to stock Material", "",
               f"{b['pages']} pages, `mkdocs build --strict`, {len(b['pairs'])} pairs (real, stock), the order "
               "alternating. Stock: the same Markdown (each page as it was after the macros ran, dumped by "
               "`bench/dump_hook.py`) and nav, with `theme: material` defaults and only the search plugin.", "",
               "| pair | real wall (s) | stock wall (s) | ratio | real CPU (s) | stock CPU (s) | ratio |",
               "|---|---:|---:|---:|---:|---:|---:|"]
        for i, p in enumerate(b["pairs"], 1):
            md.append(f"| {i} | {fmt_s(p['real']['wall'])} | {fmt_s(p['stock']['wall'])} | {p['ratio_wall']:.2f} | "
                      f"{fmt_s(p['real']['cpu'])} | {fmt_s(p['stock']['cpu'])} | {p['ratio_cpu']:.2f} |")
        md += ["", f"**Build ratio vs stock (median of the pairs): {b['ratio_wall']:.2f}× wall, {b['ratio_cpu']:.2f}× "
                   f"CPU** (target ≤ {TARGET_BUILD_RATIO}: {verdict} it). Peak memory {b['real']['maxrss_mb']:.0f} MB "
                   f"(stock {b['stock']['maxrss_mb']:.0f} MB).", ""]
        if b.get("cold"):
            c = b["cold"]
            md += [f"Cold builds (no kept catalog, no compiled templates: a fresh clone, or the first build after an "
                   f"input changed), {len(c['pairs'])} pairs: "
                   + ", ".join(f"{p['real']['wall']:.2f} s vs {p['stock']['wall']:.2f} s" for p in c["pairs"])
                   + f"; **ratio {c['ratio_wall']:.2f}×** (median). Not the goal's measure, shown so the kept work "
                   "is not mistaken for speed.", ""]
            short.append(f"cold build ratio       {c['ratio_wall']:.2f}x wall (median of {len(c['pairs'])} pairs)")
        short.append(f"build ratio vs stock   {b['ratio_wall']:.2f}x wall, {b['ratio_cpu']:.2f}x cpu (median of "
                     f"{len(b['pairs'])} pairs; target <= {TARGET_BUILD_RATIO})   real {b['real']['wall_median']:.2f}s / "
                     f"{b['real']['cpu_median']:.2f}s cpu, stock {b['stock']['wall_median']:.2f}s / "
                     f"{b['stock']['cpu_median']:.2f}s cpu")
    sv = data.get("serve")
    if sv:
        md += ["## `mkdocs serve`: an edit until the served page shows it", ""]
        if sv.get("error"):
            md += [f"Not measured: {sv['error']}", ""]
            short.append(f"serve reload           not measured: {sv['error'][:120]}")
        md += [f"Page /{sv['url']}; first build served after {fmt_s(sv.get('first_build_wall'))} s. Each edit is "
               "saved as editors do (a new file renamed over the old), then the page is fetched every 50 ms until "
               "it has the edit: wall seconds include the file watcher's polling (every 0.1 s, hooks/preview.py; "
               "MkDocs' own polls every 0.5 s). CPU: what the serve process spent meanwhile.", "",
               "| edit | wall (s) | CPU (s) | rebuilds |", "|---|---:|---:|---:|"]
        for e in sv.get("edits", []):
            md.append(f"| {e['kind']} | {fmt_s(e['wall'])}{'' if e['seen'] else ' (not seen)'} | {fmt_s(e['cpu'])} | "
                      f"{e['rebuilds']} |")
        md.append("")
        for kind in ("data", "page"):
            if kind in sv:
                k = sv[kind]
                target = TARGET_SERVE_S[kind]
                verdict = "meets" if k["wall_median"] <= target else "misses"
                md.append(f"**Serve reload after a {kind} edit: {k['wall_median']:.2f} s wall, {k['cpu_median']:.2f} s "
                          f"CPU** (median of {k['n']}; target ≤ {target} s: {verdict} it on this machine).")
                short.append(f"serve reload ({kind} edit) {k['wall_median']:.2f}s wall, {k['cpu_median']:.2f}s cpu "
                             f"(median of {k['n']}; target <= {target} s)")
        md.append("")
    s = data.get("scale")
    if s:
        md += ["## Scaling", "",
               "Copies of every source, entity, term and event (ids suffixed `-x<k>`, references remapped), a page "
               "per copied entity rendered by the same macros; generated pages are outside `nav`, so the print page "
               "holds the nav's pages (its glossary, timeline and who's who grow with the data). Strict production "
               "build: the median (by CPU) of three runs at 1×, one run at 10× and 100×, each cold (no kept catalog or "
               "compiled templates: the per-page work, like for like).", "",
               "| data | data MB | entities / terms / events / sources | pages | build wall (s) | build CPU (s) | "
               "wall s/page | CPU s/page | CPU s/page ÷ 1× | peak RSS (MB) | RSS growth ÷ data growth | "
               "print page (MB) | parse / validate / catalog (CPU s) |",
               "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        base = s.get("1", {})
        base_ok = base.get("build", {}).get("ok")
        for factor, e in s.items():
            if "counts" not in e:
                md.append(f"| {factor}× | – | – | – | {e.get('skipped', '–')} | | | | | | | | |")
                short.append(f"scale {factor:>3}x  {e.get('skipped', '-')}")
                continue
            c, v, bb = e["counts"], e.get("validation", {}), e.get("build", {})
            pages = c["pages"]
            phases = " / ".join(fmt_s(v.get(k)) for k in ("parse", "validate", "catalog"))
            if v.get("timed_out_after"):
                phases += f" (stopped after {v['timed_out_after']} s)"
            if bb.get("ok"):
                wpp, cpp = bb["wall"] / pages, bb["cpu"] / pages
                growth = mem = "–"
                if base_ok:
                    b1 = base["build"]
                    growth = f"{cpp / (b1['cpu'] / base['counts']['pages']):.2f}"
                    mem = f"{(bb['maxrss_mb'] / b1['maxrss_mb']) / (c['data_bytes'] / base['counts']['data_bytes']):.2f}"
                md.append(f"| {factor}× | {c['data_bytes'] / 2**20:.1f} | {c['entities']} / {c['glossary']} / "
                          f"{c['events']} / {c['sources']} | {pages} | {fmt_s(bb['wall'])} | {fmt_s(bb['cpu'])} | "
                          f"{wpp:.3f} | {cpp:.3f} | {growth} | {bb['maxrss_mb']:.0f} | {mem} | "
                          f"{bb.get('print_page_mb', 0):.1f} | {phases} |")
                short.append(f"scale {factor:>3}x  pages {pages:>5}  build {bb['wall']:7.1f}s wall {bb['cpu']:7.1f}s cpu"
                             f"  {wpp:.3f}s/page wall {cpp:.3f}s/page cpu (x{growth} of 1x)  peak {bb['maxrss_mb']:.0f} MB"
                             f" (growth/data growth {mem})")
            else:
                why = ("stopped: time budget" if bb.get("timed_out") else bb.get("skipped") or
                       f"failed: {bb.get('error', '')[-200:]}")
                md.append(f"| {factor}× | {c['data_bytes'] / 2**20:.1f} | {c['entities']} / {c['glossary']} / "
                          f"{c['events']} / {c['sources']} | {pages} | {why} | | | | | | | | {phases} |")
                short.append(f"scale {factor:>3}x  pages {pages:>5}  build {why}")
        md += ["", "CPU s/page ÷ 1×: the target is ≤ 1.2 (at 1× the start-up cost is shared by fewer pages). RSS "
                   "growth ÷ data growth: peak memory's growth over 1× divided by the data file's; ≤ 1.00 means memory "
                   "grows no faster than the data. parse/validate/catalog: `load_data` and `build_catalog` alone, in a "
                   "fresh interpreter (best of 3 at 1×).", ""]
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
               f"Scores: performance / accessibility / best practices / SEO of the median of {LH_RUNS} runs per page "
               "(by performance; the site's and stock's runs interleaved), every run's performance in brackets. Third-party hosts are unresolvable "
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
                cells.append(" / ".join(str(r["scores"].get(c, "–")) for c in CATEGORIES)
                             + (f" (performance runs: {', '.join(str(x) for x in r['performance_runs'])})"
                                if len(r.get("performance_runs") or []) > 1 else "")
                             if "scores" in r else r.get("error", "–")[:60])
            md.append(f"| {ptype} | " + " | ".join(cells) + " |")
        md.append("")
        if len(labels) == 2 and all("medians" in lh[l].get(p, {}) for l in labels for p in PAGES):
            a, b = labels
            md += [f"Medians of all {LH_RUNS} runs of each page (ms): total blocking time, largest contentful paint, "
                   "and the main thread's style-and-layout time (Lighthouse's `mainthread-work-breakdown`, group "
                   f"`styleLayout`), {a} against {b}.", "",
                   f"| page | TBT {a} | TBT {b} | LCP {a} | LCP {b} | style+layout {a} | style+layout {b} | "
                   f"style+layout {a}/{b} |", "|---|" + "---:|" * 7]
            for ptype in PAGES:
                ma, mb = lh[a][ptype]["medians"], lh[b][ptype]["medians"]
                cells = [f"{m.get(k, float('nan')):.0f}" for k in NUMBERS for m in (ma, mb)]
                ratio = (ma.get("style_layout_ms", 0) / mb["style_layout_ms"]) if mb.get("style_layout_ms") else None
                md.append(f"| {ptype} | " + " | ".join(cells) + f" | {'–' if ratio is None else f'{ratio:.2f}×'} |")
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
            "compression": encoding_name(), "load_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            **measured_commit()}


def measured_commit() -> dict:
    """The commit the bench measures, and whether the work tree differs from it (then the report says so)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30)

    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return {"commit": "not a git checkout", "dirty": None}
    status = git("status", "--porcelain", "--untracked-files=normal")
    return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip()),
            "changes": status.stdout.splitlines()[:20]}


def output_dir(env: dict) -> Path:
    """Where the report goes: BENCH_OUT, else a fresh folder under the system's temporary directory. Never
    inside the repository, so no committed report can describe another build than its commit's."""
    if OUT_ENV:
        out = Path(OUT_ENV).resolve()
    else:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        out = Path(tempfile.gettempdir()) / "asean-un-bench" / f"{stamp}-{env.get('commit', '?')[:10]}"
    if out == REPO or REPO in out.parents:
        raise SystemExit(f"BENCH_OUT={out} is inside the repository: a committed report would go stale; "
                         "write it elsewhere (or let CI regenerate it)")
    return out


def main() -> None:
    data: dict = {"environment": environment(), "steps": STEPS, "factors": FACTORS, "budget": BUDGET}
    out = output_dir(data["environment"])
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=os.environ.get("BENCH_TMP")))
    logs = tmp / "logs"
    logs.mkdir()
    log(f"working in {tmp}")
    try:
        sites = None
        if any(s in STEPS for s in ("build", "weight", "lighthouse")):
            log(f"step 1: build time, {PAIRS} pairs of (real site, stock Material)")
            data["build"] = step_build(tmp, logs)
            sites = data["build"]["sites"]
        if "serve" in STEPS:
            log("step 2: mkdocs serve, edit until shown")
            data["serve"] = step_serve(tmp, logs)
        if "weight" in STEPS:
            log("step 3: page weight")
            data["weight"] = step_weight(sites)
        # the small sizes first; the big ones last, with whatever is left of the time budget
        small, big = [f for f in FACTORS if f <= 10], [f for f in FACTORS if f > 10]
        if "scale" in STEPS and small:
            log(f"step 5: scaling {small}")
            data["scale"] = step_scale(tmp, logs, small, {})
        if "lighthouse" in STEPS:
            log("step 4: Lighthouse")
            data["lighthouse"] = step_lighthouse(sites, tmp, logs)
        if "scale" in STEPS and big:
            log(f"step 5: scaling {big} ({left():.0f}s of budget left)")
            data["scale"] = step_scale(tmp, logs, big, data.get("scale", {}))
    finally:
        data["seconds"] = time.monotonic() - T0
        data["environment"]["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        for pair in (data.get("build") or {}).get("pairs", []):
            for side in ("real", "stock"):
                pair[side].pop("log", None)
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
        report, short = render_report(data)
        (out / "report.md").write_text(report, encoding="utf-8")
        print(short)
        print(f"\nfull report: {out / 'report.md'} (and report.json); {data['seconds']:.0f} s")
        if os.environ.get("BENCH_KEEP") == "1":
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
