#!/usr/bin/env bash
# Reproduces EXPERIMENTS.md: speaker-grouped 5-fold CV of every variant in this folder on the real
# corpora. Usage: config/experiments/run.sh CORPORA_DIR WORK_DIR  (CORPORA_DIR holds ravdess/,
# savee/, tess/; WORK_DIR gets manifest.csv, features/ and experiments/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; ser="$here/../../ser"
corpora="$1"; work="$2"
"$ser" prepare --corpus "$corpora/ravdess" --corpus "$corpora/savee" --corpus "$corpora/tess" --out "$work/manifest.csv" \
  --config "$here/../real-corpora.conf"
"$ser" extract --manifest "$work/manifest.csv" --out "$work/features" --config "$here/../real-corpora.conf"
"$ser" experiment --features "$work/features" --out "$work/experiments" --config "$here/../real-corpora.conf" \
  "$here/linear.conf" "$here/bigru-utterance.conf" "$here/bigru-sequence.conf"
