#!/usr/bin/python3
# How much of sequential MNIST's input work the LSTM kernels leave out (the figures in LstmStep.ForwardFromInputs.cs and
# RecurrentWeightGradient.Work.cs). A training chunk is 50 images, each 28 steps of 28 pixels.
#   forward: each step's tiles of 6 rows (8 tiles and one of 2 rows) sum only the inputs where some row is not zero;
#   weight gradient of W_ih: A is [28 steps x 50 rows, 28 inputs], and each tile of 6 columns (the last of 4) sums
#   only the rows where one of its columns is not zero.
# Usage: /usr/bin/python3 bench/mnist_input_sparsity.py [--batches N] [--seed N]   (Debian's python3, with numpy)
import argparse, gzip, os
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--batches", type=int, default=200)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist", "train-images-idx3-ubyte.gz")
with gzip.open(path) as f:
    images = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)
rng = np.random.default_rng(args.seed)
forward, gradient = [], []
for _ in range(args.batches):
    chunk = images[rng.choice(len(images), 50)]            # [sample, step, input]
    used = sum((chunk[r:r + 6, t, :] != 0).any(axis=0).sum() for t in range(28) for r in range(0, 50, 6))
    forward.append(used / (28 * 9 * 28))
    a = chunk.transpose(1, 0, 2).reshape(-1, 28)           # step-major rows
    kept = sum((a[:, c:c + 6] != 0).any(axis=1).sum() * a[:, c:c + 6].shape[1] for c in range(0, 28, 6))
    gradient.append(kept / a.size)
print(f"pixels not zero: {(images != 0).mean():.1%}")
print(f"forward: inputs a row tile sums, of 28: {np.mean(forward):.1%} (over {args.batches} chunks of 50)")
print(f"W_ih's gradient: rows a column tile sums: {np.mean(gradient):.1%}")
