"""The stages the experiment package runs itself: prepare, select and model.

Each is ``python -m lintseq_experiment.tasks KIND STAGE_DIR``: it reads ``stage.json`` (its
settings and the output folders of the stages it depends on) and writes ``STAGE_DIR/out``.
Outputs are written under a temporary name and renamed, so an interrupted stage leaves no
file that looks finished.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from lintseq_experiment.errors import ExperimentError

__all__ = ["main", "prepare", "select", "tiny_model"]


def _write_jsonl(path: Path, rows: list[Mapping[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _source_rows(src: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Rows of a source: a local JSONL/JSON file, another local format, or a hub dataset."""
    path = src.get("path")
    fmt = src.get("format")
    if path is not None and (fmt in (None, "jsonl", "json") and path.endswith((".jsonl", ".json", ".jsonl.gz"))):
        from lintseq_core.jsonrows import read_rows

        yield from read_rows(path)
        return
    try:
        import datasets
    except ImportError as exc:
        raise ExperimentError(f"reading {path or src['hub']} needs the datasets package: pip install 'lintseq[data]'") from exc
    if path is not None:
        kind = fmt or Path(path).suffix.lstrip(".")
        if kind in ("hf-disk", "arrow") or Path(path).is_dir():
            data = datasets.load_from_disk(path)
            data = data[src["split"]] if isinstance(data, datasets.DatasetDict) else data
        else:
            data = datasets.load_dataset(kind, data_files=path, split="train")
    else:
        data = datasets.load_dataset(src["hub"], src.get("subset"), split=src["split"], revision=src.get("revision"))
    yield from data


def prepare(stage: Mapping[str, Any], out: Path) -> dict[str, Any]:
    """Write the programs of one language as ``programs.jsonl`` rows (instruction, code, source_row)."""
    s = stage["settings"]
    src = s["source"]
    lang_field = src["language_field"]
    wanted = str(s["source_value"]).lower()
    rows: list[dict[str, Any]] = []
    seen = skipped_language = skipped_empty = 0
    for i, row in enumerate(_source_rows(src)):
        seen += 1
        if lang_field is not None and str(row.get(lang_field, "")).lower() != wanted:
            skipped_language += 1
            continue
        code = row.get(src["code_field"])
        if not isinstance(code, str) or not code.strip():
            skipped_empty += 1
            continue
        instruction = row.get(src["instruction_field"])
        rows.append({"instruction": instruction if isinstance(instruction, str) else "", "code": code, "source_row": i})
        if s["max_programs"] is not None and len(rows) >= s["max_programs"]:
            break
    if not rows:
        raise ExperimentError(
            f"source {src.get('path') or src.get('hub')} has no programs for {s['language']} "
            f"(field {src['code_field']!r}"
            + (f", {lang_field} == {wanted!r}" if lang_field else "")
            + "): check the plan's sources and languages.source_value"
        )
    _write_jsonl(out / "programs.jsonl", rows)
    info = {"programs": len(rows), "rows_read": seen, "skipped_other_language": skipped_language,
            "skipped_empty": skipped_empty}
    _write_json(out / "prepare.json", info)
    return info


def select(stage: Mapping[str, Any], out: Path, dep_outs: Mapping[str, Path]) -> dict[str, Any]:
    """Keep the programs every converted arm kept; write one training file per arm.

    Edit-sequence arms keep all their rows of those programs; a baseline arm gets one row per
    program (the extracted program) from the arm named by its ``data_from``.
    """
    arms: Mapping[str, str] = stage["settings"]["arms"]
    converted: dict[str, list[dict[str, Any]]] = {}
    manifests: dict[str, Any] = {}
    for dep_id, folder in dep_outs.items():
        arm = dep_id.split(":")[2]
        converted[arm] = list(_read_jsonl(folder / "converted.jsonl"))
        manifest = folder / "converted.manifest.json"
        if manifest.is_file():
            manifests[arm] = json.loads(manifest.read_text(encoding="utf-8")).get("counts", {})
    kept = {arm: {r["index"] for r in rows} for arm, rows in converted.items()}
    common = set.intersection(*kept.values()) if kept else set()
    if not common:
        raise ExperimentError("no program was kept by every arm's conversion; see the convert stages' rejects files")
    counts: dict[str, Any] = {}
    for arm, data_arm in arms.items():
        rows = [r for r in converted[data_arm] if r["index"] in common]
        if data_arm != arm:  # baseline: one row per program
            first: dict[int, dict[str, Any]] = {}
            for r in rows:
                first.setdefault(r["index"], {"index": r["index"], "instruction": r["instruction"],
                                              "program": r["program"]})
            rows = [first[i] for i in sorted(first)]
        _write_jsonl(out / f"{arm}.jsonl", rows)
        counts[arm] = {"rows": len(rows), "programs": len({r["index"] for r in rows}), "data_from": data_arm}
    info = {"programs": len(common), "kept_by_arm": {a: len(k) for a, k in kept.items()}, "arms": counts,
            "convert_counts": manifests}
    _write_json(out / "select.json", info)
    return info


def tiny_model(stage: Mapping[str, Any], out: Path, dep_outs: Mapping[str, Path]) -> dict[str, Any]:
    """A tiny Llama-style model whose tokenizer is fitted on every language's programs."""
    from lintseq_training.tiny import build_tiny_model

    texts: list[str] = []
    for folder in dep_outs.values():
        for row in _read_jsonl(folder / "programs.jsonl"):
            texts += [row["instruction"], row["code"]]
    tiny = dict(stage["settings"]["tiny"])
    names = {"vocab_size": "vocab_size", "hidden_size": "hidden_size", "layers": "num_layers",
             "heads": "num_heads", "seed": "seed"}
    tmp = out / "model.tmp"
    build_tiny_model(tmp, texts, **{names[k]: v for k, v in tiny.items()})
    os.replace(tmp, out / "model")
    return {"texts": len(texts), **tiny}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lintseq_experiment.tasks", description=__doc__)
    parser.add_argument("kind", choices=("prepare", "select", "model"))
    parser.add_argument("stage_dir", type=Path)
    args = parser.parse_args(argv)
    stage = json.loads((args.stage_dir / "stage.json").read_text(encoding="utf-8"))
    out = args.stage_dir / "out"
    out.mkdir(parents=True, exist_ok=True)
    dep_outs = {k: Path(v) for k, v in stage["dep_outs"].items()}
    if args.kind == "prepare":
        info = prepare(stage, out)
    elif args.kind == "select":
        info = select(stage, out, dep_outs)
    else:
        info = tiny_model(stage, out, dep_outs)
    print(json.dumps(info, sort_keys=True))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except ExperimentError as exc:
        import sys

        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
