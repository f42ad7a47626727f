"""Run NIC (Nebari Infrastructure Core) from Python: `NICAdapter`, its errors, and a Nebari stage plugin."""
from .adapter import SUPPORTED_VERSIONS, NICAdapter, find_binary
from .errors import (NICBinaryError, NICConfigError, NICError, NICImportError, NICInputError, NICStateLockedError,
                     NICTimeoutError)

__all__ = ["NICAdapter", "find_binary", "SUPPORTED_VERSIONS", "NICError", "NICInputError", "NICConfigError",
           "NICStateLockedError", "NICImportError", "NICTimeoutError", "NICBinaryError"]
