"""The Python environment samples run in: which modules it has, and building one.

Benchmarks such as DS-1000 need libraries (pandas, torch, ...) that the harness itself does
not. Samples run with :func:`lintseq_eval.languages.python.python_interpreter` (``--python``
or ``$LINTSEQ_PYTHON``); a task whose layout ``requires`` modules that interpreter cannot
import is reported as missing a library instead of being run, since its failure would say
nothing about the model. :func:`missing_modules` finds that out with one subprocess per
interpreter (``importlib.util.find_spec`` on each top-level name; results cached per process),
never by running a sample.

:func:`build_env` makes a virtual environment from a benchmark's pinned requirements
(``lintseq_eval/requirements/<benchmark>.txt``), as ``lintseq-eval python-env DIR --benchmark
ds1000`` does; ``pip_args`` passes options through (``--no-index --find-links DIR`` offline).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from lintseq_eval.errors import EvalError

__all__ = [
    "DEFAULT_ENV_ROOT",
    "MANIFEST",
    "build_env",
    "clear_cache",
    "env_python",
    "importable",
    "missing_modules",
    "requirements_file",
    "requirements_names",
]

#: Where ``lintseq-eval python-env`` puts environments when given a bare name.
DEFAULT_ENV_ROOT = Path("~/.cache/lintseq/envs")
#: Written into every built environment: what it was built from.
MANIFEST = "lintseq-env.json"
_REQUIREMENTS = Path(__file__).with_name("requirements")
_PROBE = (
    "import importlib.util, json, sys\n"
    "names = json.loads(sys.stdin.read())\n"
    "found = []\n"
    "for name in names:\n"
    "    try:\n"
    "        ok = importlib.util.find_spec(name) is not None\n"
    "    except (ImportError, ValueError):\n"
    "        ok = False\n"
    "    if ok:\n"
    "        found.append(name)\n"
    "print(json.dumps(found))\n"
)
_cache: dict[str, dict[str, bool]] = {}
_lock = threading.Lock()


def _key(python: str) -> str:
    """Cache key of an interpreter: its path as given (a venv's ``bin/python`` links to its base)."""
    return os.path.abspath(python)


def importable(python: str, modules: Iterable[str]) -> dict[str, bool]:
    """Whether ``python`` can find each top-level module of ``modules`` (one probe per new name set)."""
    names = sorted({m.split(".")[0] for m in modules})
    key = _key(python)
    with _lock:
        known = _cache.setdefault(key, {})
        unknown = [n for n in names if n not in known]
        if unknown:
            found = set(_probe(python, unknown))
            known.update({n: n in found for n in unknown})
        return {n: known[n] for n in names}


def _probe(python: str, names: Sequence[str]) -> list[str]:
    if not os.path.isfile(python):
        raise EvalError(f"Python interpreter {python} does not exist: fix --python or $LINTSEQ_PYTHON")
    try:  # -I: the sandbox runs samples isolated too (no PYTHONPATH, no user site)
        proc = subprocess.run([python, "-I", "-c", _PROBE], input=json.dumps(list(names)),
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EvalError(f"cannot probe the modules of {python}: {exc}") from exc
    if proc.returncode != 0:
        raise EvalError(f"probing the modules of {python} failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    try:
        found = json.loads(proc.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError) as exc:
        raise EvalError(f"probing the modules of {python} printed no result: {proc.stdout[-300:]!r}") from exc
    return [str(n) for n in found]


def missing_modules(python: str, needs: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The modules each key of ``needs`` lacks in ``python`` (keys lacking none are left out)."""
    have = importable(python, {m for mods in needs.values() for m in mods})
    out = {}
    for key, mods in needs.items():
        lack = tuple(sorted({m.split(".")[0] for m in mods if not have[m.split(".")[0]]}))
        if lack:
            out[key] = lack
    return out


def clear_cache() -> None:
    """Forget every probe (after installing into an interpreter in the same process)."""
    with _lock:
        _cache.clear()


# --------------------------------------------------------------------------- building


def requirements_names() -> list[str]:
    """Benchmarks (or families) that ship a pinned requirements file, sorted."""
    return sorted(p.stem for p in _REQUIREMENTS.glob("*.txt"))


def requirements_file(benchmark: str) -> Path:
    """The pinned requirements of ``benchmark``: its own file, else its family's."""
    from lintseq_eval.languages import benchmark_layout

    _, layout = benchmark_layout(benchmark)
    for name in (layout.benchmark, layout.family):
        path = _REQUIREMENTS / f"{name}.txt"
        if path.is_file():
            return path
    raise EvalError(f"benchmark {benchmark} has no pinned requirements; benchmarks with one: "
                    f"{', '.join(requirements_names()) or 'none'} (or pass --requirements FILE)")


def env_python(env_dir: str | Path) -> Path:
    """The interpreter of the virtual environment in ``env_dir``."""
    return Path(env_dir).expanduser() / "bin" / "python"


def build_env(
    env_dir: str | Path,
    requirements: str | Path,
    *,
    base_python: str | None = None,
    pip_args: Sequence[str] = (),
    quiet: bool = False,
) -> Path:
    """Create (or update) a virtual environment in ``env_dir`` with ``requirements`` installed.

    ``base_python`` makes the venv (default: this interpreter's base, so the environment does
    not inherit the harness's packages). Returns the environment's interpreter; raises
    :class:`EvalError` naming pip's last lines when an install fails.
    """
    env = Path(env_dir).expanduser().absolute()
    req = Path(requirements).expanduser().absolute()
    if not req.is_file():
        raise EvalError(f"requirements file {req} does not exist")
    base = base_python or _base_python()
    py = env_python(env)
    t0 = time.perf_counter()
    if not py.is_file():
        env.parent.mkdir(parents=True, exist_ok=True)
        _run([base, "-m", "venv", str(env)], f"creating the virtual environment {env} with {base}", quiet)
    _run([str(py), "-m", "pip", "install", "--disable-pip-version-check", *(["-q"] if quiet else []),
          "-r", str(req), *pip_args], f"installing {req} into {env}", quiet)
    freeze = subprocess.run([str(py), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=False).stdout.splitlines()
    version = subprocess.run([str(py), "-c", "import platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=False).stdout.strip()
    manifest = {
        "requirements": str(req),
        "requirements_sha256": hashlib.sha256(req.read_bytes()).hexdigest(),
        "python": version,
        "base_python": base,
        "pip_args": list(pip_args),
        "build_s": round(time.perf_counter() - t0, 1),
        "packages": freeze,
    }
    (env / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    clear_cache()
    return py


def _base_python() -> str:
    """This interpreter outside any virtual environment (``sys.base_prefix``'s)."""
    if sys.prefix == sys.base_prefix:
        return sys.executable
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for cand in (Path(sys.base_prefix) / "bin" / name, Path(sys.base_prefix) / "bin" / "python3"):
        if cand.is_file():
            return str(cand)
    return sys.executable


def _run(cmd: Sequence[str], what: str, quiet: bool) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.PIPE if quiet else None, stderr=subprocess.PIPE, text=True,
                          check=False)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-15:])
        raise EvalError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    if not quiet and proc.stderr:
        sys.stderr.write(proc.stderr)
