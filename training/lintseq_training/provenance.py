"""What produced a checkpoint: resolved config, data fingerprint, package versions.

Written as ``lintseq_train.json`` (everything) and ``lintseq_train_config.yaml`` (the
resolved config, reusable with ``--config``) into every checkpoint and the final model
directory, so any number can be traced back to the run that made it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lintseq_core.provenance import package_versions as core_package_versions

__all__ = ["PACKAGES", "package_versions", "write_provenance"]

PACKAGES = (
    "lintseq", "torch", "transformers", "accelerate", "peft", "deepspeed", "datasets", "tokenizers",
)
PROVENANCE_FILE = "lintseq_train.json"
CONFIG_FILE = "lintseq_train_config.yaml"


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that decide a run (None when absent)."""
    return core_package_versions(PACKAGES, keep_missing=True)


def write_provenance(directory: str | Path, record: Mapping[str, Any]) -> Path:
    """Write the provenance files into ``directory``; returns the JSON file's path."""
    import yaml

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    full = {**record, "packages": package_versions(), "argv": list(sys.argv)}
    path = directory / PROVENANCE_FILE
    path.write_text(json.dumps(full, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    (directory / CONFIG_FILE).write_text(
        yaml.safe_dump(dict(record["config"]), sort_keys=False), encoding="utf-8"
    )
    return path
