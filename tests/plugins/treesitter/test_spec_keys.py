"""A language file with a misspelt key is an error naming the file and the key."""

from __future__ import annotations

from importlib import resources

import pytest
from lintseq_treesitter.spec import load_spec

from lintseq_core.errors import ConfigError

QUERIES = resources.files("lintseq_treesitter") / "queries"
BASE = {"name": "toy", "grammar": {"module": "tree_sitter_python"}, "nodes": {"comments": ["comment"]}}


def test_a_valid_file_loads_and_keeps_declared_settings() -> None:
    spec = load_spec({**BASE, "ignored_names": ["_"]}, QUERIES, "toy.toml")
    assert spec.name == "toy" and spec.extra == {"ignored_names": ["_"]}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({**BASE, "ignored_name": ["_"]}, "ignored_name"),  # the typo the review found
        ({**BASE, "grammar": {"module": "m", "funtion": "language"}}, "funtion"),
        ({**BASE, "rules": [{"kind": "unused", "definitons": ["var"]}]}, "definitons"),
        ({**BASE, "nodes": {"comment": ["comment"]}}, "comment"),
    ],
)
def test_unknown_keys_name_the_file_and_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_spec(data, QUERIES, "toy.toml")
    assert "toy.toml" in str(err.value) and repr(key) in str(err.value)


def test_a_bad_needs_pattern_is_an_error_naming_the_rule() -> None:
    from lintseq_treesitter.compiled import compile_language

    rule = {"kind": "contains", "code": "needs-header", "query": "(identifier) @use", "needs": ["^#include (<{name}"]}
    spec = load_spec({**BASE, "rules": [rule]}, QUERIES, "toy.toml")
    with pytest.raises(ConfigError, match=r"toy: rule 0 \(needs-header\) needs pattern"):
        compile_language(spec)
