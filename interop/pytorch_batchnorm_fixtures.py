#!/usr/bin/python3
"""PyTorch's batch normalisation running statistics, for SourceNet's BatchNorm tests.

  /usr/bin/python3 interop/pytorch_batchnorm_fixtures.py

Writes three files under tests/SourceNet.Interop.Tests/Fixtures, one per case:
  batchnorm_image.safetensors          nn.BatchNorm2d(5), PyTorch's defaults (momentum 0.1, eps 1e-5)
  batchnorm_image_momentum.safetensors nn.BatchNorm2d(5, momentum=0.25, eps=1e-3)
  batchnorm_vector.safetensors         nn.BatchNorm1d(6, momentum=0.3, eps=1e-5)
Each case is the network the C# test compiles (tests/SourceNet.Integration.Tests/Graphs/BatchNormFixtureTests.cs):
batch normalisation on the input, then (images only) global average pooling, then a dense layer of 2 logits and
softmax cross-entropy. Five training-mode steps run on fixed batches of 4, 3, 4, 2 and 4 samples, without an
optimizer (γ, β and the dense layer keep their values), so the running statistics depend on the batches alone.

Tensors (images are channels-last [n, H=3, W=4, C=5], as SourceNet holds them; PyTorch's NCHW is a permutation):
  batch{i}.x [n, 3, 4, 5] or [n, 6] F32, batch{i}.labels [n] I64, batch{i}.loss [] F32   (i = 0..4)
  norm.weight, norm.bias [C] F32: γ and β (not 1 and 0, so the output checks them)
  logits.weight [2, C] F32 (PyTorch's [out, in]), logits.bias [2] F32
  norm.running_mean, norm.running_var [C] F32, norm.num_batches_tracked [] I64: after the five steps
  last.output: the normalised training-mode output of batch 4 (same shape as batch4.x)
  last.grad.norm.weight, last.grad.norm.bias, last.grad.logits.weight, last.grad.logits.bias: the gradients of
      batch 4's mean loss
The header's __metadata__ holds momentum, eps and the batch sizes.
"""
import os

import numpy as np
import torch
from torch import nn

import safetensors_np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "SourceNet.Interop.Tests", "Fixtures")
BATCH_SIZES = [4, 3, 4, 2, 4]
CLASSES = 2


class NormNet(nn.Module):
    """BatchNorm on the input, global average pooling for images, dense 2: the C# test's network."""

    def __init__(self, channels, image, momentum, eps):
        super().__init__()
        self.image = image
        self.norm = (nn.BatchNorm2d if image else nn.BatchNorm1d)(channels, momentum=momentum, eps=eps)
        self.logits = nn.Linear(channels, CLASSES)

    def forward(self, x):
        # x: channels-last, as stored; the normalisation runs on NCHW (or [n, F]) and its output is given back
        # channels-last too.
        if self.image:
            y = self.norm(x.permute(0, 3, 1, 2))
            return self.logits(y.mean(dim=(2, 3))), y.permute(0, 2, 3, 1)
        y = self.norm(x)
        return self.logits(y), y


def make_case(name, shape, momentum, eps, seed):
    rng = np.random.default_rng(seed)
    channels = shape[-1]
    image = len(shape) == 3
    # Per-channel offsets and scales, so that the running statistics move far from 0 and 1.
    offsets = rng.uniform(-3.0, 3.0, channels)
    scales = rng.uniform(0.5, 2.5, channels)
    model = NormNet(channels, image, momentum, eps)
    with torch.no_grad():
        model.norm.weight.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, channels).astype(np.float32)))
        model.norm.bias.copy_(torch.from_numpy(rng.uniform(-0.5, 0.5, channels).astype(np.float32)))
        model.logits.weight.copy_(torch.from_numpy(rng.normal(0.0, 0.7, (CLASSES, channels)).astype(np.float32)))
        model.logits.bias.copy_(torch.from_numpy(rng.normal(0.0, 0.2, CLASSES).astype(np.float32)))
    tensors = {
        "norm.weight": model.norm.weight.detach().numpy().copy(),
        "norm.bias": model.norm.bias.detach().numpy().copy(),
        "logits.weight": model.logits.weight.detach().numpy().copy(),
        "logits.bias": model.logits.bias.detach().numpy().copy(),
    }
    model.train()
    for i, n in enumerate(BATCH_SIZES):
        x = (rng.normal(0.0, 1.0, (n, *shape)) * scales + offsets).astype(np.float32)
        labels = rng.integers(0, CLASSES, n)
        model.zero_grad()
        logits, output = model(torch.from_numpy(x))
        loss = nn.functional.cross_entropy(logits, torch.from_numpy(labels))
        loss.backward()
        tensors[f"batch{i}.x"] = x
        tensors[f"batch{i}.labels"] = labels.astype(np.int64)
        tensors[f"batch{i}.loss"] = np.float32(loss.item())
    tensors["norm.running_mean"] = model.norm.running_mean.numpy().copy()
    tensors["norm.running_var"] = model.norm.running_var.numpy().copy()
    tensors["norm.num_batches_tracked"] = np.int64(model.norm.num_batches_tracked.item())
    tensors["last.output"] = output.detach().contiguous().numpy()
    for key in ("norm.weight", "norm.bias", "logits.weight", "logits.bias"):
        tensors["last.grad." + key] = model.get_parameter(key).grad.numpy().copy()
    metadata = {"format": "pt", "torch": torch.__version__, "momentum": repr(momentum), "eps": repr(eps),
                "batch_sizes": ",".join(map(str, BATCH_SIZES)), "shape": ",".join(map(str, shape))}
    path = os.path.join(FIXTURES, name + ".safetensors")
    safetensors_np.save(path, tensors, metadata)
    print(f"{name}: {'BatchNorm2d' if image else 'BatchNorm1d'}({channels}, momentum={momentum}, eps={eps}) on {shape}, "
          f"running_mean {np.round(tensors['norm.running_mean'], 4).tolist()}, running_var "
          f"{np.round(tensors['norm.running_var'], 4).tolist()}, batches {tensors['norm.num_batches_tracked']}; "
          f"{os.path.getsize(path)} bytes")


def main():
    torch.set_num_threads(1)
    os.makedirs(FIXTURES, exist_ok=True)
    make_case("batchnorm_image", (3, 4, 5), 0.1, 1e-5, seed=16)
    make_case("batchnorm_image_momentum", (3, 4, 5), 0.25, 1e-3, seed=17)
    make_case("batchnorm_vector", (6,), 0.3, 1e-5, seed=18)


if __name__ == "__main__":
    main()
