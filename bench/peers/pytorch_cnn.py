#!/usr/bin/python3
"""PyTorch peer of bench/compare-cnn.sh: the deep MNIST CNN of samples/MnistCnn/MnistCnn.cs, timed.

28x28x1 -> conv 5x5x32 same + ReLU -> maxpool 2 -> conv 5x5x64 same + ReLU -> maxpool 2 -> flatten
-> dense 1024 ReLU -> dropout 0.5 -> dense 10 logits; softmax cross-entropy; Adam (lr 1e-3, betas
.9/.999, eps 1e-7); weights N(0, std) with MnistCnn.cs's per-layer stds, biases 0; batches drawn
uniformly with replacement. Prints one line: ``RESULT {json}``.

Run it with Debian's /usr/bin/python3 (python3-torch lives there) and set OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS in the environment before Python starts (compare-cnn.sh does): Debian's torch
does not pass torch.set_num_threads on to OpenBLAS.
"""

import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch
from torch import nn

# The initial standard deviations written in samples/MnistCnn/MnistCnn.cs (He et al.: sqrt(2 / fan-in),
# the output layer sqrt(1 / fan-in)), so both systems start from the same distribution.
INIT_STD = {"conv1": 0.2828, "conv2": 0.05, "hidden": 0.02525, "output": 0.03125}


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_mnist(folder):
    # NCHW, as nn.Conv2d wants; SourceNet holds the same pixels channels-last (28x28x1: the same order).
    def images(name):
        raw = read_idx(os.path.join(folder, name), 16)
        return torch.from_numpy((raw.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28))

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(folder, name), 8).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class MnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.hidden = nn.Linear(7 * 7 * 64, 1024)
        self.output = nn.Linear(1024, 10)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.5)
        for name, std in INIT_STD.items():
            layer = getattr(self, name)
            nn.init.normal_(layer.weight, 0.0, std)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.relu(self.hidden(torch.flatten(x, 1)))
        return self.output(self.drop(x))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--steps", type=int, default=0, help="steps per epoch; 0: 60000 / batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, metavar="STEPS",
                        help="after the RESULT line, profile this many more training steps and print the top operators")
    args = parser.parse_args()
    steps = args.steps or 60000 // args.batch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y, test_x, test_y = load_mnist(args.data)
    model = MnistCnn()
    # PyTorch adds eps to sqrt(v_hat), Keras and SourceNet to sqrt(v): with eps = 1e-7 the two differ
    # only while sqrt(v) is near 1e-7.
    adam = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    epoch_seconds = []
    last_loss = float("nan")
    n_train = train_x.shape[0]
    model.train()
    for _ in range(args.epochs):
        loss_sum = torch.zeros(())
        start = time.perf_counter()
        for _ in range(steps):
            idx = torch.randint(0, n_train, (args.batch,))
            loss = nn.functional.cross_entropy(model(train_x.index_select(0, idx)), train_y.index_select(0, idx))
            adam.zero_grad(set_to_none=False)
            loss.backward()
            adam.step()
            loss_sum += loss.detach()
        epoch_seconds.append(time.perf_counter() - start)
        last_loss = loss_sum.item() / steps

    # Test accuracy in chunks of the training batch size, as SourceNet's Evaluate runs: measured at 1 thread,
    # chunks of 500 took about 5x longer per image than chunks of 50 (the whole set at once would hold 1 GB
    # of first-layer activations).
    model.eval()
    start = time.perf_counter()
    correct = 0
    with torch.inference_mode():
        for i in range(0, test_x.shape[0], args.batch):
            chunk = slice(i, i + args.batch)
            correct += (model(test_x[chunk]).argmax(1) == test_y[chunk]).sum().item()
    eval_seconds = time.perf_counter() - start

    median_epoch = statistics.median(epoch_seconds)
    result = {
        "system": "PyTorch",
        "version": f"torch {torch.__version__}",
        "threads": args.threads,
        "epochs": args.epochs,
        "steps_per_epoch": steps,
        "batch": args.batch,
        "epoch_s": epoch_seconds,
        "epoch_median_s": median_epoch,
        "epoch_min_s": min(epoch_seconds),
        "epoch_max_s": max(epoch_seconds),
        "step_ms": median_epoch / steps * 1e3,
        "eval_s": eval_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "accuracy": correct / test_x.shape[0],
        "final_loss": last_loss,
        # Which convolution path this build has: without oneDNN, CPU convolutions are im2col + BLAS.
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }
    print("RESULT " + json.dumps(result), flush=True)
    if args.profile:
        profile_steps(model, adam, train_x, train_y, args)


def profile_steps(model, adam, train_x, train_y, args):
    """Where a training step's time goes, by operator (self time: each operator without its children)."""
    model.train()
    with torch.autograd.profiler.profile() as prof:
        for _ in range(args.profile):
            idx = torch.randint(0, train_x.shape[0], (args.batch,))
            loss = nn.functional.cross_entropy(model(train_x.index_select(0, idx)), train_y.index_select(0, idx))
            adam.zero_grad(set_to_none=False)
            loss.backward()
            adam.step()
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15), flush=True)


if __name__ == "__main__":
    main()
