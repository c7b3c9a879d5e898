#!/usr/bin/env bash
# Reproduces EXPERIMENTS.md: speaker-grouped 5-fold CV of every variant in this folder on the real
# corpora. Usage: config/experiments/run.sh CORPORA_DIR WORK_DIR  (CORPORA_DIR holds ravdess/,
# savee/, tess/; WORK_DIR gets manifest.csv, features/, experiments/ and experiments-off/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; ser="$here/../../ser"
corpora="$1"; work="$2"
"$ser" prepare --corpus "$corpora/ravdess" --corpus "$corpora/savee" --corpus "$corpora/tess" --out "$work/manifest.csv" \
  --config "$here/../real-corpora.conf"
"$ser" extract --manifest "$work/manifest.csv" --out "$work/features" --config "$here/../real-corpora.conf"
variants=("$here/linear.conf" "$here/bigru-utterance.conf" "$here/bigru-utterance-djl.conf" "$here/bigru-sequence.conf"
  "$here/bigru-sequence-djl.conf")
# Both normalization modes; --reuse keeps a variant whose cross-validation finished in an earlier run.
"$ser" experiment --reuse --features "$work/features" --out "$work/experiments" --config "$here/../real-corpora.conf" "${variants[@]}"
"$ser" experiment --reuse --features "$work/features" --out "$work/experiments-off" --config "$here/../real-corpora.conf" \
  --set ser.train.normalization=off "${variants[@]}"
