"""Input formats: every row comes out numbered, and a bad row is named instead of failing the file."""

from __future__ import annotations

import gzip
import json

import pytest

from lintseq_core.errors import ConfigError
from lintseq_core.host import get_host
from lintseq_core.pipeline.readers import bundled_sample, detect_format, open_input

ROWS = [{"code": f"x{i} = {i}\n", "instruction": f"set x{i}"} for i in range(5)]


def test_jsonl_bad_lines_become_items_naming_the_line(tmp_path):
    raw = (
        json.dumps(ROWS[0]).encode() + b"\n"
        + b"\n"  # blank lines are not rows
        + b'{"code": "broken\n'  # malformed JSON
        + b'{"code": "caf\xe9 = 1"}\n'  # Latin-1 byte, not UTF-8
        + b"[1, 2]\n"  # JSON, but not an object
        + json.dumps(ROWS[1]).encode() + b"\n"
    )
    path = tmp_path / "in.jsonl"
    path.write_bytes(raw)
    src = open_input(str(path))
    items = list(src.items)
    assert src.total == 5
    assert [it.index for it in items] == [0, 1, 2, 3, 4]
    assert items[0].row == ROWS[0] and items[4].row == ROWS[1]
    assert items[1].error[0] == "malformed_json" and "line 3" in items[1].error[1]
    assert items[2].error[0] == "not_utf8" and "line 4" in items[2].error[1]
    assert items[3].error[0] == "bad_row" and items[3].line == 5


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in ROWS:
            f.write(json.dumps(r) + "\n")
    assert [it.row for it in open_input(str(path)).items] == ROWS


def test_json_array_streams_and_names_a_malformed_element(tmp_path):
    good = tmp_path / "a.json"
    good.write_text(json.dumps([*ROWS, 7], indent=1))
    items = list(open_input(str(good)).items)
    assert [it.row for it in items[:5]] == ROWS
    assert items[5].error[0] == "bad_row"
    bad = tmp_path / "b.json"
    bad.write_text("[" + json.dumps(ROWS[0]) + ", {\"code\": oops}]")
    it = open_input(str(bad)).items
    assert next(it).row == ROWS[0]  # rows before the damage are delivered
    with pytest.raises(ConfigError, match="element 1"):
        next(it)


def test_parquet_csv_and_arrow_read_with_pyarrow(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rows = [*ROWS, {"code": "s = '''a\nb'''\n", "instruction": "multi, line"}]
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=2)
    pcsv.write_csv(table, tmp_path / "in.csv")
    with pa.OSFile(str(tmp_path / "in.arrow"), "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)
    for name in ("in.parquet", "in.csv", "in.arrow"):
        src = open_input(str(tmp_path / name))
        assert src.columns == ("code", "instruction"), name
        assert [it.row for it in src.items] == rows, name


def test_csv_keeps_digit_programs_as_text(tmp_path):
    (tmp_path / "d.csv").write_text("code,instruction\n12,number\n")
    assert next(open_input(str(tmp_path / "d.csv")).items).row == {"code": "12", "instruction": "number"}


def test_save_to_disk_folder_and_split(tmp_path):
    datasets = pytest.importorskip("datasets")
    dd = datasets.DatasetDict({"train": datasets.Dataset.from_list(ROWS),
                               "test": datasets.Dataset.from_list(ROWS[:2])})
    dd.save_to_disk(str(tmp_path / "dd"))
    assert detect_format(str(tmp_path / "dd")) == "hf-disk"
    with pytest.raises(ConfigError, match="--split"):
        open_input(str(tmp_path / "dd"))
    src = open_input(str(tmp_path / "dd"), split="test")
    assert [it.row for it in src.items] == ROWS[:2] and src.total == 2


def test_hub_name_offline_gives_a_clear_message(monkeypatch):
    pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(ConfigError, match="offline mode"):
        open_input("lintseq-tests/no-such-dataset", split="train")


def test_unknown_extension_and_missing_file(tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(ConfigError, match="--input-format"):
        open_input(str(tmp_path / "x.txt"))
    with pytest.raises(ConfigError, match="no such input"):
        open_input(str(tmp_path / "missing.jsonl"))


def test_bundled_sample_is_varied_python():
    items = list(open_input(str(bundled_sample())).items)
    assert 40 <= len(items) <= 80
    codes = [it.row["code"] for it in items]
    assert all(it.row["instruction"] for it in items)
    assert any("\r\n" in c for c in codes)
    assert any("\n\t" in c for c in codes)
    assert any("```python" in c for c in codes)
    assert any("\n  " in c and "\n    " not in c for c in codes)  # two-space indentation
    assert any(c.lstrip().startswith(("import", "from")) for c in codes)
    assert any("@" in c for c in codes) and any('"""' in c for c in codes)


def test_the_default_language_is_the_bundled_samples():
    from lintseq_core.convert import ConvertConfig
    from lintseq_core.sample_data import sample_language

    meta = json.loads((bundled_sample().parent / "sample.meta.json").read_text())
    assert sample_language() == meta["language"] == ConvertConfig().language
    assert get_host().language(meta["language"]).name == meta["language"]  # a real language
