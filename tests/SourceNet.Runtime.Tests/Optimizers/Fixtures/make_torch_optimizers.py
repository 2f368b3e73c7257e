#!/usr/bin/env python3
"""Writes torch_optimizers.json: what PyTorch's optimizers, schedulers and clip_grad_norm_ do to two small
parameters given fixed gradients, for OptimizerAgainstPyTorchTests. The gradients are inputs (no model, no loss),
so the fixture checks only the update rules.

Run with Debian's python3 (apt-get install python3-torch), from this folder:
    /usr/bin/python3 make_torch_optimizers.py
"""
import json
import math

import torch

torch.manual_seed(20261206)
SHAPES = {"weight": (3, 5), "bias": (5,)}
STEPS = 9


def values(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def initial_parameters():
    g = torch.Generator().manual_seed(1)
    return {name: torch.randn(shape, generator=g) * 0.5 for name, shape in SHAPES.items()}


def gradients():
    # Step-dependent scales, so that clipping both does and does not apply.
    g = torch.Generator().manual_seed(2)
    return [{name: torch.randn(shape, generator=g) * (0.2 + 0.6 * (step % 3)) for name, shape in SHAPES.items()}
            for step in range(STEPS)]


GRADIENTS = gradients()


def run(make_optimizer, make_scheduler=None, max_norm=None):
    start = initial_parameters()
    params = {name: torch.nn.Parameter(t.clone()) for name, t in start.items()}
    ordered = [params["weight"], params["bias"]]
    optimizer = make_optimizer(ordered)
    scheduler = make_scheduler(optimizer) if make_scheduler else None
    steps = []
    for step in range(STEPS):
        for name, p in params.items():
            p.grad = GRADIENTS[step][name].clone()
        record = {"learning_rate": optimizer.param_groups[0]["lr"]}
        if max_norm is not None:
            record["norm"] = float(torch.nn.utils.clip_grad_norm_(ordered, max_norm))
        optimizer.step()
        if scheduler:
            scheduler.step()
        record.update({name: values(p) for name, p in params.items()})
        steps.append(record)
    return steps


W, T, FLOOR = 3, 8, 0.001


def cosine_with_warmup(optimizer):
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0 / W, end_factor=1.0, total_iters=W - 1)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T - W, eta_min=FLOOR)
    return torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[W])


cases = {
    "adamw": {
        "settings": {"learning_rate": 0.01, "weight_decay": 0.1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
        "steps": run(lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
    },
    "adamw_cosine_clipped": {
        "settings": {"learning_rate": 0.02, "weight_decay": 0.05, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
                     "warmup_steps": W, "total_steps": T, "min_learning_rate": FLOOR, "max_norm": 1.5},
        "steps": run(lambda p: torch.optim.AdamW(p, lr=0.02, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05),
                     cosine_with_warmup, max_norm=1.5),
    },
    "sgd_momentum_step_decay": {
        "settings": {"learning_rate": 0.1, "momentum": 0.9, "step_size": 3, "gamma": 0.5},
        "steps": run(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
                     lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    },
}

fixture = {
    "torch_version": torch.__version__,
    "initial": {name: values(t) for name, t in initial_parameters().items()},
    "gradients": [{name: values(t) for name, t in step.items()} for step in GRADIENTS],
    "cases": cases,
}
with open("torch_optimizers.json", "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote torch_optimizers.json with torch", torch.__version__)
