"""Writes the PyTorch reference fixtures that Generator.Tests/PyTorch compares the generated cells with.

For every kind (nn.RNN tanh, nn.RNN relu, nn.LSTM, nn.GRU, each with an nn.Linear head) and size, and for
float64 and float32, two files:

  {kind}_{size}_{f64|f32}.weights.safetensors    the model's state_dict (rnn.weight_ih_l0, ..., head.bias)
  {kind}_{size}_{f64|f32}.reference.safetensors  one window of k2 steps:
      input [k2, In], h0 [H] (and c0), loss.dL_dy [k2, Out], loss.dL_dh_n [H] (and loss.dL_dc_n),
      output [k2, Out], h_n [H] (and c_n), grad.<parameter name> for every parameter, grad.h0 (and grad.c0)

for the loss L = sum_t sum_o dL_dy[t, o] y[t, o] + sum(dL_dh_n * h_n) (+ sum(dL_dc_n * c_n)). The float32
model is the float64 one rounded to float32, run on the rounded inputs: the float32 reference is PyTorch's
own float32 arithmetic.
"""

import os

import torch

import safetensors_io
from models import KINDS, Model, loss_and_gradients

SIZES = {
    "small": dict(inputs=3, hidden=5, outputs=2, steps=4),
    "large": dict(inputs=16, hidden=32, outputs=4, steps=8),
}


def write_all(directory):
    os.makedirs(directory, exist_ok=True)
    for kind_index, kind in enumerate(KINDS):
        for size_index, (size, dims) in enumerate(SIZES.items()):
            torch.manual_seed(1000 + 10 * kind_index + size_index)
            write_one(directory, kind, size, dims)


def write_one(directory, kind, size, dims):
    model = Model(kind, dims["inputs"], dims["hidden"], dims["outputs"]).double()
    steps, hidden = dims["steps"], dims["hidden"]
    x = torch.randn(steps, dims["inputs"], dtype=torch.float64)
    state = tuple(0.5 * torch.randn(hidden, dtype=torch.float64) for _ in model.state_names())
    dl_dy = torch.randn(steps, dims["outputs"], dtype=torch.float64)
    dl_dfinal = tuple(torch.randn(hidden, dtype=torch.float64) for _ in model.state_names())

    for precision, dtype in (("f64", torch.float64), ("f32", torch.float32)):
        typed = Model(kind, dims["inputs"], hidden, dims["outputs"]).to(dtype)
        typed.load_state_dict({k: v.to(dtype) for k, v in model.state_dict().items()})
        cast = lambda t: t.to(dtype)
        y, final, gradients, state_gradients = loss_and_gradients(
            typed, cast(x), tuple(map(cast, state)), cast(dl_dy), tuple(map(cast, dl_dfinal)))

        stem = os.path.join(directory, f"{kind}_{size}_{precision}")
        metadata = {
            "kind": kind, "size": size, "precision": precision, "torch": torch.__version__,
            **{k: str(v) for k, v in dims.items()},
            "loss": "sum(loss.dL_dy * output) + sum over states s of sum(loss.dL_d{s}_n * {s}_n)",
        }
        safetensors_io.save(stem + ".weights.safetensors", typed.state_dict(), metadata)

        reference = {"input": cast(x)}
        for name, value in zip(typed.state_names(), state):
            reference[f"{name}0"] = cast(value)
        reference["loss.dL_dy"] = cast(dl_dy)
        for name, value in zip(typed.state_names(), dl_dfinal):
            reference[f"loss.dL_d{name}_n"] = cast(value)
        reference["output"] = y
        for name, value in zip(typed.state_names(), final):
            reference[f"{name}_n"] = value
        for name, value in gradients.items():
            reference[f"grad.{name}"] = value
        for name, value in zip(typed.state_names(), state_gradients):
            reference[f"grad.{name}0"] = value
        safetensors_io.save(stem + ".reference.safetensors", reference, metadata)
        print(f"  {os.path.basename(stem)}: {sum(p.numel() for p in typed.parameters())} parameters, "
              f"|y| max {y.abs().max().item():.3g}, |grad| max {max(g.abs().max().item() for g in gradients.values()):.3g}")
