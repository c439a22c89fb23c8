"""Builds driftgate._driftgate from the header-only library (../include) and the CLI's reader and
configuration code (../cli), so that profiles and reports are the CLI's own.

Offline, with Debian's setuptools and pybind11:
    python3 -m venv --system-site-packages /tmp/venv
    /tmp/venv/bin/pip install --no-build-isolation --no-index python/
"""
import os
import subprocess
import re
from pathlib import Path

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension
from setuptools import setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if not (ROOT / "include" / "driftgate" / "core.hpp").exists():
    raise SystemExit(f"{ROOT}: not a driftgate source tree (the package builds from python/ inside the repository)")


def version():
    text = (ROOT / "include" / "driftgate" / "version.hpp").read_text()
    parts = [re.search(rf"#define DRIFTGATE_VERSION_{k} (\d+)", text).group(1) for k in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


# Relative paths: setuptools refuses absolute ones.
os.chdir(HERE)
# memory.cpp: the executable's allocator for large blocks (huge pages, reuse within a call).
cli_sources = sorted(os.path.relpath(p, HERE) for p in (ROOT / "cli").glob("*.cpp") if p.name != "main.cpp")
sources = [os.path.join("src", n) for n in ("module.cpp", "stats.cpp", "monitoring.cpp")] + cli_sources

def build_opt():
    """The optimisation flag: DRIFTGATE_BUILD_OPT if set (-O0, -O1, -O2, -O3), else -O2."""
    opt = os.environ.get("DRIFTGATE_BUILD_OPT", "-O2")
    if not re.fullmatch(r"-O[0-3]", opt):
        raise SystemExit(f"DRIFTGATE_BUILD_OPT={opt!r}: expected -O0, -O1, -O2 or -O3")
    return opt


def eigen_include():
    """Eigen's include directory: pkg-config's answer, else Debian's /usr/include/eigen3."""
    try:
        flags = subprocess.run(["pkg-config", "--cflags-only-I", "eigen3"], capture_output=True, text=True, check=True).stdout
        dirs = [f[2:] for f in flags.split() if f.startswith("-I")]
        if dirs:
            return dirs
    except (OSError, subprocess.CalledProcessError):
        pass
    return ["/usr/include/eigen3"]


ext = Pybind11Extension(
    "driftgate._driftgate",
    sources,
    # Eigen (the CLI's --multivariate) is a header library under its own directory.
    include_dirs=[os.path.relpath(ROOT / "include", HERE), os.path.relpath(ROOT / "cli", HERE)] + eigen_include(),
    # DRIFTGATE_BLOCK_CACHE_MIN: memory.cpp keeps freed blocks from 256 KiB up during a call (as
    # python/CMakeLists.txt builds it).
    define_macros=[("TOML_HEADER_ONLY", "0"), ("TOML_SHARED_LIB", "1"), ("FMT_SHARED", None),
                   ("DRIFTGATE_BLOCK_CACHE_MIN", "262144")],
    libraries=["fmt", "tomlplusplus", "simdjson", "z", "zstd"],  # as cli/CMakeLists.txt links
    cxx_std=20,
    # -g0: Python's own flags ask for debug information, which doubles the compile time and the
    # module's size. DRIFTGATE_BUILD_OPT (-O0 .. -O3, default -O2): a test build (CI's) may ask for
    # less; the results do not depend on it (no fast-math).
    extra_compile_args=[build_opt(), "-g0"],
)

# The sources compile on DRIFTGATE_BUILD_JOBS processes (default 2): pybind11's ParallelCompile
# spreads one extension's sources, which setuptools' own --parallel (one job per extension) does not.
ParallelCompile("DRIFTGATE_BUILD_JOBS", default=2).install()

setup(version=version(), ext_modules=[ext])
