"""Installing: the README's command gives what its example uses; no silent toolchain
download; abi3 for every supported Python."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
ROOT = PYTHON_DIR.parent

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


def readme_python_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Python\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def readme_example() -> str:
    m = re.search(r"```python\n(.*?)```", readme_python_section(), re.S)
    assert m, "the README's Python section has no python code block"
    return m.group(1)


def pyproject() -> dict:
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    return tomllib.loads((PYTHON_DIR / "pyproject.toml").read_text(encoding="utf-8"))


def test_install_command_brings_every_import_of_the_example():
    section = readme_python_section()
    assert "pip install ./python" in section
    deps = {re.split(r"[<>=!~\[ ;]", d)[0].lower() for d in pyproject()["project"]["dependencies"]}
    assert "pandas" in deps
    imported = set(re.findall(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", readme_example(), re.M))
    stdlib = set(getattr(sys, "stdlib_module_names", ()))
    assert imported, "the example imports nothing?"
    assert imported - stdlib - {"sameas"} <= deps


def test_readme_example_runs_verbatim(tmp_path):
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "profile_id" in done.stdout


def test_abi3_matches_requires_python():
    cargo = (PYTHON_DIR / "Cargo.toml").read_text(encoding="utf-8")
    abi3 = re.search(r'"abi3-py3(\d+)"', cargo)
    assert abi3, "pyo3 is not built for the stable ABI (abi3)"
    requires = pyproject()["project"]["requires-python"]
    assert requires == f">=3.{abi3.group(1)}"


def load_backend():
    spec = importlib.util.spec_from_file_location(
        "sameas_build", PYTHON_DIR / "build_backend" / "sameas_build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_backend_is_the_checking_wrapper():
    system = pyproject()["build-system"]
    assert system["build-backend"] == "sameas_build"
    assert system["backend-path"] == ["build_backend"]


def test_backend_stops_without_cargo(tmp_path, monkeypatch):
    backend = load_backend()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SAMEAS_ALLOW_RUST_DOWNLOAD", raising=False)
    monkeypatch.delenv("MATURIN_NO_INSTALL_RUST", raising=False)
    with pytest.raises(RuntimeError, match=r"no Rust toolchain found \(`cargo` is not on PATH\)"):
        backend.get_requires_for_build_wheel()
    with pytest.raises(RuntimeError, match="no Rust toolchain"):
        backend.build_wheel(str(tmp_path))
    assert "MATURIN_NO_INSTALL_RUST" not in os.environ


def test_backend_forbids_the_download_when_cargo_is_there(tmp_path, monkeypatch):
    backend = load_backend()
    fake = tmp_path / "cargo"
    fake.write_text("#!/bin/sh\necho 'cargo 1.80.0 (fake)'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SAMEAS_ALLOW_RUST_DOWNLOAD", raising=False)
    monkeypatch.delenv("MATURIN_NO_INSTALL_RUST", raising=False)
    backend.check_rust()
    assert os.environ["MATURIN_NO_INSTALL_RUST"] == "1"


def test_pip_without_cargo_says_what_to_install(tmp_path):
    """End to end: pip building from source with no cargo on PATH stops with our
    message (and downloads nothing: no index, no build isolation)."""
    pytest.importorskip("maturin")
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not (Path(d) / "cargo").exists()]
    env = dict(os.environ, PATH=os.pathsep.join(path))
    env.pop("SAMEAS_ALLOW_RUST_DOWNLOAD", None)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(tmp_path), str(PYTHON_DIR)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode != 0
    assert "no Rust toolchain found" in done.stdout + done.stderr
    assert not list(tmp_path.glob("*.whl"))
