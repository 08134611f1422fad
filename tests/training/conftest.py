"""Fixtures of the training tests: MBPP programs converted by lintseq_core and a tiny local model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from training_data_helpers import write_jsonl  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def converted_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 MBPP programs, two LintSeq edit sequences each, written by `lintseq_core.convert`."""
    from lintseq_core.convert import ConvertConfig, RowConverter
    from lintseq_core.errors import ProgramRejected
    from lintseq_core.host import get_host

    with (shared_data / "mbpp" / "mbpp.jsonl").open(encoding="utf-8") as fh:
        mbpp = [json.loads(line) for line in fh][:200]
    converter = RowConverter(
        get_host(),
        ConvertConfig(code_field="code", instruction_field="text", samples_per_program=2, newlines="lf"),
    )
    rows, rejected = [], []
    for index, source in enumerate(mbpp):
        try:
            rows.extend(converter.convert(source, index))
        except ProgramRejected as exc:
            rejected.append((index, exc.reason))
    assert len(rejected) <= 10, rejected  # clean MBPP programs convert
    return write_jsonl(tmp_path_factory.mktemp("data") / "converted.jsonl", rows)


@pytest.fixture(scope="session")
def tiny_model_dir(converted_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random tiny Llama-style model with a BPE tokenizer fitted on the same programs."""
    from lintseq_training.tiny import build_tiny_model

    rows = [json.loads(line) for line in converted_file.read_text(encoding="utf-8").splitlines()]
    texts = [r["instruction"] for r in rows[::2]] + [r["program"] for r in rows[::2]]
    return build_tiny_model(tmp_path_factory.mktemp("model") / "tiny", texts)
