"""Where the host keeps its party while hosting, so a crash does not end it.

The file holds resume tokens (secrets): it is written atomically, readable by
this user only, and removed when the party ends on purpose.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from . import APP_NAME

log = logging.getLogger(__name__)

SESSION_FILE = "host-session.json"


def data_dir() -> Path:
    """The app's data folder; ``LOUDSYNC_DATA_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get("LOUDSYNC_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME


class SessionStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / SESSION_FILE

    def save(self, snapshot: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".host-session-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(snapshot, f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)   # atomic: a crash leaves the old or the new file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def load(self) -> dict | None:
        """The saved party, or None; a damaged file is set aside, not trusted."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring damaged saved party %s: %s", self.path, exc)
            self.path.replace(self.path.with_suffix(".damaged"))
            return None
        return data if isinstance(data, dict) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
