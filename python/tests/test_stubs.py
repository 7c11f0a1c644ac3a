"""The type stubs say what the native module has, and the package type-checks.

Needs mypy and pandas-stubs (python/test.sh installs them); skipped without mypy.
"""

import os
import subprocess
import tempfile
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install mypy)")
    cache = os.path.join(tempfile.gettempdir(), "sameas-mypy-cache")
    return subprocess.run([sys.executable, "-m", *args], cwd=PYTHON_DIR, capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, MYPY_CACHE_DIR=cache))


def test_native_stubs_match_the_module():
    done = run("mypy.stubtest", "sameas._sameas")
    assert done.returncode == 0, done.stdout + done.stderr


def test_package_type_checks():
    done = run("mypy", "--ignore-missing-imports", "sameas")
    assert done.returncode == 0, done.stdout + done.stderr
