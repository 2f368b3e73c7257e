#!/usr/bin/python3
"""PyTorch's nn.Embedding and an nn.Linear applied at every step, for SourceNet's Embedding tests.

  /usr/bin/python3 interop/pytorch_embedding_fixtures.py

The model is the network the C# test compiles (tests/SourceNet.Integration.Tests/Sequences/EmbeddingFixtureTests.cs):
token ids [n, 6] -> nn.Embedding(11, 5) -> nn.Linear(5, 7) on the last axis -> logits [n, 6, 7], trained with
softmax cross-entropy at every step (the mean over samples and steps). Writes two files under
tests/SourceNet.Interop.Tests/Fixtures:

  embedding_lm.safetensors     the state_dict as PyTorch names and lays it out:
                               embed.weight [11, 5], logits.weight [7, 5] ([out, in]), logits.bias [7]
  embedding_lm_io.safetensors  tokens [4, 6] I64 (ids repeat, and one id of the vocabulary never occurs),
                               labels [4, 6] I64, logits [4, 6, 7] F32, loss [] F32, and the gradients of the loss:
                               grad.embed.weight [11, 5], grad.logits.weight [7, 5], grad.logits.bias [7]
"""
import os

import numpy as np
import torch
from torch import nn

import safetensors_np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "SourceNet.Interop.Tests", "Fixtures")
VOCABULARY, DIMENSION, CLASSES, STEPS, SAMPLES = 11, 5, 7, 6, 4


class EmbeddingLm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCABULARY, DIMENSION)
        self.logits = nn.Linear(DIMENSION, CLASSES)

    def forward(self, tokens):
        return self.logits(self.embed(tokens))


def main():
    torch.set_num_threads(1)
    torch.manual_seed(23)
    rng = np.random.default_rng(23)
    model = EmbeddingLm()
    # Ids 0..9 only: row 10 of the table gets no gradient, which the test checks too.
    tokens = rng.integers(0, VOCABULARY - 1, (SAMPLES, STEPS)).astype(np.int64)
    labels = rng.integers(0, CLASSES, (SAMPLES, STEPS)).astype(np.int64)
    logits = model(torch.from_numpy(tokens))
    loss = nn.functional.cross_entropy(logits.reshape(-1, CLASSES), torch.from_numpy(labels).reshape(-1))
    loss.backward()

    state = {key: value.detach().numpy().copy() for key, value in model.state_dict().items()}
    os.makedirs(FIXTURES, exist_ok=True)
    safetensors_np.save(os.path.join(FIXTURES, "embedding_lm.safetensors"), state, {"format": "pt", "torch": torch.__version__})
    io = {
        "tokens": tokens,
        "labels": labels,
        "logits": logits.detach().numpy().copy(),
        "loss": np.float32(loss.item()),
    }
    for key in state:
        io["grad." + key] = model.get_parameter(key).grad.numpy().copy()
    safetensors_np.save(os.path.join(FIXTURES, "embedding_lm_io.safetensors"), io, {"format": "pt", "torch": torch.__version__})
    print(f"embedding_lm: Embedding({VOCABULARY}, {DIMENSION}) -> Linear({DIMENSION}, {CLASSES}) per step on "
          f"[{SAMPLES}, {STEPS}] ids; loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
