"""End to end on CPU: a tiny Llama-style model trained on converted MBPP programs.

Each run takes a few seconds with one thread; they sit behind the ``slow`` marker.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from lintseq_training.cli import main
from lintseq_training.config import TrainConfig, load_config
from lintseq_training.data import fingerprint
from lintseq_training.encode import IGNORE_INDEX
from lintseq_training.modeling import load_model
from lintseq_training.run import make_collator, plan_run, summed_token_loss, train
from training_data_helpers import converted_rows, write_jsonl

from lintseq_core.edits import DIFF_TOKEN


def _config(model: Path, data: Path, out: Path, **overrides) -> TrainConfig:
    values = {"model": str(model), "data": str(data), "output_dir": str(out), "report_to": "none",
              "save_strategy": "no", **overrides}
    return load_config("cpu-tiny", values)


def _mean_token_loss(model, tokenizer, features) -> float:
    """Per-token loss of ``model`` on ``features`` (independent of the training loss reduction)."""
    batch = make_collator(False, tokenizer)([dict(f) for f in features])
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    n = int((batch["labels"][:, 1:] != IGNORE_INDEX).sum())
    return float(summed_token_loss(logits, batch["labels"])) / n


def test_summed_loss_is_the_sum_of_token_losses() -> None:
    torch.manual_seed(0)
    logits = torch.randn(2, 5, 11)
    labels = torch.tensor([[IGNORE_INDEX, IGNORE_INDEX, 3, 4, 5], [IGNORE_INDEX, 1, 2, IGNORE_INDEX, IGNORE_INDEX]])
    mean = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 11), labels[:, 1:].reshape(-1))
    assert float(summed_token_loss(logits, labels)) == pytest.approx(float(mean) * 5, rel=1e-5)  # 5 unmasked targets


def test_packed_batches_give_the_same_loss_as_padded_ones(tiny_model_dir: Path, converted_file: Path,
                                                          tmp_path: Path) -> None:
    plan, tokenizer = plan_run(_config(tiny_model_dir, converted_file, tmp_path))
    model = load_model(plan.config, tokenizer).eval()
    features = [dict(f) for f in plan.encoded.features[:4]]
    padded = make_collator(False, tokenizer)(features)
    packed = make_collator(True, tokenizer)(features)
    assert packed["input_ids"].shape[0] == 1  # one flattened row
    with torch.no_grad():
        loss_padded = summed_token_loss(model(input_ids=padded["input_ids"],
                                              attention_mask=padded["attention_mask"]).logits, padded["labels"])
        loss_packed = summed_token_loss(model(input_ids=packed["input_ids"], position_ids=packed["position_ids"],
                                              use_cache=False).logits, packed["labels"])
    # Equal only if no example attends to the one packed before it (which transformers ensures
    # only without a KV cache: the trainer turns the cache off).
    assert float(loss_packed) == pytest.approx(float(loss_padded), rel=1e-4)


@pytest.mark.slow
def test_training_lowers_loss_and_the_saved_model_reloads(tiny_model_dir: Path, converted_file: Path,
                                                          tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "out"
    cfg = _config(tiny_model_dir, converted_file, out, max_steps=60, report_to="tensorboard")
    plan, tokenizer = plan_run(cfg)
    probe = plan.encoded.features[:32]
    before = _mean_token_loss(load_model(cfg, tokenizer), tokenizer, probe)
    result = train(cfg)
    assert result["global_step"] == 60

    reloaded_tok = AutoTokenizer.from_pretrained(out)
    reloaded = AutoModelForCausalLM.from_pretrained(out)
    assert len(reloaded_tok.encode(DIFF_TOKEN, add_special_tokens=False)) == 1
    base_vocab = len(AutoTokenizer.from_pretrained(tiny_model_dir))
    assert reloaded.get_input_embeddings().weight.shape[0] == len(reloaded_tok) == base_vocab + 1
    after = _mean_token_loss(reloaded, reloaded_tok, probe)
    assert after < 0.75 * before, (before, after)

    record = json.loads((out / "lintseq_train.json").read_text())
    assert record["plan"]["data"]["sha256"] == fingerprint(converted_file)
    assert record["packages"]["torch"] == torch.__version__ and record["packages"]["transformers"]
    assert record["result"]["global_step"] == 60
    assert list((out / "runs").rglob("events.out.tfevents.*"))  # tensorboard logs
    assert load_config(out / "lintseq_train_config.yaml") == cfg  # the saved config reruns the same run


@pytest.mark.slow
def test_resume_from_a_checkpoint_ends_where_an_uninterrupted_run_ends(tiny_model_dir: Path,
                                                                       converted_file: Path,
                                                                       tmp_path: Path) -> None:
    from safetensors.torch import load_file

    out = tmp_path / "out"
    cfg = _config(tiny_model_dir, converted_file, out, max_steps=12, save_strategy="steps", save_steps=6)
    train(cfg)
    assert json.loads((out / "checkpoint-6" / "lintseq_train.json").read_text())["global_step"] == 6
    full = load_file(out / "model.safetensors")
    # Lose everything after step 6, then resume.
    shutil.rmtree(out / "checkpoint-12")
    (out / "model.safetensors").unlink()
    result = train(_config(tiny_model_dir, converted_file, out, max_steps=12, save_strategy="steps",
                           save_steps=6, resume_from_checkpoint="latest"))
    assert result["resumed_from"].endswith("checkpoint-6") and result["global_step"] == 12
    resumed = load_file(out / "model.safetensors")
    for name, tensor in full.items():
        torch.testing.assert_close(resumed[name], tensor, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_baseline_and_editseq_take_the_same_optimizer_steps(tiny_model_dir: Path, shared_data: Path,
                                                            tmp_path: Path) -> None:
    data = write_jsonl(tmp_path / "forty.jsonl", converted_rows(shared_data, 40))  # 2 sequences each
    results = {
        fmt: train(_config(tiny_model_dir, data, tmp_path / fmt, format=fmt, num_train_epochs=1, precision="bf16"))
        for fmt in ("baseline", "editseq")
    }
    assert results["editseq"]["precision"] == "bf16"  # bf16 autocast runs on CPU too
    assert results["baseline"]["data"]["examples"] == 40 and results["editseq"]["data"]["examples"] == 80
    assert results["baseline"]["global_step"] == results["editseq"]["global_step"] == 40 // 8
    # The same steps are one pass over the programs but half a pass over the edit-sequence rows.
    assert results["baseline"]["epochs_over_rows"] == pytest.approx(1.0)
    assert results["editseq"]["epochs_over_rows"] == pytest.approx(0.5)


@pytest.mark.slow
def test_lora_packing_and_checkpointing_train_adapters_and_new_token_rows(tiny_model_dir: Path, converted_file: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "lora"
    cfg = _config(tiny_model_dir, converted_file, out, max_steps=4, packing=True, gradient_checkpointing=True,
                  lora={"enabled": True, "r": 4, "alpha": 8})
    assert train(cfg)["global_step"] == 4
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert adapter["r"] == 4 and "embed_tokens" in adapter["modules_to_save"]
    assert (out / "adapter_model.safetensors").is_file()


def _run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no_edit_path", "lack field 'edit_path'"),
        ("empty", "is empty"),
        ("no_model", "does not exist"),
        ("bad_deepspeed", "does not parse as JSON"),
    ],
)
def test_bad_input_stops_before_training_with_one_message(case: str, message: str, tiny_model_dir: Path,
                                                          converted_file: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    model, data, extra = str(tiny_model_dir), converted_file, []
    if case == "no_edit_path":
        rows = [json.loads(x) for x in converted_file.read_text().splitlines()[:5]]
        data = write_jsonl(tmp_path / "plain.jsonl", [{"instruction": r["instruction"]} for r in rows])
    elif case == "empty":
        data = tmp_path / "empty.jsonl"
        data.write_text("")
    elif case == "no_model":
        model = str(tmp_path / "missing-model")
    else:
        bad = tmp_path / "ds.json"
        bad.write_text('{"zero_optimization": {"stage": 2')
        extra = ["--deepspeed", str(bad)]
    out = tmp_path / "out"
    code, err = _run_cli(["--config", "cpu-tiny", "--model", model, "--data", str(data),
                          "--output-dir", str(out), "--max-steps", "5", "-q", *extra], capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("lintseq-train: error:")]
    assert len(lines) == 1 and message in lines[0]
    assert not out.exists()  # nothing started


def test_dry_run_prints_the_plan(tiny_model_dir: Path, converted_file: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--config", "cpu-tiny", "--model", str(tiny_model_dir), "--data", str(converted_file),
                 "--output-dir", str(tmp_path / "out"), "--format", "baseline", "--dry-run", "-q"])
    plan = json.loads(capsys.readouterr().out)
    assert code == 0
    programs = len({json.loads(x)["index"] for x in converted_file.read_text().splitlines()})
    assert plan["data"]["programs"] == plan["data"]["examples"] == programs
    assert plan["data"]["rows"] == 2 * programs and plan["gradient_accumulation_steps"] == 2
    assert plan["max_steps"] == -(-programs // 8)  # one epoch over the programs at a global batch of 8
