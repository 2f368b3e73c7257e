#!/usr/bin/python3
"""PyTorch peer of bench/compare-lstm.sh: sequential MNIST with nn.LSTM, one training step timed at a time.

Each 28x28 image is read row by row: 28 steps of 28 pixels (divided by 255). nn.LSTM(28, 128, batch_first)
-> the last step's hidden state -> Linear(128, 10) logits; softmax cross-entropy, mean over the batch; Adam
(lr 1e-3, betas .9/.999, eps 1e-7: SourceNet's Adam default, so the two optimizers do the same arithmetic);
PyTorch's own initialisation; batches of 100 drawn uniformly with replacement. --warmup steps run untimed
(allocator, thread pool, caches), then --steps steps are timed one by one. Prints one line ``RESULT {json}``
with the median, best and mean milliseconds per step. --cell gru runs nn.GRU(28, 128) in the LSTM's place (the
GRU option of bench/compare-lstm.sh).

Run it with Debian's /usr/bin/python3 (python3-torch lives there). --threads sets OMP_NUM_THREADS,
OPENBLAS_NUM_THREADS and MKL_NUM_THREADS before torch is imported, unless the environment already sets them
(compare-lstm.sh does): Debian's torch does not pass torch.set_num_threads on to OpenBLAS.
"""

import argparse
import gzip
import json
import os
import statistics
import time


def parse_args():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description="PyTorch peer of bench/compare-lstm.sh (see the module docstring).")
    parser.add_argument("--data", default=os.path.join(repo, "data", "mnist"),
                        help="folder with the gzipped MNIST IDX files [default: the repository's data/mnist]")
    parser.add_argument("--threads", type=int, default=1, help="intra-op threads (default 1)")
    parser.add_argument("--steps", type=int, default=200, help="timed training steps (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    parser.add_argument("--batch", type=int, default=100, help="images per batch (default 100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the weights and the batches (default 1)")
    parser.add_argument("--cell", choices=("lstm", "gru"), default="lstm", help="the recurrent layer (default lstm)")
    args = parser.parse_args()
    for name, value, least in (("--threads", args.threads, 1), ("--steps", args.steps, 1),
                               ("--warmup", args.warmup, 0), ("--batch", args.batch, 1)):
        if value < least:
            parser.error(f"{name} needs an integer of at least {least}; got {value}")
    return args


def read_idx(path, header_bytes):
    import numpy as np
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def training(args):
    """The model, optimizer and batches of the run; returns (torch, step), step() training one batch and returning its
    loss (a tensor). Sets the thread variables first, unless the environment sets them: import torch after this."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, str(args.threads))
    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    pixels = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"), 16)
    images = torch.from_numpy((pixels.astype(np.float32) / 255.0).reshape(-1, 28, 28))
    labels = torch.from_numpy(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"), 8).astype(np.int64))

    class MnistLstm(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = (nn.GRU if args.cell == "gru" else nn.LSTM)(28, 128, batch_first=True)
            self.output = nn.Linear(128, 10)

        def forward(self, x):
            sequence, _ = self.lstm(x)
            return self.output(sequence[:, -1])

    model = MnistLstm()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    model.train()

    def step():
        idx = torch.randint(0, images.shape[0], (args.batch,))
        loss = nn.functional.cross_entropy(model(images.index_select(0, idx)), labels.index_select(0, idx))
        adam.zero_grad(set_to_none=False)
        loss.backward()
        adam.step()
        return loss.detach()

    return torch, step


def main():
    args = parse_args()
    torch, step = training(args)
    for _ in range(args.warmup):
        step()
    step_ms = []
    losses = []
    for _ in range(args.steps):
        start = time.perf_counter()
        loss = step()
        step_ms.append((time.perf_counter() - start) * 1e3)
        losses.append(loss)

    result = {
        "system": "PyTorch",
        "cell": args.cell,
        "version": f"torch {torch.__version__}",
        "threads": args.threads,
        "steps": args.steps,
        "warmup": args.warmup,
        "batch": args.batch,
        "step_ms": statistics.median(step_ms),
        "step_best_ms": min(step_ms),
        "step_mean_ms": statistics.fmean(step_ms),
        "final_loss": float(torch.stack(losses[-min(50, len(losses)):]).mean()),
        "peak_rss_mib": peak_rss_mib(),
        "blas": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
