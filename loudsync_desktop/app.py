"""The desktop app's entry point (the windows arrive with the desktop-app issue)."""

import sys


def main() -> int:
    print("The LoudSync desktop window is not built yet. Use the command line meanwhile:\n"
          "  python -m loudsync_desktop host --help\n"
          "  python -m loudsync_desktop join --help", file=sys.stderr)
    return 1
