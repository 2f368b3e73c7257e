#!/usr/bin/python3
"""PyTorch side of the MnistResNet interop tests (samples/MnistResNet; the module is bench/peers/pytorch_resnet.py).

  /usr/bin/python3 interop/pytorch_resnet_fixtures.py fixtures
      Initialises the network as the sample does (normal with MnistResNet.cs's stds, biases 0, BN gamma 1 beta 0),
      trains it 3 steps (Adam 1e-3, batches of 50 MNIST training images) so the running statistics are not 0 and 1,
      and writes under tests/SourceNet.Interop.Tests/Fixtures:
        mnist_resnet.safetensors       its whole state_dict: every weight, bias, running_mean, running_var (F32)
                                       and num_batches_tracked (I64, shape [], value 3)
        mnist_resnet_logits.safetensors "images" [8, 784] F32: the first 8 MNIST test images /255, channels-last
                                       (SourceNet's input rows); "logits" [8, 10] F32: PyTorch's eval-mode output
      The C# tests load both and need no PyTorch.

  /usr/bin/python3 interop/pytorch_resnet_fixtures.py check MODEL.safetensors [LOGITS.safetensors]
      The reverse: loads a state_dict that SourceNet wrote into the module with load_state_dict(strict=True) and
      prints its eval-mode logits for the fixture's 8 images; with LOGITS (tensor "logits" [8, 10], SourceNet's
      Forward on the same images) it compares them and prints OK or MISMATCH.

Needs only Debian's python3-torch and python3-numpy: safetensors files are read and written by interop/safetensors_np.py.
"""
import gzip
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

import safetensors_np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench", "peers"))
from pytorch_resnet import MnistResNet, adam, train_step  # noqa: E402 (the module lives with the benchmark)

MNIST = os.path.join(ROOT, "data", "mnist")
FIXTURES = os.path.join(ROOT, "tests", "SourceNet.Interop.Tests", "Fixtures")
MODEL = os.path.join(FIXTURES, "mnist_resnet.safetensors")
LOGITS = os.path.join(FIXTURES, "mnist_resnet_logits.safetensors")
IMAGES = 8
STEPS = 3
BATCH = 50
# Logits are sums over ~80,000 products through five batch normalisations: float32 rounding in a different order
# moves them by about 1e-5 of their size.
TOLERANCE = 1e-4


def read_idx(name):
    with gzip.open(os.path.join(MNIST, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols).astype(np.float32) / 255.0
    return np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64)


def eval_logits(model, images):
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(images)).numpy()


def make_fixtures():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    images, labels = read_idx("train-images-idx3-ubyte.gz"), read_idx("train-labels-idx1-ubyte.gz")
    model = MnistResNet()
    optimizer = adam(model)
    rng = np.random.default_rng(0)
    model.train()
    for _ in range(STEPS):
        batch = rng.integers(0, len(labels), BATCH)
        loss = train_step(model, optimizer, torch.from_numpy(images[batch]), torch.from_numpy(labels[batch]))
    test = read_idx("t10k-images-idx3-ubyte.gz")[:IMAGES]
    logits = eval_logits(model, test)
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    os.makedirs(FIXTURES, exist_ok=True)
    safetensors_np.save(MODEL, state, {"format": "pt", "torch": torch.__version__, "steps": str(STEPS)})
    safetensors_np.save(LOGITS, {"images": test, "logits": logits})
    print(f"torch {torch.__version__}: {STEPS} training steps of {BATCH}, last loss {loss.item():.4f}")
    print(f"wrote {len(state)} tensors ({sum(v.size for v in state.values())} values) to {MODEL} "
          f"({os.path.getsize(MODEL)} bytes), images [{IMAGES}, 784] and logits [{IMAGES}, 10] to {LOGITS}")
    print("stemNorm.running_mean[:4]", np.round(state["stemNorm.running_mean"][:4], 5).tolist(),
          "running_var[:4]", np.round(state["stemNorm.running_var"][:4], 5).tolist())
    print("logits[0]", np.round(logits[0], 5).tolist(), "argmax", logits.argmax(1).tolist())


def check(model_path, logits_path=None):
    state = {k: torch.from_numpy(v) for k, v in safetensors_np.load(model_path).items()}
    model = MnistResNet()
    # load_state_dict(strict=True) lets a BatchNorm's num_batches_tracked be missing (it fills in 0 for state_dicts
    # from before PyTorch 0.4.1), so the names are compared first: the file must hold exactly the module's state_dict.
    expected_names = set(model.state_dict())
    missing, extra = sorted(expected_names - set(state)), sorted(set(state) - expected_names)
    if missing or extra:
        print(f"{model_path}: the state_dict's names differ from the module's: missing {missing or 'none'}; "
              f"unexpected {extra or 'none'}")
        print("MISMATCH")
        return 1
    # Every shape must match too (strict: no missing or extra tensors).
    model.load_state_dict(state, strict=True)
    print(f"loaded {len(state)} tensors into nn.Module (strict), num_batches_tracked of stemNorm: "
          f"{int(model.stemNorm.num_batches_tracked)}")
    fixture = safetensors_np.load(LOGITS)
    logits = eval_logits(model, fixture["images"])
    np.set_printoptions(precision=5, suppress=True, linewidth=150)
    print(f"eval-mode logits for the fixture's {IMAGES} images:")
    print(logits)
    if logits_path is None:
        return 0
    expected = safetensors_np.load(logits_path)["logits"]
    difference = np.abs(logits - expected).max()
    scale = max(1.0, float(np.abs(expected).max()))
    same_argmax = int((logits.argmax(1) == expected.argmax(1)).sum())
    print(f"{len(expected)} images: same argmax on {same_argmax}, max |logit difference| {difference:.3g} "
          f"(largest |logit| {np.abs(expected).max():.3g})")
    ok = same_argmax == len(expected) and difference <= TOLERANCE * scale
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "fixtures":
        make_fixtures()
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "check":
        sys.exit(check(*sys.argv[2:]))
    else:
        print(__doc__)
        sys.exit(2)
