"""Language detection by fence tag and extension, and code extraction from answers."""

from __future__ import annotations

import pytest

from lintseq_core.host import get_host

ANSWER = """Sure! First install the toolchain:

```bash
apt-get install golang-go
```

Then:

```golang
package main

func Add(a, b int) int {
    return a + b
}
```
"""


@pytest.mark.parametrize(
    ("tag", "language"),
    [("golang", "go"), ("rs", "rust"), ("c++", "cpp"), ("ts", "typescript"), ("js", "javascript"),
     ("rb", "ruby"), ("java", "java"), ("h", "c")],
)
def test_fence_tags_resolve(tag, language):
    assert get_host().language_for_fence(tag).name == language


@pytest.mark.parametrize(
    ("path", "language"),
    [("a/b.go", "go"), ("x.rs", "rust"), ("m.cc", "cpp"), ("m.hpp", "cpp"), ("m.c", "c"),
     ("App.java", "java"), ("i.mjs", "javascript"), ("t.ts", "typescript"), ("r.rb", "ruby")],
)
def test_extensions_resolve(path, language):
    assert get_host().language_for_path(path).name == language


def test_go_is_read_out_of_a_markdown_answer():
    code = get_host().extract_code("golang", ANSWER)
    assert code.startswith("package main") and "apt-get" not in code
    assert get_host().analyze("go", "treesitter", code + "\n") == [] or all(
        d.code.startswith("undefined:") for d in get_host().analyze("go", "treesitter", code + "\n")
    )
