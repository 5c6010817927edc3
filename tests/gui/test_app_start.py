"""The app as a person starts it: `python -m loudsync_desktop` with no arguments opens the window."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_module_without_arguments_starts_the_window_and_quits_on_sigterm(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOUDSYNC_DATA_DIR": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.Popen([sys.executable, "-m", "loudsync_desktop"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 3   # still up after 3 s: the window is running
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate(timeout=5)[1].decode()[-3000:]
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err.decode()[-3000:]
    assert "Traceback" not in err.decode(), err.decode()[-3000:]
