#!/usr/bin/python3
"""PyTorch peer of bench/compare-resnet.sh: the residual network of samples/MnistResNet/MnistResNet.cs, timed.

Stem conv 3x3x16 same + BN + ReLU; stage 1 (28x28x16): conv-BN-ReLU, conv-BN, + the stem's output, ReLU; stages 2
and 3 (14x14x32, 7x7x64): a stride-2 conv-BN-ReLU, conv-BN, + a 1x1 stride-2 conv-BN projection of the stage's input,
ReLU; global average pooling; dense 10 logits. Softmax cross-entropy; Adam (lr 1e-3, betas .9/.999, eps 1e-7);
weights N(0, std) with MnistResNet.cs's per-layer stds, biases 0, BN gamma 1 and beta 0 (PyTorch's defaults, as
SourceNet's), BN momentum 0.1 and eps 1e-5; batches of 50 drawn uniformly with replacement, no augmentation.
Prints one line: ``RESULT {json}``.

The module's attribute names are SourceNet's camelCased property names, so its state_dict is the one SourceNet's
safetensors file holds (``stem.weight``, ``stemNorm.running_mean``, ..., ``output.bias``); interop/
pytorch_resnet_fixtures.py uses it for the fixtures in both directions.

Run it with Debian's /usr/bin/python3 and set OMP_NUM_THREADS and OPENBLAS_NUM_THREADS before Python starts
(compare-resnet.sh does): Debian's torch does not pass torch.set_num_threads on to OpenBLAS.
"""

import argparse
import json
import os
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F

from pytorch_cnn import load_mnist, peak_rss_mib

# The initial standard deviations written in samples/MnistResNet/MnistResNet.cs (He et al.: sqrt(2 / fan-in)).
INIT_STD = {
    "stem": 0.4714,
    "block1Conv1": 0.1179, "block1Conv2": 0.1179,
    "block2Conv1": 0.1179, "block2Conv2": 0.0833, "block2Shortcut": 0.3536,
    "block3Conv1": 0.0833, "block3Conv2": 0.0589, "block3Shortcut": 0.25,
    "output": 0.125,
}


def same_stride2(x):
    """TensorFlow's "Same" padding for a 3x3 stride-2 convolution on an even size: out = in / 2, the one padding
    row and column after the image (bottom, right); PyTorch's padding=1 would put one on each side."""
    return F.pad(x, (0, 1, 0, 1))


class MnistResNet(nn.Module):
    """The sample's network; input [N, 784] channels-last (as SourceNet takes it), computed in NCHW."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, padding=1)
        self.stemNorm = nn.BatchNorm2d(16)
        self.block1Conv1 = nn.Conv2d(16, 16, 3, padding=1)
        self.block1Norm1 = nn.BatchNorm2d(16)
        self.block1Conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.block1Norm2 = nn.BatchNorm2d(16)
        self.block2Conv1 = nn.Conv2d(16, 32, 3, stride=2, padding=0)
        self.block2Norm1 = nn.BatchNorm2d(32)
        self.block2Conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.block2Norm2 = nn.BatchNorm2d(32)
        self.block2Shortcut = nn.Conv2d(16, 32, 1, stride=2)
        self.block2ShortcutNorm = nn.BatchNorm2d(32)
        self.block3Conv1 = nn.Conv2d(32, 64, 3, stride=2, padding=0)
        self.block3Norm1 = nn.BatchNorm2d(64)
        self.block3Conv2 = nn.Conv2d(64, 64, 3, padding=1)
        self.block3Norm2 = nn.BatchNorm2d(64)
        self.block3Shortcut = nn.Conv2d(32, 64, 1, stride=2)
        self.block3ShortcutNorm = nn.BatchNorm2d(64)
        self.output = nn.Linear(64, 10)
        for name, std in INIT_STD.items():
            layer = getattr(self, name)
            nn.init.normal_(layer.weight, 0.0, std)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        # [N, 784] is [N, 28, 28, 1] channels-last; with one channel that is also [N, 1, 28, 28].
        x = x.reshape(-1, 28, 28, 1).permute(0, 3, 1, 2)
        stem = torch.relu(self.stemNorm(self.stem(x)))
        y = torch.relu(self.block1Norm1(self.block1Conv1(stem)))
        block1 = torch.relu(self.block1Norm2(self.block1Conv2(y)) + stem)
        y = torch.relu(self.block2Norm1(self.block2Conv1(same_stride2(block1))))
        y = self.block2Norm2(self.block2Conv2(y))
        block2 = torch.relu(y + self.block2ShortcutNorm(self.block2Shortcut(block1)))
        y = torch.relu(self.block3Norm1(self.block3Conv1(same_stride2(block2))))
        y = self.block3Norm2(self.block3Conv2(y))
        block3 = torch.relu(y + self.block3ShortcutNorm(self.block3Shortcut(block2)))
        return self.output(block3.mean(dim=(2, 3)))


def adam(model):
    # PyTorch adds eps to sqrt(v_hat), Keras and SourceNet to sqrt(v): with eps = 1e-7 the two differ
    # only while sqrt(v) is near 1e-7.
    return torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)


def train_step(model, optimizer, images, labels):
    loss = F.cross_entropy(model(images), labels)
    optimizer.zero_grad(set_to_none=False)
    loss.backward()
    optimizer.step()
    return loss.detach()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--steps", type=int, default=0, help="steps per epoch; 0: 60000 / batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=0, help="untimed training steps before the first epoch")
    parser.add_argument("--no-eval", action="store_true", help="skip the test-set accuracy (a quick timing run)")
    args = parser.parse_args()
    steps = args.steps or 60000 // args.batch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y, test_x, test_y = load_mnist(args.data)
    # The model takes SourceNet's [N, 784] rows (load_mnist gives [N, 1, 28, 28]: the same pixels in the same order).
    train_x, test_x = train_x.reshape(-1, 784), test_x.reshape(-1, 784)
    model = MnistResNet()
    optimizer = adam(model)

    epoch_seconds = []
    last_loss = float("nan")
    n_train = train_x.shape[0]
    model.train()
    # Untimed steps first, for short runs: first calls allocate and pick kernels.
    for _ in range(args.warmup):
        idx = torch.randint(0, n_train, (args.batch,))
        train_step(model, optimizer, train_x.index_select(0, idx), train_y.index_select(0, idx))
    for _ in range(args.epochs):
        loss_sum = torch.zeros(())
        start = time.perf_counter()
        for _ in range(steps):
            idx = torch.randint(0, n_train, (args.batch,))
            loss_sum += train_step(model, optimizer, train_x.index_select(0, idx), train_y.index_select(0, idx))
        epoch_seconds.append(time.perf_counter() - start)
        last_loss = loss_sum.item() / steps

    # Test accuracy in chunks of the training batch size, with the running statistics (eval mode), as SourceNet's
    # Evaluate runs.
    model.eval()
    start = time.perf_counter()
    correct = 0
    if not args.no_eval:
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
        "warmup_steps": args.warmup,
        "batch": args.batch,
        "epoch_s": epoch_seconds,
        "epoch_median_s": median_epoch,
        "epoch_min_s": min(epoch_seconds),
        "epoch_max_s": max(epoch_seconds),
        "step_ms": median_epoch / steps * 1e3,
        "steps_per_s": steps / median_epoch,
        "eval_s": eval_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "accuracy": None if args.no_eval else correct / test_x.shape[0],
        "final_loss": last_loss,
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
