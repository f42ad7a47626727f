"""Run the nic binary as a subprocess: JSON result on stdout, JSON log lines on stderr streamed to `logging` live."""
import json
import logging
import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .errors import NICBinaryError, NICError, NICTimeoutError, error_from

# NIC versions this adapter speaks the protocol of: [minimum, maximum).
SUPPORTED_VERSIONS = ((0, 1, 0), (1, 0, 0))
EXIT_CHANGES_PRESENT = 2
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "warning": logging.WARNING,
          "error": logging.ERROR, "fatal": logging.CRITICAL}


def find_binary(explicit: Optional[str] = None) -> str:
    """The nic binary: an explicit path, else $NIC_BINARY, else `nic` on PATH."""
    candidate = explicit or os.environ.get("NIC_BINARY") or shutil.which("nic")
    if not candidate:
        raise NICBinaryError("No nic binary found", code="NIC_NOT_FOUND",
                             recovery_suggestions=["Pass binary=…, set NIC_BINARY, or put nic on PATH."])
    path = Path(candidate)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise NICBinaryError(f"{candidate} is not an executable file", code="NIC_NOT_FOUND",
                             recovery_suggestions=["Download the release binary for this machine and chmod +x it."])
    return str(path)


def parse_version(text: str) -> Tuple[int, int, int]:
    core = text.split("-")[0].split("+")[0]
    parts = [int(p) for p in core.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


class NICAdapter:
    """Nebari's side of NIC (design document §9.2): one method per command, each returning NIC's result document."""

    def __init__(self, binary: Optional[str] = None, env: Optional[Dict[str, str]] = None,
                 timeout: Optional[float] = None, stop_grace: float = 120.0,
                 logger: Optional[logging.Logger] = None, check_version: bool = True):
        self.binary = find_binary(binary)
        self.env = {**os.environ, **(env or {})}
        self.timeout = timeout
        self.stop_grace = stop_grace
        self.logger = logger or logging.getLogger("nic")
        self.version = self._check_version() if check_version else None

    # --- commands -------------------------------------------------------------------------------------------

    def deploy(self, config_path: str, state: Optional[str] = None, outputs: Optional[str] = None,
               kubeconfig: Optional[str] = None, dry_run: bool = False, allow_replace: bool = False,
               extra_args: Sequence[str] = (), timeout: Optional[float] = None) -> Dict[str, Any]:
        """Reconciles stages 02 and 03. With dry_run, the plan: `has_changes` says whether a deploy would change anything."""
        args = ["deploy", "-f", config_path, *self._paths(state, outputs, kubeconfig)]
        if dry_run:
            args += ["--dry-run", "--detailed-exitcode"]
        if allow_replace:
            args.append("--allow-replace")
        return self.run([*args, *extra_args], timeout=timeout, ok=(0, EXIT_CHANGES_PRESENT) if dry_run else (0,))

    def import_from_terraform(self, config_path: str, terraform_state_02: Optional[str] = None,
                              terraform_state_03: Optional[str] = None, state: Optional[str] = None,
                              outputs: Optional[str] = None, validate_only: bool = False,
                              extra_args: Sequence[str] = (), timeout: Optional[float] = None) -> Dict[str, Any]:
        """Adopts a Terraform-made deployment; raises NICImportError (and writes nothing) when it is not ready."""
        args = ["import", "--from-terraform", "-f", config_path, *self._paths(state, outputs, None)]
        if terraform_state_02:
            args += ["--terraform-state-02", terraform_state_02]
        if terraform_state_03:
            args += ["--terraform-state-03", terraform_state_03]
        if validate_only:
            args.append("--validate-only")
        return self.run([*args, *extra_args], timeout=timeout)

    def validate(self, config_path: str, strict: bool = False) -> Dict[str, Any]:
        """The validation summary; raises NICConfigError listing every problem when the configuration is invalid."""
        return self.run(["validate", "-f", config_path, *(["--strict"] if strict else [])])

    def status(self, config_path: Optional[str] = None, state: Optional[str] = None) -> Dict[str, Any]:
        """`healthy`, `issues`, the lock and pending operations, read from the state."""
        return self.run(["status", *(["-f", config_path] if config_path else []), *self._paths(state, None, None)])

    def drift_detect(self, config_path: str, state: Optional[str] = None) -> Dict[str, Any]:
        """The drift report; `has_drift` says whether the cloud or the cluster differ from the state."""
        return self.run(["drift", "detect", "-f", config_path, *self._paths(state, None, None), "--detailed-exitcode"],
                        ok=(0, EXIT_CHANGES_PRESENT))

    def destroy(self, config_path: str, state: Optional[str] = None, dry_run: bool = False,
                timeout: Optional[float] = None) -> Dict[str, Any]:
        """Deletes everything NIC deployed (the caller has confirmed: NIC gets --yes)."""
        args = ["destroy", "-f", config_path, *self._paths(state, None, None)]
        return self.run([*args, "--dry-run"] if dry_run else [*args, "--yes"], timeout=timeout)

    @staticmethod
    def outputs(outputs_path: str) -> Dict[str, Any]:
        """outputs.json as Nebari's later stages read it: the Terraform-shaped `{"value": …}` keys and node_selectors."""
        document = json.loads(Path(outputs_path).read_text())
        nebari = {k: v for k, v in document.items() if isinstance(v, dict) and set(v) == {"value"}}
        if "node_selectors" in document:
            nebari["node_selectors"] = document["node_selectors"]
        return nebari

    # --- the protocol ---------------------------------------------------------------------------------------

    def run(self, args: List[str], timeout: Optional[float] = None, ok: Sequence[int] = (0,)) -> Dict[str, Any]:
        """Runs `nic ARGS --format json`; returns the result document or raises the NICError its error document names."""
        command = args[0]
        process = subprocess.Popen([self.binary, *args, "--format", "json"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        stdout: List[bytes] = []
        stderr: List[str] = []
        readers = [threading.Thread(target=lambda: stdout.append(process.stdout.read()), daemon=True),
                   threading.Thread(target=self._stream_logs, args=(process.stderr, stderr), daemon=True)]
        for reader in readers:
            reader.start()
        limit = timeout if timeout is not None else self.timeout
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            self._stop(process)
            for reader in readers:
                reader.join()
            raise NICTimeoutError(f"nic {command} did not finish within {limit} s; it was asked to stop at its next safe point",
                                  code="NIC_TIMEOUT", exit_code=process.returncode, stderr="\n".join(stderr),
                                  recovery_suggestions=["Run `nic status` to see what is pending, then rerun the command: it resumes."])
        except KeyboardInterrupt:
            self._stop(process)
            raise
        for reader in readers:
            reader.join()
        document = self._document(b"".join(stdout))
        if process.returncode in ok and document is not None and document.get("success", True):
            document.setdefault("exit_code", process.returncode)
            return document
        raise error_from(document, process.returncode, "\n".join(stderr), command)

    def _stream_logs(self, pipe, keep: List[str]) -> None:
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            keep.append(line)
            del keep[:-200]  # enough for an error message, bounded for a long deploy
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if isinstance(record, dict) and "message" in record:
                level = LEVELS.get(str(record.get("level", "info")).lower(), logging.INFO)
                self.logger.log(level, record["message"], extra={"nic": record})
            elif line:
                self.logger.info(line)

    def _stop(self, process: subprocess.Popen) -> None:
        """Ctrl-C for NIC (it finishes the call in flight, saves state and releases the lock), then harder."""
        for sig, grace in ((signal.SIGINT, self.stop_grace), (signal.SIGTERM, 10.0)):
            if process.poll() is not None:
                return
            process.send_signal(sig)
            try:
                process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue
        process.kill()
        process.wait()

    @staticmethod
    def _document(raw: bytes) -> Optional[Dict[str, Any]]:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return document if isinstance(document, dict) else None

    @staticmethod
    def _paths(state: Optional[str], outputs: Optional[str], kubeconfig: Optional[str]) -> List[str]:
        args: List[str] = []
        for flag, value in (("--state", state), ("--outputs", outputs), ("--kubeconfig", kubeconfig)):
            if value:
                args += [flag, str(value)]
        return args

    def _check_version(self) -> str:
        try:
            document = self.run(["version"], timeout=60)
        except NICError as err:
            raise NICBinaryError(f"{self.binary} does not answer `nic version`: {err}", code="NIC_NOT_RUNNABLE") from err
        version = str(document.get("version", "0"))
        low, high = SUPPORTED_VERSIONS
        if not low <= parse_version(version) < high:
            raise NICBinaryError(f"nic {version} is outside the versions this adapter supports "
                                 f"({'.'.join(map(str, low))} up to, not including, {'.'.join(map(str, high))})",
                                 code="NIC_VERSION_UNSUPPORTED",
                                 recovery_suggestions=["Install a nic release in that range, or upgrade the adapter."])
        return version
