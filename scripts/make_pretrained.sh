#!/usr/bin/env bash
# Rebuild the pretrained network that the app opens with on first launch, with the record of its
# training (history checkpoints, cost curve, accuracies), so that the first launch shows full plots
# and a timeline. The defaults of `nnviz train` (784-16-16-10, sigmoid, squared error, mini-batches
# of 10, η = 1.0 halved on validation plateaus, L2 weight decay λ = 3, seed 0), 30 epochs on the
# bundled MNIST. The file stays ~2.5 MB: checkpoints are float16 and thin out after the first epoch.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m nnviz.cli train --epochs 30 --quiet --out assets/pretrained-784-16-16-10.npz
