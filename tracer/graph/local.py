"""The bundled local Neo4j: build the Java launcher with Maven, start, stop and inspect it."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracer.domain.errors import TracerError
from tracer.graph.settings import LocalNeo4jSettings

#: The launcher's Maven project (pom.xml and Java source); only read, never written to.
LAUNCHER_DIR = Path(__file__).parent / "launcher"
LAUNCHER_CLASS = "tracer.launcher.LocalNeo4j"
READY_MARKER = "TRACER-NEO4J-READY"
#: Neo4j's own admin command line (``neo4j-admin``), in the launcher's classpath.
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
#: The Maven property (pom.xml) that names the build directory.
OUTPUT_PROPERTY = "launcher.output"


def launcher_digest() -> str:
    """SHA-256 of the launcher's pom and Java source: a build is current when it matches."""
    sources = [LAUNCHER_DIR / "pom.xml", *sorted((LAUNCHER_DIR / "src").rglob("*.java"))]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.relative_to(LAUNCHER_DIR).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


class LocalNeo4jError(TracerError):
    """The bundled local Neo4j could not be built, started or stopped."""

    title = "Local Neo4j error"


@dataclass(frozen=True)
class LocalStatus:
    """What ``tracer db status`` reports."""

    running: bool
    pid: int | None
    uri: str
    home: Path


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) is not alive for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        with contextlib.suppress(OSError, IndexError):
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


class LocalNeo4j:
    """One bundled Neo4j instance, identified by its home directory."""

    def __init__(self, settings: LocalNeo4jSettings) -> None:
        self.settings = settings
        self.home = settings.home.expanduser().resolve()

    # -- files -----------------------------------------------------------------------------
    @property
    def pid_file(self) -> Path:
        """The pid of the JVM this instance started."""
        return self.home / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        """The generated password of user ``neo4j`` (mode 0600)."""
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        """The launcher's stdout and stderr."""
        return self.home / "neo4j.log"

    @property
    def db_dir(self) -> Path:
        """Neo4j's own home (data, transaction logs, logs)."""
        return self.home / "db"

    @property
    def uri(self) -> str:
        """The Bolt URI of this instance."""
        return f"bolt://127.0.0.1:{self.settings.port}"

    # -- build -----------------------------------------------------------------------------
    @property
    def build_dir(self) -> Path:
        """Where Maven puts the compiled launcher and its classpath file (under the home, so
        the package folder stays read-only)."""
        return self.home / "launcher"

    @property
    def _classes_dir(self) -> Path:
        return self.build_dir / "classes"

    @property
    def _classpath_file(self) -> Path:
        """The runtime classpath Maven resolved: absolute paths of jars in its repository."""
        return self.build_dir / "classpath.txt"

    @property
    def _stamp_file(self) -> Path:
        """The ``launcher_digest()`` of the sources of the last successful build."""
        return self.build_dir / "sources.sha256"

    def _library_jars(self) -> list[str]:
        try:
            text = self._classpath_file.read_text(encoding="utf-8")
        except OSError:
            return []
        return [entry for entry in text.strip().split(os.pathsep) if entry]

    def is_built(self) -> bool:
        """True when the launcher is compiled from the current pom and Java source, and every
        library on its classpath is still in the Maven repository."""
        try:
            stamp = self._stamp_file.read_text(encoding="utf-8").strip()
        except OSError:
            return False
        if stamp != launcher_digest():
            return False
        main_class = self._classes_dir.joinpath(*LAUNCHER_CLASS.split(".")).with_suffix(".class")
        jars = self._library_jars()
        return main_class.is_file() and bool(jars) and all(Path(jar).is_file() for jar in jars)

    def classpath(self) -> str:
        """The launcher's ``java -cp`` value: its classes, then Neo4j's jars."""
        return os.pathsep.join([str(self._classes_dir), *self._library_jars()])

    def build(self, echo: Callable[[str], None] = print) -> bool:
        """Build the launcher with Maven unless it is up to date; True when it built."""
        if self.is_built():
            return False
        _require_tool("java", "a Java 17+ runtime (JDK) is needed for the bundled Neo4j")
        mvn = _require_tool("mvn", "Maven is needed to build the bundled Neo4j launcher")
        echo("Building the bundled Neo4j launcher with Maven (downloads Neo4j 5.26 once) …")
        digest = launcher_digest()
        self._stamp_file.unlink(missing_ok=True)
        proc = subprocess.run(
            [
                mvn,
                "-B",
                "-q",
                "-f",
                str(LAUNCHER_DIR / "pom.xml"),
                f"-D{OUTPUT_PROPERTY}={self.build_dir}",
                "package",
                "-DskipTests",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            raise LocalNeo4jError("Maven build of the launcher failed: " + " | ".join(tail))
        self._stamp_file.write_text(digest + "\n", encoding="utf-8")
        if not self.is_built():
            raise LocalNeo4jError(f"Maven built the launcher but {self.build_dir} is incomplete")
        return True

    # -- password --------------------------------------------------------------------------
    def password(self) -> str:
        """The password of user ``neo4j``, generated on first use (file mode 0600)."""
        if not self.password_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(24))
        return self.password_file.read_text().strip()

    # -- lifecycle -------------------------------------------------------------------------
    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _is_ours(self, pid: int) -> bool:
        cmdline = Path(f"/proc/{pid}/cmdline")
        if not cmdline.exists():
            return _pid_alive(pid)
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return LAUNCHER_CLASS.encode() in args and str(self.db_dir).encode() in args

    def status(self) -> LocalStatus:
        """Running or not, from the pid file and the process table."""
        pid = self._read_pid()
        running = pid is not None and _pid_alive(pid) and self._is_ours(pid)
        return LocalStatus(
            running=running, pid=pid if running else None, uri=self.uri, home=self.home
        )

    def start(self, echo: Callable[[str], None] = print) -> LocalStatus:
        """Start in the background and wait until Bolt answers; raise with a one-line reason."""
        current = self.status()
        if current.running:
            return current
        java = _require_tool("java", "a Java 17+ runtime (JDK) is needed for the bundled Neo4j")
        if not _port_is_free(self.settings.port):
            raise LocalNeo4jError(
                f"port {self.settings.port} on 127.0.0.1 is taken by another process "
                "(set TRACER_NEO4J_PORT to use another one)"
            )
        self.build(echo)
        self.home.mkdir(parents=True, exist_ok=True)
        self.password()
        command = [
            java,
            f"-Xmx{self.settings.heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8",
            "-cp",
            self.classpath(),
            LAUNCHER_CLASS,
            "--home",
            str(self.db_dir),
            "--port",
            str(self.settings.port),
            "--password-file",
            str(self.password_file),
            "--pagecache",
            self.settings.pagecache,
        ]
        log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
        pid = _spawn_detached(command, self.log_file)
        self.pid_file.write_text(f"{pid}\n")
        self._wait_ready(pid, log_offset)
        return LocalStatus(running=True, pid=pid, uri=self.uri, home=self.home)

    def _wait_ready(self, pid: int, log_offset: int) -> None:
        deadline = time.monotonic() + self.settings.start_timeout
        while time.monotonic() < deadline:
            output = self._log_since(log_offset)
            if READY_MARKER in output:
                return
            exit_code = _exit_code(pid)
            if exit_code is not None:
                self.pid_file.unlink(missing_ok=True)
                raise LocalNeo4jError(
                    f"Neo4j exited during start (code {exit_code}): {_last_error(output)}"
                )
            time.sleep(0.2)
        self._terminate(pid, grace=10.0)
        self.pid_file.unlink(missing_ok=True)
        raise LocalNeo4jError(
            f"Neo4j did not open Bolt within {self.settings.start_timeout:.0f}s; "
            f"see {self.log_file}"
        )

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = 60.0) -> bool:
        """Stop the process this instance started; False when it was not running."""
        current = self.status()
        if not current.running or current.pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        self._terminate(current.pid, grace)
        self.pid_file.unlink(missing_ok=True)
        return True

    def import_full(self, arguments: list[str], database: str, log: Path) -> None:
        """Run Neo4j's offline importer (``neo4j-admin database import full DATABASE …``) on
        this instance's store, which it replaces; the instance must be stopped. The importer's
        output goes to ``log``; raise with its last lines when it fails."""
        if self.status().running:
            raise LocalNeo4jError("stop the bundled Neo4j before an offline import")
        java = _require_tool("java", "a Java 17+ runtime (JDK) is needed for the bundled Neo4j")
        self.build()
        self.db_dir.mkdir(parents=True, exist_ok=True)
        conf = self.home / "import-conf"
        conf.mkdir(exist_ok=True)
        (conf / "neo4j.conf").touch()
        command = [
            java,
            f"-Xmx{self.settings.heap}",
            "-XX:+UseG1GC",
            "-Dfile.encoding=UTF-8",
            "-cp",
            self.classpath(),
            ADMIN_CLASS,
            "database",
            "import",
            "full",
            database,
            *arguments,
        ]
        environment = {**os.environ, "NEO4J_HOME": str(self.db_dir), "NEO4J_CONF": str(conf)}
        with log.open("w", encoding="utf-8") as handle:
            proc = subprocess.run(
                command, stdout=handle, stderr=subprocess.STDOUT, env=environment, check=False
            )
        if proc.returncode != 0:
            lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
            raise LocalNeo4jError(
                f"the offline import failed (exit {proc.returncode}): "
                + " | ".join(line.strip() for line in lines[-4:])
                + f"; see {log}"
            )

    @staticmethod
    def _terminate(pid: int, grace: float) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                return
            _reap(pid)
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)


def _spawn_detached(command: list[str], log_file: Path) -> int:
    """Start ``command`` in its own session, output appended to ``log_file``; return its pid."""
    log_fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    try:
        return os.posix_spawn(
            command[0],
            command,
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, null_fd, 0),
                (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2),
            ],
            setsid=True,
        )
    finally:
        os.close(log_fd)
        os.close(null_fd)


def _exit_code(pid: int) -> int | None:
    """The exit code of our child ``pid`` if it has exited, else None."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None if _pid_alive(pid) else -1
    return os.waitstatus_to_exitcode(status) if done == pid else None


def _reap(pid: int) -> None:
    """Collect an exited child so it does not linger as a zombie (no-op for non-children)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _require_tool(name: str, why: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(f"'{name}' not found on PATH: {why}")
    return path


def _last_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if "Exception" in line or "Error" in line or "error" in line:
            return line[:300]
    return lines[-1][:300] if lines else "no output"
