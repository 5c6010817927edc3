"""What the tests, the benchmarks (bench/) and the scripts share, and the app never ships.

Importable from the repository's root (pytest's rootdir, and bench/ and scripts/ put the
root on ``sys.path``). pyproject's package list and the PyInstaller spec take only
``loudsync_desktop``, so nothing here reaches a user.
"""

# Deadlines are generous on purpose: a condition that holds ends the wait at once, and a
# machine shared with other work (CI, a second copy of the suite) may be many times slower.
DEADLINE_S = 20.0
