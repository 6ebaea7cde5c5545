"""`mkdocs build` for the tests, in a process forked from one that has already imported MkDocs, Material,
mkdocs-macros, Python-Markdown, pymdownx and pydantic (Python's own multiprocessing forkserver).

A mini project's build spent about 0.45 s of its 1.1 s importing those libraries; the tests build some ninety
projects. Each build still runs in a process of its own, through MkDocs' own command line, with the project's
folder first on sys.path (as `python -m mkdocs` has it), its own environment and a fresh copy of every module
of the project (macros/, hooks/): only third-party libraries are imported ahead, never project code, which each
mini project has its own (and sometimes edited) copy of. FORKBUILD=0 runs `python -m mkdocs` instead.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What every build of this project imports from outside it: MkDocs, the theme, the plugins and the Markdown
# extensions mkdocs.yml names. Imported once, in the fork server (set_forkserver_preload imports this module
# there); a name that does not import is skipped (the build then imports it, or reports it, itself).
CORE = ("mkdocs.__main__", "mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.config.defaults",
        "mkdocs.structure.pages", "material", "material.plugins.search.plugin", "pydantic", "yaml", "jinja2",
        "markdown", "pygments", "watchdog.observers.polling")


def third_party(config: Path) -> list[str]:
    """CORE, then the modules of mkdocs.yml's plugins (by their entry points) and Markdown extensions."""
    import re
    from importlib.metadata import entry_points

    text = config.read_text(encoding="utf-8")

    def listed(section: str) -> list[str]:
        block = re.search(rf"^{section}:\n((?:[ \t].*\n|\n)*)", text, re.M)
        return re.findall(r"^  - ([A-Za-z_][\w.]*)", block.group(1) if block else "", re.M)

    plugins = {ep.name: ep.value.split(":")[0] for ep in entry_points(group="mkdocs.plugins")}
    return [*CORE, *(plugins[name] for name in listed("plugins") if name in plugins),
            *(name if "." in name else f"markdown.extensions.{name}" for name in listed("markdown_extensions"))]


def plain_path() -> list[str]:
    """sys.path as `python -m mkdocs` has it, less its first entry (the current folder): the standard library and
    site-packages of this interpreter, without what pytest added (this checkout, its tests)."""
    import json

    out = subprocess.run([sys.executable, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


BASE_PATH: list[str] = []
if os.environ.get("FORKBUILD_SERVER") == "1":          # set only for the fork server (see _context)
    import importlib

    BASE_PATH = plain_path()

    for name in third_party(ROOT / "mkdocs.yml"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _child(argv: list[str], cwd: str, env: dict, out_path: str) -> None:
    """In the forked process: become `python -m mkdocs ARGV` run in cwd with env, output to out_path."""
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.path[:] = [cwd, *BASE_PATH]
    sys.argv = ["mkdocs", *argv]
    from mkdocs.__main__ import cli

    cli.main(args=list(argv), prog_name="mkdocs")      # exits: SystemExit(code) is the process's exit code


_ctx = None


def _context():
    global _ctx
    if _ctx is None:
        import multiprocessing

        _ctx = multiprocessing.get_context("forkserver")
        os.environ["FORKBUILD_SERVER"] = "1"           # the server starts with this process's environment
        try:
            _ctx.set_forkserver_preload(["forkbuild"])
            from multiprocessing import forkserver

            forkserver.ensure_running()
        finally:
            del os.environ["FORKBUILD_SERVER"]
    return _ctx


def mkdocs(argv: list[str], cwd, env: dict, timeout: float) -> subprocess.CompletedProcess:
    """`python -m mkdocs ARGV` in cwd with env: its exit code, and its output (stdout and stderr, in the order
    written) as stdout; stderr is empty. Raises subprocess.TimeoutExpired as subprocess.run does."""
    argv = [str(a) for a in argv]
    if os.environ.get("FORKBUILD", "1") == "0":
        proc = subprocess.run([sys.executable, "-m", "mkdocs", *argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, "")
    ctx = _context()
    with tempfile.TemporaryDirectory(prefix="forkbuild-") as tmp:
        out = os.path.join(tmp, "output")
        proc = ctx.Process(target=_child, args=(argv, str(cwd), dict(env), out), daemon=True)
        proc.start()
        try:
            proc.join(timeout)
            if proc.is_alive():
                proc.kill()
                proc.join(10)
                raise subprocess.TimeoutExpired(["mkdocs", *argv], timeout)
            code = proc.exitcode
        finally:
            if not proc.is_alive():
                proc.close()        # its pipes now, not whenever the garbage collector gets to it
        text = Path(out).read_text(encoding="utf-8", errors="replace") if os.path.exists(out) else ""
        return subprocess.CompletedProcess(["mkdocs", *argv], code, text, "")
