"""A local Neo4j server for development, tests and CI, with no Docker and no download site.

``start()`` assembles Neo4j 5.26 LTS Community, the Graph Data Science library
and APOC Core from Maven Central with Maven (``deploy/neo4j/pom.xml``, built
once into the server home), then runs it on 127.0.0.1 with authentication, a
persistent data folder and a health check. ``stop()`` sends SIGTERM, which
Neo4j handles with a clean shutdown, and falls back to SIGKILL after a timeout.

The server home is ``$CREDGRAPH_NEO4J_HOME`` or ``~/.local/share/credgraph/neo4j``:

    build/     copy of the Maven project (its target/ lives here, not in site-packages)
    lib/       Neo4j and the launcher;  plugins/  GDS and APOC
    data/      databases (kept across restarts)
    logs/      neo4j.log, debug.log and console.log (the launcher's output)
    password   generated on first start unless NEO4J_PASSWORD is set (mode 600)
    server.json  pid and port of the running server
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from credgraph.graph.errors import Neo4jServerError
from credgraph.graph.resources import deploy_dir

NEO4J_VERSION = "5.26.30"
DEFAULT_BOLT_PORT = 7687
MAIN_CLASS = "org.credgraph.neo4j.LocalServer"
READY_LINE = "credgraph-neo4j ready"
HEAP = os.environ.get("CREDGRAPH_NEO4J_HEAP", "1g")
# The options Neo4j's own launcher uses, less what a local dev server does not need.
JVM_OPTIONS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC", "-XX:-UsePerfData",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


@dataclass(frozen=True)
class LocalServer:
    """What is known about the local server: where, whether it runs, how to log in."""

    home: Path
    port: int
    running: bool
    pid: int | None
    password: str
    version: str = NEO4J_VERSION

    @property
    def uri(self) -> str:
        """The Bolt URI of the server."""
        return f"bolt://127.0.0.1:{self.port}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (the password is left out)."""
        data = asdict(self) | {"home": str(self.home), "uri": self.uri}
        data.pop("password")
        return data


def neo4j_home() -> Path:
    """The server home folder."""
    configured = os.environ.get("CREDGRAPH_NEO4J_HOME")
    return Path(configured) if configured else Path.home() / ".local" / "share" / "credgraph" / "neo4j"


SCRATCH_PORT = int(os.environ.get("CREDGRAPH_TEST_NEO4J_PORT", "7688"))


def scratch_home() -> Path:
    """Home of the scratch server that tests and benchmarks wipe at will.

    ``$CREDGRAPH_TEST_NEO4J_HOME``, or ``neo4j-test`` beside the default home;
    its port is ``$CREDGRAPH_TEST_NEO4J_PORT`` (default 7688).
    """
    configured = os.environ.get("CREDGRAPH_TEST_NEO4J_HOME")
    return Path(configured) if configured else Path.home() / ".local" / "share" / "credgraph" / "neo4j-test"


def new_password() -> str:
    """A random password that never starts with ``-`` (Neo4j's admin tool would read it as an option)."""
    return "cg" + secrets.token_urlsafe(18)


def _password(home: Path) -> str:
    """``$NEO4J_PASSWORD`` for the default home, else the password generated on first start."""
    configured = os.environ.get("NEO4J_PASSWORD")
    if configured and home == neo4j_home():
        return configured
    path = home / "password"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(new_password() + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def local_password() -> str | None:
    """The local server's password, if one was generated on this machine."""
    path = neo4j_home() / "password"
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def _project_digest(project: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file() and "target" not in p.parts):
        digest.update(path.relative_to(project).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def assemble(home: Path) -> None:
    """Build the server into ``home`` with Maven, unless the same build is there."""
    project = deploy_dir() / "neo4j"
    digest = _project_digest(project)
    stamp = home / "lib" / ".credgraph-build"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
        return
    for tool in ("mvn", "java"):
        if shutil.which(tool) is None:
            raise Neo4jServerError(
                f"{tool} not found: the local Neo4j needs Java 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"
            )
    build = home / "build"
    shutil.rmtree(build, ignore_errors=True)
    shutil.copytree(project, build, ignore=shutil.ignore_patterns("target"))
    command = ["mvn", "-q", "-B", "-f", str(build / "pom.xml"), "package", f"-Dcredgraph.neo4j.home={home}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        log = home / "logs" / "maven.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        raise Neo4jServerError(f"Maven could not assemble Neo4j {NEO4J_VERSION} (exit {result.returncode}); see {log}")
    stamp.write_text(digest, encoding="utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        return MAIN_CLASS.encode() in cmdline.read_bytes()
    return True


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _state(home: Path) -> dict[str, Any]:
    path = home / "server.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def status(home: Path | None = None) -> LocalServer:
    """Whether the local server runs (its process is alive and its port answers)."""
    home = home or neo4j_home()
    state = _state(home)
    pid: int | None = state.get("pid")
    port: int = state.get("port", DEFAULT_BOLT_PORT)
    running = pid is not None and _alive(pid) and _answers(port)
    password = _password(home) if home.exists() else ""
    return LocalServer(home, port, running, pid if running else None, password)


def _wait_until_ready(process: subprocess.Popen[bytes], console: Path, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = console.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            raise Neo4jServerError(
                f"Neo4j exited with code {process.returncode} while starting: {' '.join(tail)} (see {console})"
            )
        if READY_LINE in console.read_text(encoding="utf-8", errors="replace") and _answers(port):
            return
        time.sleep(0.5)
    process.terminate()
    raise Neo4jServerError(f"Neo4j did not answer on port {port} within {timeout:.0f} s (see {console})")


def start(port: int | None = None, timeout: float = 300.0, home: Path | None = None) -> LocalServer:
    """Start the local server (assembling it first if needed) and wait until it answers.

    A server that already runs is left alone and returned. ``home`` defaults to
    ``neo4j_home()``; tests and benchmarks use a home of their own.
    """
    home = home or neo4j_home()
    current = status(home)
    if current.running:
        return current
    port = port or _state(home).get("port") or DEFAULT_BOLT_PORT
    if _answers(port):
        raise Neo4jServerError(f"port {port} is taken by another program; choose one with --port")
    assemble(home)
    password = _password(home)
    if len(password) < 8:
        raise Neo4jServerError("NEO4J_PASSWORD must have at least 8 characters")
    (home / "logs").mkdir(parents=True, exist_ok=True)
    console = home / "logs" / "console.log"
    classpath = f"{home / 'lib'}/*:{home / 'plugins'}/*"
    command = ["java", f"-Xmx{HEAP}", *JVM_OPTIONS, "-cp", classpath, MAIN_CLASS, str(home), str(port)]
    with console.open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NEO4J_PASSWORD": password},
            start_new_session=True,
        )
    (home / "server.json").write_text(json.dumps({"pid": process.pid, "port": port}), encoding="utf-8")
    _wait_until_ready(process, console, port, timeout)
    return LocalServer(home, port, True, process.pid, password)


def stop(timeout: float = 60.0, home: Path | None = None) -> bool:
    """Stop the local server; ``False`` if it was not running. Its port is remembered."""
    home = home or neo4j_home()
    state = _state(home)
    pid = state.get("pid")
    forget_pid = json.dumps({"port": state.get("port", DEFAULT_BOLT_PORT)})
    if not pid or not _alive(pid):
        if state:
            (home / "server.json").write_text(forget_pid, encoding="utf-8")
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    (home / "server.json").write_text(forget_pid, encoding="utf-8")
    return True


@contextmanager
def scratch_server(home: Path, port: int) -> Iterator[LocalServer]:
    """A local server in a home of its own, for tests and benchmarks that wipe data.

    Started if it is not running, and then stopped on leaving the block.
    """
    server = status(home)
    started = not server.running
    if started:
        server = start(port=port, home=home)
    try:
        yield server
    finally:
        if started:
            stop(home=home)
