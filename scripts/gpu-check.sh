#!/usr/bin/env bash
# Times SimCLR training on every GPU backend that this machine offers, for BENCHMARKS.md.
#
# For each backend in $BACKENDS (default: tensorflow webgpu) it prints `simclr info`, runs
# the benchmark's training-step cases, and pretrains ResNet-18 for one short epoch. A
# backend that does not initialise is reported by `simclr info` and skipped.
#
# Usage, from the repository root after `npm ci && npm run build`:
#   scripts/gpu-check.sh /path/to/cifar-10-binary.tar.gz [output-folder]
# Environment: BACKENDS (space-separated backend names), SUBSET (images of the short
# epoch, default 10000), STEPS (benchmark cases, default small:256,resnet18:64,resnet18:256).
set -uo pipefail

data=${1:?usage: scripts/gpu-check.sh CIFAR10_ARCHIVE [OUTPUT_FOLDER]}
out=${2:-gpu-check-$(date +%Y%m%d-%H%M%S)}
backends=${BACKENDS:-tensorflow webgpu}
subset=${SUBSET:-10000}
steps=${STEPS:-small:256,resnet18:64,resnet18:256}
cli="node packages/simclr-cli/dist/cli.cjs"
mkdir -p "$out"

for backend in $backends; do
  echo "== $backend"
  if ! $cli info --backend "$backend" | tee "$out/info-$backend.txt"; then
    echo "skipping $backend: it did not initialise (see above)"
    continue
  fi
  $cli benchmark --backend "$backend" --data "$data" --steps "$steps" --runs 3 --no-torch \
    --out "$out/benchmark-$backend.json" | tee "$out/benchmark-$backend.txt"
  start=$(date +%s)
  $cli pretrain --backend "$backend" --data "$data" --encoder resnet18 --epochs 1 \
    --subset "$subset" --batch-size 256 --out "$out/pretrain-$backend" 2>&1 |
    tail -n 4 | tee "$out/pretrain-$backend.txt"
  echo "pretraining on $backend took $(($(date +%s) - start)) s" | tee -a "$out/pretrain-$backend.txt"
done
echo "results in $out"
