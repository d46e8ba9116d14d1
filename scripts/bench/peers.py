"""The benchmark peers' Python: benchmark scripts call `use_peer_python()` first,
and run again under .bench-venv/bin/python (made by scripts/bench/setup-peers)
when it exists, so PyTorch is importable without being part of the test path."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_PYTHON = os.path.join(ROOT, ".bench-venv", "bin", "python")


def use_peer_python():
    """Re-executes this script under the peers' environment when it exists and is not already in use."""
    if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.prefix) != os.path.realpath(os.path.join(ROOT, ".bench-venv")):
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
