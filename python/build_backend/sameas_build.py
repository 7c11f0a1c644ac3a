"""PEP 517 build backend of the sameas bindings: maturin, after a Rust toolchain check.

maturin's own backend downloads a Rust toolchain into a temporary directory when it
finds no ``cargo``. This one stops instead, with a message saying what to install:
building a native extension should not fetch a compiler behind the user's back.
Everything else is maturin's backend, unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess

MESSAGE = """
sameas: no Rust toolchain found (`cargo` is not on PATH).

The sameas Python package compiles its native extension from Rust source, so
installing it from source needs Rust 1.75 or newer:

  - Debian/Ubuntu:  apt-get install cargo   (or rustup, for a newer Rust)
  - anywhere:       install rustup as your platform's documentation describes, then
                    open a new shell so that `cargo` is on PATH

then run the install command again. (Set SAMEAS_ALLOW_RUST_DOWNLOAD=1 to let the
build download a temporary Rust toolchain instead.)
"""


def check_rust() -> None:
    """Raises RuntimeError when no working ``cargo`` is on PATH (unless downloading
    one is explicitly allowed); otherwise forbids maturin from downloading one."""
    if os.environ.get("SAMEAS_ALLOW_RUST_DOWNLOAD") == "1":
        return
    cargo = shutil.which("cargo")
    ok = False
    if cargo is not None:
        try:
            out = subprocess.run([cargo, "--version"], capture_output=True, timeout=60)
            ok = out.returncode == 0 and b"cargo" in out.stdout
        except (OSError, subprocess.SubprocessError):
            ok = False
    if not ok:
        raise RuntimeError(MESSAGE)
    os.environ["MATURIN_NO_INSTALL_RUST"] = "1"


def get_requires_for_build_wheel(config_settings=None):
    check_rust()
    import maturin

    return maturin.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_editable(config_settings=None):
    check_rust()
    import maturin

    hook = getattr(maturin, "get_requires_for_build_editable", maturin.get_requires_for_build_wheel)
    return hook(config_settings)


def get_requires_for_build_sdist(config_settings=None):
    import maturin

    return maturin.get_requires_for_build_sdist(config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    check_rust()
    import maturin

    return maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    check_rust()
    import maturin

    hook = getattr(
        maturin, "prepare_metadata_for_build_editable", maturin.prepare_metadata_for_build_wheel
    )
    return hook(metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    check_rust()
    import maturin

    return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    check_rust()
    import maturin

    return maturin.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    import maturin

    return maturin.build_sdist(sdist_directory, config_settings)
