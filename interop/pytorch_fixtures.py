#!/usr/bin/python3
"""PyTorch side of SourceNet's interop tests.

  /usr/bin/python3 interop/pytorch_fixtures.py fixtures
      Trains the tutorial's network (784-300-10, ReLU) in PyTorch for a few hundred steps with a fixed seed and
      writes, under tests/SourceNet.Interop.Tests/Fixtures:
        mnist_mlp.safetensors         its state_dict (hidden.weight [300, 784], hidden.bias, output.weight, output.bias)
        mnist_mlp_logits.safetensors  "logits" [100, 10]: its output on the first 100 MNIST test images (/255)
      The C# tests load both and need no PyTorch.

  /usr/bin/python3 interop/pytorch_fixtures.py check MODEL.safetensors LOGITS.safetensors
      The reverse: loads a state_dict that SourceNet wrote into the same nn.Module and compares its logits on the
      first 100 test images with the ones SourceNet computed (LOGITS, tensor "logits" [100, 10]).

Needs only Debian's python3-torch and python3-numpy (apt-get install -y python3-torch python3-numpy): safetensors
files are read and written here by the published format, without the safetensors package.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST = os.path.join(ROOT, "data", "mnist")
FIXTURES = os.path.join(ROOT, "tests", "SourceNet.Interop.Tests", "Fixtures")
SAMPLES = 100


class MnistMlp(nn.Module):
    """The tutorial's network, with SourceNet's property names as attributes (Hidden -> hidden)."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 300)
        self.output = nn.Linear(300, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def read_idx(name):
    with gzip.open(os.path.join(MNIST, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols).astype(np.float32) / 255.0
    return np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64)


def save_safetensors(path, tensors):
    """The format: u64 little-endian header length, JSON header, raw little-endian row-major data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array, dtype="<f4")
        blob = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    start, tensors = 8 + length, {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", (name, entry["dtype"])
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[start + begin:start + end], dtype="<f4").reshape(entry["shape"]).copy()
    return tensors


def make_fixtures():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    images, labels = read_idx("train-images-idx3-ubyte.gz"), read_idx("train-labels-idx1-ubyte.gz")
    model = MnistMlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(0)
    for step in range(300):
        batch = rng.integers(0, len(labels), 100)
        loss = nn.functional.cross_entropy(model(torch.from_numpy(images[batch])), torch.from_numpy(labels[batch]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    test = read_idx("t10k-images-idx3-ubyte.gz")
    with torch.no_grad():
        logits = model(torch.from_numpy(test[:SAMPLES])).numpy()
        accuracy = (model(torch.from_numpy(test)).argmax(1).numpy() == read_idx("t10k-labels-idx1-ubyte.gz")).mean()
    os.makedirs(FIXTURES, exist_ok=True)
    save_safetensors(os.path.join(FIXTURES, "mnist_mlp.safetensors"), {k: v.numpy() for k, v in model.state_dict().items()})
    save_safetensors(os.path.join(FIXTURES, "mnist_mlp_logits.safetensors"), {"logits": logits})
    print(f"torch {torch.__version__}: trained 300 steps, loss {loss.item():.4f}, test accuracy {accuracy:.4f}")
    print("wrote", ", ".join(f"{k} {list(v.shape)}" for k, v in model.state_dict().items()), f"and logits [{SAMPLES}, 10] to {FIXTURES}")


def check(model_path, logits_path):
    state = {k: torch.from_numpy(v) for k, v in load_safetensors(model_path).items()}
    model = MnistMlp()
    model.load_state_dict(state, strict=True)  # every name and shape must match: no missing or extra tensors
    expected = load_safetensors(logits_path)["logits"]
    with torch.no_grad():
        logits = model(torch.from_numpy(read_idx("t10k-images-idx3-ubyte.gz")[:len(expected)])).numpy()
    difference = np.abs(logits - expected).max()
    same_argmax = (logits.argmax(1) == expected.argmax(1)).sum()
    print(f"loaded {', '.join(f'{k} {list(v.shape)}' for k, v in state.items())} into nn.Module (strict)")
    print(f"{len(expected)} images: same argmax on {same_argmax}, max |logit difference| {difference:.3g}")
    ok = same_argmax == len(expected) and difference <= 1e-5
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "fixtures":
        make_fixtures()
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
