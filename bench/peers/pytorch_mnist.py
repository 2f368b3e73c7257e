#!/usr/bin/python3
"""PyTorch peer of bench/compare.sh: the TensorFlow 2 tutorial's MNIST network, timed.

784-300-10, ReLU hidden, logits out, softmax cross-entropy, Adam (lr 1e-3, betas .9/.999,
eps 1e-7: the Keras defaults), batch 100, 600 batches drawn with replacement per epoch,
weights and biases ~ N(0, 0.03). Prints one line: ``RESULT {json}``.

Run it with Debian's /usr/bin/python3 (python3-torch lives there) and set the BLAS and OpenMP
pool sizes in the environment *before* Python starts: Debian's torch does not pass
torch.set_num_threads on to OpenBLAS, so OPENBLAS_NUM_THREADS must say the same thing.
"""

import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np
import torch

IMAGE_SIZE = 28 * 28
HIDDEN = 300
CLASSES = 10


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_mnist(folder):
    def images(name):
        raw = read_idx(os.path.join(folder, name), 16)
        return torch.from_numpy((raw.astype(np.float32) / 255.0).reshape(-1, IMAGE_SIZE))

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(folder, name), 8).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def peak_rss_mib():
    # VmHWM is the high-water mark of the resident set: the same figure /usr/bin/time -v reports.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class TrainedNetwork(torch.nn.Module):
    """The trained tensors as a module, so torch.onnx can trace them: images [n, 784] -> logits [n, 10]."""

    def __init__(self, w1, b1, w2, b2):
        super().__init__()
        self.w1, self.b1 = torch.nn.Parameter(w1.detach()), torch.nn.Parameter(b1.detach())
        self.w2, self.b2 = torch.nn.Parameter(w2.detach()), torch.nn.Parameter(b2.detach())

    def forward(self, x):
        return torch.addmm(self.b2, torch.relu(torch.addmm(self.b1, x, self.w1)), self.w2)


def export_onnx(path, w1, b1, w2, b2):
    torch.onnx.export(TrainedNetwork(w1, b1, w2, b2), torch.zeros(1, IMAGE_SIZE), path,
                      input_names=["images"], output_names=["logits"],
                      dynamic_axes={"images": {0: "n"}, "logits": {0: "n"}}, opset_version=13)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--single-calls", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--export-onnx", metavar="PATH",
                        help="after training, save the network as ONNX (for the ONNX Runtime peer)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y, test_x, test_y = load_mnist(args.data)

    # The tutorial's own parameters: plain tensors, x @ W + b (addmm, as nn.Linear does on CPU).
    w1 = (torch.randn(IMAGE_SIZE, HIDDEN) * 0.03).requires_grad_()
    b1 = (torch.randn(HIDDEN) * 0.03).requires_grad_()
    w2 = (torch.randn(HIDDEN, CLASSES) * 0.03).requires_grad_()
    b2 = (torch.randn(CLASSES) * 0.03).requires_grad_()
    params = [w1, b1, w2, b2]
    # PyTorch adds eps to sqrt(v_hat), Keras to sqrt(v) with the correction folded into the step:
    # with eps = 1e-7 the difference is far below anything the accuracy can show.
    adam = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def forward(x):
        return torch.addmm(b2, torch.relu(torch.addmm(b1, x, w1)), w2)

    epoch_seconds = []
    last_loss = float("nan")
    n_train = train_x.shape[0]
    for _ in range(args.epochs):
        loss_sum = torch.zeros(())
        start = time.perf_counter()
        for _ in range(args.steps):
            idx = torch.randint(0, n_train, (args.batch,))
            x = train_x.index_select(0, idx)
            y = train_y.index_select(0, idx)
            loss = torch.nn.functional.cross_entropy(forward(x), y)
            adam.zero_grad(set_to_none=False)
            loss.backward()
            adam.step()
            loss_sum += loss.detach()
        epoch_seconds.append(time.perf_counter() - start)
        last_loss = loss_sum.item() / args.steps

    with torch.inference_mode():
        # Batch inference: the whole test set in one call, logits to predicted digits.
        batch_ms = []
        predictions = None
        for _ in range(6):
            start = time.perf_counter()
            predictions = forward(test_x).argmax(1)
            batch_ms.append((time.perf_counter() - start) * 1e3)
        accuracy = (predictions == test_y).float().mean().item()

        # Single-image latency: one image in, one digit out, cycling through the test set.
        n_test = test_x.shape[0]
        for i in range(500):
            forward(test_x[i:i + 1]).argmax(1).item()
        single_ns = []
        for i in range(args.single_calls):
            j = i % n_test
            start = time.perf_counter_ns()
            forward(test_x[j:j + 1]).argmax(1).item()
            single_ns.append(time.perf_counter_ns() - start)

    if args.export_onnx:
        export_onnx(args.export_onnx, w1, b1, w2, b2)

    median_epoch = statistics.median(epoch_seconds)
    result = {
        "system": "PyTorch",
        "version": f"torch {torch.__version__}",
        "threads": args.threads,
        "epochs": args.epochs,
        "steps_per_epoch": args.steps,
        "epoch_s": epoch_seconds,
        "epoch_median_s": median_epoch,
        "epoch_min_s": min(epoch_seconds),
        "epoch_max_s": max(epoch_seconds),
        "step_ms": median_epoch / args.steps * 1e3,
        "infer1_us": statistics.median(single_ns) / 1e3,
        "infer_batch_ms": statistics.median(batch_ms[1:]),
        # Tensors live in C++ memory that tracemalloc does not see: no meaningful Python figure.
        "alloc_step_bytes": None,
        "alloc_infer_bytes": None,
        "peak_rss_mib": peak_rss_mib(),
        "accuracy": accuracy,
        "final_loss": last_loss,
        "blas": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
