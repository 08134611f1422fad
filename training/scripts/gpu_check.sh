#!/usr/bin/env bash
# GPU check of the training stack: a ~135M-parameter Llama-style model built from a config,
# ~200 optimizer steps with DeepSpeed ZeRO-2 in bf16 on edit sequences of real Python code,
# printing tokens/s and peak memory as JSON. Needs no network (nothing is downloaded).
#
# Needs: one CUDA GPU; python with torch, transformers, accelerate, deepspeed, tokenizers, pyyaml
# (pip install 'lintseq[train]'). Run from anywhere:
#   training/scripts/gpu_check.sh                 # ZeRO-2, bf16, 200 steps, global batch 64
#   training/scripts/gpu_check.sh --packing       # padding-free batches
#   training/scripts/gpu_check.sh --deepspeed none --steps 100
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
# Use the working tree's packages even when lintseq is not pip-installed.
export PYTHONPATH="$repo:$repo/training${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python}" -m lintseq_training.gpu_check "$@"
