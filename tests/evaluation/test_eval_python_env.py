"""The sample interpreter's modules (one probe, cached) and the offline venv builder.

The builder installs a wheel written here by hand from a requirements file that names its
path, with ``pip --no-index``: nothing is downloaded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lintseq_eval import python_env
from lintseq_eval.cli import main
from lintseq_eval.errors import EvalError
from lintseq_eval.python_env import (
    MANIFEST,
    build_env,
    env_python,
    importable,
    missing_modules,
    requirements_file,
    requirements_names,
)

WHEEL_NAME = "lintseq_probe_lib"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(folder: Path, version: str = "1.0") -> Path:
    """A pure-Python wheel of ``lintseq_probe_lib`` (what pip installs offline)."""
    dist = f"{WHEEL_NAME}-{version}.dist-info"
    files = {
        f"{WHEEL_NAME}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {WHEEL_NAME}\nVersion: {version}\n".encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: lintseq-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist}/RECORD,,"]
    path = folder / f"{WHEEL_NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr(f"{dist}/RECORD", "\n".join(record) + "\n")
    return path


@pytest.fixture(scope="module")
def built_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment built through the CLI from a requirements file naming a local wheel."""
    root = tmp_path_factory.mktemp("pyenv")
    req = root / "requirements.txt"
    req.write_text(f"# a local wheel, installed offline\n{write_wheel(root)}\n")
    env = root / "env"
    assert main(["python-env", str(env), "--requirements", str(req), "--pip-arg=--no-index", "-q"]) == 0
    return env


def test_builder_installs_the_requirements_offline(built_env: Path) -> None:
    py = env_python(built_env)
    out = subprocess.run([str(py), "-I", "-c", f"import {WHEEL_NAME}; print({WHEEL_NAME}.VERSION)"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1.0"
    manifest = json.loads((built_env / MANIFEST).read_text())
    req = Path(manifest["requirements"])
    assert manifest["requirements_sha256"] == hashlib.sha256(req.read_bytes()).hexdigest()
    assert f"{WHEEL_NAME.replace('_', '-')}==1.0" in [p.replace("_", "-") for p in manifest["packages"]]
    assert manifest["pip_args"] == ["--no-index"]
    # the harness's own packages stay out (the venv is made from the base interpreter)
    assert importable(str(py), ["lintseq_eval", "pluggy"]) == {"lintseq_eval": False, "pluggy": False}


def test_probe_finds_installed_and_missing_modules(built_env: Path) -> None:
    py = str(env_python(built_env))
    got = importable(py, [WHEEL_NAME, f"{WHEEL_NAME}.sub", "json", "lintseq_surely_absent"])
    assert got == {WHEEL_NAME: True, "json": True, "lintseq_surely_absent": False}
    needs = {"a": (WHEEL_NAME, "json"), "b": ("lintseq_surely_absent", "json"), "c": ()}
    assert missing_modules(py, needs) == {"b": ("lintseq_surely_absent",)}


def test_probe_runs_once_per_interpreter_and_name(monkeypatch: pytest.MonkeyPatch) -> None:
    python_env.clear_cache()
    calls: list[list[str]] = []
    real = python_env._probe

    def counting(python: str, names: list[str]) -> list[str]:
        calls.append(list(names))
        return real(python, names)

    monkeypatch.setattr(python_env, "_probe", counting)
    assert importable(sys.executable, ["json", "lintseq_surely_absent"]) == {"json": True,
                                                                            "lintseq_surely_absent": False}
    assert importable(sys.executable, ["json"]) == {"json": True}
    assert importable(sys.executable, ["json", "csv"]) == {"json": True, "csv": True}
    assert calls == [["json", "lintseq_surely_absent"], ["csv"]]


def test_probe_of_a_missing_interpreter_says_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="does not exist: fix --python"):
        importable(str(tmp_path / "nope" / "python"), ["json"])


def test_failed_install_raises_with_pips_words(tmp_path: Path) -> None:
    req = tmp_path / "req.txt"
    req.write_text("lintseq-no-such-distribution==9.9\n")
    with pytest.raises(EvalError, match=r"(?s)installing .*req\.txt.*failed.*lintseq-no-such-distribution"):
        build_env(tmp_path / "env", req, pip_args=["--no-index"], quiet=True)
    with pytest.raises(EvalError, match="does not exist"):
        build_env(tmp_path / "env", tmp_path / "absent.txt")


def test_requirements_files_by_benchmark() -> None:
    assert "ds1000" in requirements_names()
    text = requirements_file("ds1000").read_text()
    pins = [line.split(";")[0].strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert pins and all("==" in p for p in pins)  # pinned, every one
    assert requirements_file("ds-1000") == requirements_file("ds1000")  # aliases too
    with pytest.raises(EvalError, match="humaneval has no pinned requirements"):
        requirements_file("humaneval")


def test_python_env_cli_rejects_a_benchmark_without_requirements(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["python-env", str(tmp_path / "env"), "--benchmark", "humaneval"]) == 2
    assert "no pinned requirements" in capsys.readouterr().err
    assert not (tmp_path / "env").exists()
