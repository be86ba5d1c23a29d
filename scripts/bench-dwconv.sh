#!/usr/bin/env bash
# The example dwconv encoder with its hand-written backward against its SameDiff-derived one
# (docs/writing-a-plugin.md): crossl bench on hapt's shapes, alternating, three rounds each.
# Run from the repository root after `mvn -o install -DskipTests`; nothing else CPU-heavy beside it.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for m in manual autodiff; do
  cat > "$dir/dwconv-$m.yaml" <<YAML
name: dwconv-$m-hapt
seed: 0
data: {type: hapt, path: hapt, sensors: [acc, gyro], classes: basic, window: 128, stride: 64,
       split: {validation: [26, 27, 28, 29, 30], test: [2, 4, 9, 10, 12, 13, 18, 20, 24]}}
encoders:
  default: {type: dwconv, backward: $m}
masker: {type: spatial, ratio: 0.5, mode: bernoulli}
aggregator: {type: mlp}
objective: {type: vicreg, preset: paper}
training: {batchSize: 64}
YAML
done
export CROSSL_PLUGIN_PATH=examples/dwconv-encoder/target/crossl-dwconv-encoder-1.0.0-SNAPSHOT.jar
export GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-10000}
for round in 1 2 3; do
  for m in manual autodiff; do
    printf '%s round %s: ' "$m" "$round"
    ./crossl bench --config "$dir/dwconv-$m.yaml" --steps 20 --warmup 5 2>/dev/null | grep -E 'samples_per_s|max_rss' | tr '\n' ' '
    echo
  done
done
