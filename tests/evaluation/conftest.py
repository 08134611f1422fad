"""Fixtures of the evaluation tests: benchmarks from ../shared/data, sandbox backends."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lintseq_eval import sandbox
from lintseq_eval.benchmarks import Benchmark, load_benchmark


@pytest.fixture(scope="session")
def humaneval(shared_data: Path) -> Benchmark:
    return load_benchmark("humaneval", shared_data)


@pytest.fixture(scope="session")
def fixture_data(repo_root: Path) -> Path:
    """The repository's few rows of each benchmark, even where ``LINTSEQ_DATA_DIR`` names the
    whole ones: for tests whose expectations are those rows'."""
    return repo_root / "tests" / "fixtures" / "data"


def _backends() -> list[str]:
    out = ["process"]
    if shutil.which("bwrap"):
        out.insert(0, "bwrap")
    return out


def _world_reachable(path: Path) -> bool:
    return all(os.stat(d).st_mode & 0o001 for d in path.resolve().parents)


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a test under each sandbox backend this machine has (bwrap must really work)."""
    old = os.environ.get("LINTSEQ_SANDBOX")
    old_py = os.environ.get("LINTSEQ_PYTHON")
    if request.param == "process":
        os.environ["LINTSEQ_SANDBOX"] = "process"
        # The fallback runs samples as another uid: use a world-reachable interpreter if ours
        # sits under a private folder (e.g. pyenv under /root).
        if not _world_reachable(Path(sys.executable)) and Path("/usr/bin/python3").is_file():
            os.environ["LINTSEQ_PYTHON"] = "/usr/bin/python3"
    else:
        os.environ.pop("LINTSEQ_SANDBOX", None)
    sandbox._bwrap_problem.cache_clear()
    try:
        got = sandbox.backend_name()
        if request.param == "bwrap" and got != "bwrap":
            pytest.fail(f"bwrap is installed but unusable: {sandbox._bwrap_problem()}")
        yield got
    finally:
        for key, val in (("LINTSEQ_SANDBOX", old), ("LINTSEQ_PYTHON", old_py)):
            if val is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = val
        sandbox._bwrap_problem.cache_clear()


def build_tiny_model(out: Path, texts: list[str]) -> Path:
    """A 2-layer Llama with random weights and a BPE tokenizer trained on ``texts``.

    ``<|diff|>`` is a special token, as in the training stack. Nothing is downloaded.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from lintseq_core.edits import DIFF_TOKEN

    torch.manual_seed(0)
    specials = ["<unk>", "<s>", "</s>", "<pad>", DIFF_TOKEN]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
        additional_special_tokens=[DIFF_TOKEN],
    )
    cfg = LlamaConfig(
        vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=2048, bos_token_id=fast.bos_token_id,
        eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id,
    )
    LlamaForCausalLM(cfg).save_pretrained(out)
    fast.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import torch
    from lintseq_eval.programs import canonical_program

    from lintseq_core.edits import DIFF_TOKEN

    torch.set_num_threads(1)
    bench = load_benchmark("humaneval", shared_data, limit=20)
    texts = [t.raw["prompt"] + canonical_program(t) for t in bench.tasks]
    texts.append("@@ -0,0 +1,2 @@\n+x\n" + DIFF_TOKEN)
    return build_tiny_model(tmp_path_factory.mktemp("tiny"), texts)
