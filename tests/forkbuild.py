"""MkDocs builds for the tests, each still a process of its own, without paying Python's start-up and the
third-party imports every time.

A test that builds a mini project wants what a reader's `mkdocs build` does: a fresh process, the project's
own macros/ and hooks/, its own environment and working directory, exit code and output. Starting Python and
importing MkDocs, Material, Python-Markdown, pymdown-extensions, Jinja, pydantic, YAML and the rest takes about
0.4 s of the ~1.4 s such a build costs, and the suite runs over a hundred of them.

So one server process per test worker imports those packages once and forks a child for every build. The
child changes to the project, takes the build's environment, sends its output to a file, runs MkDocs'
command line (`mkdocs.__main__.cli`, as `python -m mkdocs` does) and exits with its exit code. Nothing of the
project is imported in the server: which modules it preloads is learnt from its first child, which reports
the modules it imported from the standard library and site-packages (never the project's macros/ or hooks/).
Imports are all the server does, so each child starts as a fresh process would after importing them.

Linux only (fork); elsewhere, or with TESTS_FORK_BUILDS=0, builds run as plain subprocesses.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

ENABLED = hasattr(os, "fork") and os.environ.get("TESTS_FORK_BUILDS", "1") != "0"


# --- the server (runs as `python tests/forkbuild.py`) --------------------------------------------------------

def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple({os.path.realpath(paths[k]) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib")})


def _library_modules() -> list[str]:
    """Modules imported so far whose file lies in the standard library or site-packages."""
    dirs = _library_dirs()
    names = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name != "__main__" and file and os.path.realpath(file).startswith(dirs):
            names.append(name)
    return sorted(names)


def _child(request: dict, report: str | None) -> None:
    """In the forked child: become the build. Never returns."""
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        sys.argv = ["mkdocs", *request["args"]]
        sys.path[0] = request["cwd"]          # as `python -m mkdocs` run in the project
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from mkdocs.__main__ import cli

        try:
            cli.main(args=request["args"], prog_name="mkdocs")
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if report:
            Path(report).write_text("\n".join(_library_modules()), encoding="utf-8")
    except BaseException:                      # noqa: BLE001 - shown in the build's output, as Python would
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:                  # noqa: BLE001
                pass
        os._exit(code)


def serve() -> None:
    """Read one JSON request per line on stdin; for each, fork a build and answer {"pid"} then {"code"}."""
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)                              # anything an import prints goes to stderr, not to the replies
    sys.stdout = sys.stderr
    preloaded = False
    for line in sys.stdin:
        request = json.loads(line)
        report = None if preloaded else request["out"] + ".modules"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request, report)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
        if not preloaded:
            preloaded = True
            try:
                names = Path(report).read_text(encoding="utf-8").split()
                os.unlink(report)
            except OSError:
                names = []
            for name in names:
                try:
                    __import__(name)
                except BaseException:          # noqa: BLE001 - a module that will not preload is imported by the child
                    pass


# --- the client (in the test process) ------------------------------------------------------------------------

class ForkBuilds:
    """One server for this test process; run() is safe to call from one thread at a time (a lock)."""

    def __init__(self, env: dict):
        self.env, self.proc, self.lock, self.pending = env, None, threading.Lock(), b""

    def _start(self):
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=self.env, cwd=tempfile.gettempdir(), bufsize=0)
        self.pending = b""

    def _reply(self, timeout: float):
        """The server's next reply, or None after `timeout` seconds without one. Read straight from the pipe
        into our own buffer: both replies may already be there, and a buffered reader would hide the second
        from select()."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the build server stopped")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, args: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int, str]:
        """(exit code, stdout and stderr) of `mkdocs ARGS` run in cwd with env; -9 after a timeout."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            with tempfile.NamedTemporaryFile(prefix="build-", suffix=".log", delete=False) as f:
                out = f.name
            try:
                request = (json.dumps({"args": [str(a) for a in args], "cwd": str(cwd), "env": dict(env),
                                       "out": out}) + "\n").encode()
                while request:                          # an unbuffered pipe may take part of it at a time
                    request = request[self.proc.stdin.write(request):]
                started = self._reply(30)
                if started is None:
                    raise RuntimeError("the build server did not start the build")
                done = self._reply(timeout)
                if done is None:                       # too long: stop the build, as subprocess.run would. The
                    os.kill(started["pid"], signal.SIGKILL)   # server has not reaped it: the pid is still its child
                    done = self._reply(30)
                return done["code"], Path(out).read_text(encoding="utf-8", errors="replace")
            finally:
                os.unlink(out)

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


if __name__ == "__main__":
    serve()
