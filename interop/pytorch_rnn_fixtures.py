#!/usr/bin/python3
"""PyTorch's nn.LSTM and nn.GRU at odd sizes, for SourceNet's recurrent layers.

  /usr/bin/python3 interop/pytorch_rnn_fixtures.py

Writes, under tests/SourceNet.Interop.Tests/Fixtures, two files per case:
  {case}.safetensors       the module's state_dict, exactly (names, shapes and F32 dtype as PyTorch has them)
  {case}_data.safetensors  x [5, 3, 5] F32 (5 sequences of 3 steps of 5 features, batch_first) and output, the
                           module's output for x
Cases (each is the network the C# test compiles, tests/SourceNet.Integration.Tests/Graphs/RecurrentFixtureTests.cs):
  lstm_last       nn.LSTM(5, 7) -> the last step's h -> nn.Linear(7, 4) (lstm.*, logits.*); output [5, 4]
  lstm_sequences  nn.LSTM(5, 7), every step's h, flattened; output [5, 21]
  gru_last        nn.GRU(5, 7) -> the last step's h -> nn.Linear(7, 4) (gru.*, logits.*); output [5, 4]
  gru_sequences   nn.GRU(5, 7), every step's h, flattened; output [5, 21]
PyTorch's own initialisation, seeded; the initial state is zeros (PyTorch's default when none is given).
"""
import os

import numpy as np
import torch
from torch import nn

import safetensors_np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "SourceNet.Interop.Tests", "Fixtures")
SAMPLES, STEPS, FEATURES, UNITS, CLASSES = 5, 3, 5, 7, 4


class RecurrentNet(nn.Module):
    """A recurrent layer named after its kind (lstm or gru), then the logits of its last state or every step flattened."""

    def __init__(self, kind, sequences):
        super().__init__()
        self.kind = kind
        self.sequences = sequences
        setattr(self, kind, (nn.LSTM if kind == "lstm" else nn.GRU)(FEATURES, UNITS, batch_first=True))
        if not sequences:
            self.logits = nn.Linear(UNITS, CLASSES)

    def forward(self, x):
        y, _ = getattr(self, self.kind)(x)
        if self.sequences:
            return y.reshape(x.shape[0], -1)
        return self.logits(y[:, -1])


def make_case(name, kind, sequences, seed):
    torch.manual_seed(seed)
    net = RecurrentNet(kind, sequences)
    x = torch.from_numpy(np.random.default_rng(seed).standard_normal((SAMPLES, STEPS, FEATURES)).astype(np.float32))
    with torch.no_grad():
        output = net(x)
    state = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    safetensors_np.save(os.path.join(FIXTURES, name + ".safetensors"), state)
    safetensors_np.save(os.path.join(FIXTURES, name + "_data.safetensors"), {"x": x.numpy(), "output": output.numpy()})
    print(name, {k: list(v.shape) for k, v in state.items()}, "output", list(output.shape))


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    make_case("lstm_last", "lstm", False, 17)
    make_case("lstm_sequences", "lstm", True, 18)
    make_case("gru_last", "gru", False, 19)
    make_case("gru_sequences", "gru", True, 20)
