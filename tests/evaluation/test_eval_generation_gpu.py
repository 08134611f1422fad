"""Generation on a CUDA GPU (bf16): the same pipeline as on CPU, with the GPU path exercised."""

from __future__ import annotations

from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from lintseq_eval.benchmarks import load_benchmark  # noqa: E402
from lintseq_eval.generation import GenerationConfig, default_stops, generate  # noqa: E402
from lintseq_eval.programs import model_prompt, resolve_completion  # noqa: E402

pytestmark = pytest.mark.gpu


@pytest.fixture(autouse=True)
def _need_cuda() -> None:
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU")


def test_sampling_and_greedy_on_gpu(tiny_model: Path, shared_data: Path) -> None:
    tasks = load_benchmark("humaneval", shared_data, limit=4).tasks
    prompts = [model_prompt(t, "editseq") for t in tasks]
    cfg = GenerationConfig(n=3, temperature=1.0, top_p=0.95, max_new_tokens=48, batch_size=5,
                           backend="transformers", stop=default_stops("editseq"))
    out = generate(tiny_model, prompts, cfg)
    assert [(c.prompt_index, c.sample_index) for c in out] == [(i, k) for i in range(4) for k in range(3)]
    assert all(0 < c.generated_tokens <= 48 for c in out)
    for c in out:
        resolve_completion(tasks[c.prompt_index], c.text, "editseq")  # never raises
    greedy = GenerationConfig(n=1, temperature=0.0, max_new_tokens=24, batch_size=4, backend="transformers")
    a = generate(tiny_model, prompts, greedy)
    b = generate(tiny_model, prompts[::-1], greedy)  # other batch order, same answers
    assert [c.text for c in a] == [c.text for c in b][::-1]
