#!/usr/bin/env bash
# Times SimCLR training on every GPU backend that this machine offers, for BENCHMARKS.md.
#
# For each backend in $BACKENDS it prints `simclr info --backend NAME`, runs the
# benchmark's training-step cases, pretrains ResNet-18 for one short epoch, and ends
# with a table of images per second. A backend that does not initialise is reported by
# `simclr info` (with the reason) and skipped; the script goes on with the next one.
#
# - tensorflow: tfjs-node-gpu. When it is not installed next to the CLI, the script
#   installs @tensorflow/tfjs-node-gpu@4.22.0 with npm into a temporary folder and links
#   it into packages/simclr-cli/node_modules. Both are removed at exit. Its install
#   script downloads libtensorflow from Google's storage, so without internet access the
#   install fails, and the script reports that and goes on. tfjs-node-gpu 4.x needs
#   CUDA 11.2 and cuDNN 8.1. Without them it runs on the CPU, and `simclr info` reports that.
# - webgpu: Dawn (the `webgpu` package) on the machine's Vulkan driver. On a machine
#   without a GPU, Chromium's SwiftShader driver works, slowly. These tiny settings took
#   about 12 minutes on a 2-core Intel Xeon, mostly for the benchmark's augmentation case:
#     VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
#     LD_LIBRARY_PATH=/usr/lib/chromium BACKENDS=webgpu SUBSET=16 BATCH_SIZE=8 \
#     STEPS=small:4 RUNS=1 ENCODER=small scripts/gpu-check.sh DATA
#
# Usage, from the repository root after `npm ci && npm run build`:
#   scripts/gpu-check.sh /path/to/cifar-10-binary.tar.gz [output-folder]
# Environment:
#   BACKENDS    space-separated backend names (default: tensorflow webgpu)
#   SUBSET      images of the short epoch (default 10000)
#   STEPS       benchmark cases as ENCODER:BATCH pairs (default small:256,resnet18:64,resnet18:256)
#   RUNS        timed runs per benchmark case (default 3)
#   ENCODER     encoder of the short epoch (default resnet18)
#   BATCH_SIZE  batch of the short epoch (default 256)
set -uo pipefail

data=${1:?usage: scripts/gpu-check.sh CIFAR10_ARCHIVE [OUTPUT_FOLDER]}
out=${2:-gpu-check-$(date +%Y%m%d-%H%M%S)}
backends=${BACKENDS:-tensorflow webgpu}
subset=${SUBSET:-10000}
steps=${STEPS:-small:256,resnet18:64,resnet18:256}
runs=${RUNS:-3}
encoder=${ENCODER:-resnet18}
batch_size=${BATCH_SIZE:-256}
cli_dir=packages/simclr-cli
cli="node $cli_dir/dist/cli.cjs"
mkdir -p "$out"
summary=()

# Succeeds when the CLI's own imports would find the package named by $1.
installed_next_to_cli() {
  node -e "require.resolve(process.argv[1] + '/package.json', { paths: [process.argv[2]] })" \
    "$1" "$cli_dir/dist" 2>/dev/null
}

linked_package=""
install_prefix=""
remove_install() {
  if [ -n "$linked_package" ]; then
    rm -f "$linked_package"
  fi
  if [ -n "$install_prefix" ]; then
    rm -rf "$install_prefix"
  fi
}
trap remove_install EXIT

# Installs tfjs-node-gpu into a temporary folder and links it where the CLI looks.
install_tfjs_node_gpu() {
  if installed_next_to_cli @tensorflow/tfjs-node-gpu; then
    echo "@tensorflow/tfjs-node-gpu is installed next to the CLI"
    return 0
  fi
  local prefix log
  prefix=$(mktemp -d)
  install_prefix=$prefix
  log="$out/install-tfjs-node-gpu.log"
  echo "installing @tensorflow/tfjs-node-gpu@4.22.0 into $prefix (its install script downloads libtensorflow)"
  # npm 11 runs a dependency's install script only when allowScripts lists it.
  echo '{ "private": true, "allowScripts": { "@tensorflow/tfjs-node-gpu": true } }' >"$prefix/package.json"
  if ! npm install --prefix "$prefix" --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0 >"$log" 2>&1; then
    echo "installing @tensorflow/tfjs-node-gpu failed; the end of $log:"
    tail -n 5 "$log"
    return 1
  fi
  mkdir -p "$cli_dir/node_modules/@tensorflow"
  linked_package="$cli_dir/node_modules/@tensorflow/tfjs-node-gpu"
  ln -s "$prefix/node_modules/@tensorflow/tfjs-node-gpu" "$linked_package"
  echo "linked $linked_package -> $prefix/node_modules/@tensorflow/tfjs-node-gpu for this run"
}

# Prints the images per second of each benchmark case and of the short epoch.
images_per_second() {
  node -e '
    const fs = require("fs");
    const [benchmarkFile, pretrainFile] = process.argv.slice(1);
    const cells = [];
    if (fs.existsSync(benchmarkFile)) {
      for (const step of JSON.parse(fs.readFileSync(benchmarkFile, "utf8")).steps) {
        cells.push(`${step.encoder}:${step.batchSize} ${step.imagesPerSecond.toFixed(1)}`);
      }
    }
    try {
      const epoch = JSON.parse(fs.readFileSync(pretrainFile, "utf8")).epochs[0];
      cells.push(`epoch ${epoch.imagesPerSecond.toFixed(1)}`);
    } catch {
      cells.push("epoch failed");
    }
    console.log(cells.join(", "));
  ' "$1" "$2"
}

for backend in $backends; do
  echo "== $backend"
  if [ "$backend" = tensorflow ]; then
    install_tfjs_node_gpu
  fi
  if ! $cli info --backend "$backend" | tee "$out/info-$backend.txt"; then
    echo "skipping $backend: it did not initialise (see above)"
    summary+=("$backend: did not initialise")
    continue
  fi
  $cli benchmark --backend "$backend" --data "$data" --steps "$steps" --runs "$runs" --no-torch \
    --out "$out/benchmark-$backend.json" | tee "$out/benchmark-$backend.txt"
  start=$(date +%s)
  $cli pretrain --backend "$backend" --data "$data" --encoder "$encoder" --epochs 1 \
    --subset "$subset" --batch-size "$batch_size" --knn-every 0 --out "$out/pretrain-$backend" \
    >"$out/pretrain-$backend.json" 2>"$out/pretrain-$backend.log"
  tail -n 3 "$out/pretrain-$backend.log"
  echo "pretraining on $backend took $(($(date +%s) - start)) s" | tee -a "$out/pretrain-$backend.log"
  summary+=("$backend: $(images_per_second "$out/benchmark-$backend.json" "$out/pretrain-$backend.json")")
done

echo
echo "images per second (benchmark cases ENCODER:BATCH, then the $encoder epoch of $subset images at batch $batch_size)"
for line in "${summary[@]}"; do
  echo "  $line"
done
echo "results in $out"
