#!/usr/bin/env bash
# Rebuild the pretrained network that the app opens with on first launch.
# The defaults of `nnviz train` (784-16-16-10, sigmoid, squared error, mini-batches of 10,
# η = 1.0 halved on validation plateaus, seed 0), 30 epochs on the bundled MNIST.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m nnviz.cli train --epochs 30 --quiet --out assets/pretrained-784-16-16-10.npz
