"""NIC's error document (design document §9.5) as Python exceptions, one family per exit code."""
from typing import Any, Dict, List, Optional


class NICError(Exception):
    """A NIC run that failed. Carries the error document's code, message, details and recovery suggestions."""

    def __init__(self, message: str, code: str = "UNKNOWN", details: Optional[Dict[str, Any]] = None,
                 recovery_suggestions: Optional[List[str]] = None, exit_code: Optional[int] = None,
                 stderr: str = ""):
        super().__init__(message)
        self.code = code
        self.details = details or {}
        self.recovery_suggestions = recovery_suggestions or []
        self.exit_code = exit_code
        self.stderr = stderr

    def __str__(self) -> str:
        hints = "".join(f"\n  - {hint}" for hint in self.recovery_suggestions)
        return f"{self.code}: {self.args[0]}{hints}"


class NICInputError(NICError):
    """Invalid input (exit 3): flags, the configuration, a state or a Terraform state document."""


class NICConfigError(NICInputError):
    """The configuration is missing or breaks the Nebari schema; `errors` lists every problem with its line."""

    @property
    def errors(self) -> List[Dict[str, Any]]:
        return self.details.get("errors", [])


class NICStateLockedError(NICError):
    """Another NIC run holds the state lock (exit 4); `lock` names the holder."""

    @property
    def lock(self) -> Dict[str, Any]:
        return self.details.get("lock", {})


class NICImportError(NICError):
    """`nic import` refused or failed; nothing was written."""


class NICTimeoutError(NICError):
    """The adapter's timeout passed; NIC was asked to stop at its next safe point."""


class NICBinaryError(NICError):
    """The nic binary is missing, not runnable, or a version this adapter does not support."""


EXIT_INPUT = 3
EXIT_LOCKED = 4


def error_from(document: Optional[Dict[str, Any]], exit_code: int, stderr: str, command: str) -> NICError:
    """The exception for a failed run, from the error document NIC printed on stdout (when it printed one)."""
    if not document or not isinstance(document.get("error"), dict):
        tail = stderr.strip().splitlines()[-5:]
        return NICError(f"nic {command} exited {exit_code} without an error document: {' | '.join(tail)}",
                        exit_code=exit_code, stderr=stderr)
    error = document["error"]
    code = error.get("code", "UNKNOWN")
    if exit_code == EXIT_LOCKED or code == "STATE_LOCKED":
        cls = NICStateLockedError
    elif code.startswith("CONFIG_"):
        cls = NICConfigError
    elif command == "import":
        cls = NICImportError
    elif exit_code == EXIT_INPUT:
        cls = NICInputError
    else:
        cls = NICError
    return cls(error.get("message", ""), code=code, details=error.get("details"),
               recovery_suggestions=error.get("recovery_suggestions"), exit_code=exit_code, stderr=stderr)
