"""Guided decoding on a CUDA GPU (bf16): the transformers backend's device path."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from lintseq_eval.benchmarks import load_benchmark  # noqa: E402
from lintseq_eval.generation import GenerationConfig  # noqa: E402
from lintseq_eval.guided import EditGuide, GuideConfig  # noqa: E402
from lintseq_eval.guided_eval import generate_guided  # noqa: E402
from lintseq_eval.programs import model_prompt  # noqa: E402

from lintseq_core.edits import split_generated_edits  # noqa: E402

# a skip mark, not a fixture: it acts before the session's tiny model would be built
pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")]


def test_guided_generation_on_gpu(tiny_model: Path, shared_data: Path) -> None:
    tasks = load_benchmark("humaneval", shared_data, limit=3).tasks
    prompts = [model_prompt(t, "editseq") for t in tasks]
    gen = GenerationConfig(n=2, temperature=1.0, top_p=0.95, max_new_tokens=48, backend="transformers")
    cfg = GuideConfig(retries=2, on_exhausted="stop")
    comps, records, seconds = generate_guided(str(tiny_model), prompts, [""] * 3, "python", gen, cfg)
    assert [(c.prompt_index, c.sample_index) for c in comps] == [(i, k) for i in range(3) for k in range(2)]
    assert seconds > 0
    for c, r in zip(comps, records, strict=True):
        assert c.generated_tokens == r.kept_tokens + r.rejected_tokens and r.kept_tokens <= 48
        assert r.forced_edits == 0 and r.max_retries_used <= 2
        replay = EditGuide("python")
        for diff in split_generated_edits(c.text):
            verdict = replay.check(diff)
            assert verdict.accepted
            replay.commit(verdict)
    again, _, _ = generate_guided(str(tiny_model), prompts, [""] * 3, "python", gen, cfg)
    assert [c.text for c in again] == [c.text for c in comps]  # per-try seeds: reproducible
