#!/usr/bin/python3
# How much of sequential MNIST's input work the LSTM kernels leave out (the figures in LstmStep.ForwardFromInputs.cs and
# RecurrentWeightGradient.Work.cs). A training chunk is 50 images, each 28 steps of 28 pixels.
#   forward: each step's tiles of 6 rows (8 tiles and one of 2 rows) sum only the inputs where some row is not zero;
#   weight gradient of W_ih: A is [28 steps x 50 rows, 28 inputs], and each tile of 6 columns (the last of 4) sums
#   only the rows where one of its columns is not zero;
#   blank first rows: from the zero state, the images whose first rows are all blank share one state until their
#   first pixel, so each step computes one row for all of them and copies it (LstmStep.Forward.cs, ListRows).
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
forward, gradient, steps_kept, products_kept, merged_rows, handed = [], [], [], [], [], []
for _ in range(args.batches):
    chunk = images[rng.choice(len(images), 50)]            # [sample, step, input]
    used = sum((chunk[r:r + 6, t, :] != 0).any(axis=0).sum() for t in range(28) for r in range(0, 50, 6))
    forward.append(used / (28 * 9 * 28))
    a = chunk.transpose(1, 0, 2).reshape(-1, 28)           # step-major rows
    kept = sum((a[:, c:c + 6] != 0).any(axis=1).sum() * a[:, c:c + 6].shape[1] for c in range(0, 28, 6))
    gradient.append(kept / a.size)
    blank = np.argmax(np.concatenate([(chunk != 0).any(axis=2), np.ones((50, 1), bool)], axis=1), axis=1)  # leading blank rows
    # at step t the images with t < blank share one state: one row computed for them, the others copied
    computed = [50 - max(0, int((blank > t).sum()) - 1) for t in range(28)]
    steps_kept.append(sum(computed) / (28 * 50))
    products_kept.append(sum(computed[1:]) / (27 * 50))                    # step 0 has no h.W_hh (zero state)
    # W_hh's gradient: rows 50 to 1399 (step 0's h is zero), in blocks of 128; a row whose input is zero and whose h
    # (the shared state: every input before it blank) equals an earlier such row's in its block merges into it
    shared = [p for p in range(50, 28 * 50) if blank[p % 50] > p // 50]   # x_t zero and h_{t-1} shared
    groups = {(p // 128, p // 50) for p in shared}                       # one kept row per (block, step)
    merged_rows.append((len(shared) - len(groups)) / (27 * 50))
    # Backward (LstmStep.FindSharedSteps): at step t the rows that shared step t + 1 are handed to its first row,
    # which alone is carried
    handed.append(sum(max(0, int((blank > t + 1).sum()) - 1) for t in range(28)) / (28 * 50))
blank_rows = np.argmax(np.concatenate([(images != 0).any(axis=2), np.ones((len(images), 1), bool)], axis=1), axis=1)
print(f"pixels not zero: {(images != 0).mean():.1%}")
print(f"forward: inputs a row tile sums, of 28: {np.mean(forward):.1%} (over {args.batches} chunks of 50)")
print(f"W_ih's gradient: rows a column tile sums: {np.mean(gradient):.1%}")
print(f"blank first rows: {np.mean(blank_rows):.2f} an image; rows a forward step computes: {np.mean(steps_kept):.1%},"
      f" of its h.W_hh products (steps 1 to 27): {np.mean(products_kept):.1%}")
print(f"W_hh's gradient: rows merged into another (of steps 1 to 27): {np.mean(merged_rows):.1%}")
print(f"backward: rows a step leaves out, handed over at a later step: {np.mean(handed):.1%}")
