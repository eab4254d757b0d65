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

    describe = lambda precision: {
        "kind": kind, "size": size, "precision": precision, "torch": torch.__version__,
        **{k: str(v) for k, v in dims.items()},
    }
    write_precisions(os.path.join(directory, f"{kind}_{size}"), model,
                     lambda: Model(kind, dims["inputs"], hidden, dims["outputs"]), loss_and_gradients,
                     describe, model.state_names(), (x, dl_dy), state, dl_dfinal)


def write_precisions(stem, model, create, run, describe, state_names, data, state, dl_dfinal):
    """For float64 and float32: a new model (create()) holding `model`'s weights rounded to the precision, run on
    the window rounded alike by run(model, x, state, dl_dy, dl_dfinal) -> (y, final, gradients, state_gradients),
    and saved by save_window as {stem}_{f64|f32}, with the metadata describe(precision)."""
    for precision, dtype in (("f64", torch.float64), ("f32", torch.float32)):
        typed = create().to(dtype)
        typed.load_state_dict({k: v.to(dtype) for k, v in model.state_dict().items()})
        cast = lambda t: t.to(dtype)
        x, dl_dy = map(cast, data)
        typed_state, typed_dl_dfinal = tuple(map(cast, state)), tuple(map(cast, dl_dfinal))
        results = run(typed, x, typed_state, dl_dy, typed_dl_dfinal)
        save_window(f"{stem}_{precision}", typed, describe(precision), state_names, (x, dl_dy),
                    typed_state, typed_dl_dfinal, results)


def save_window(stem, model, metadata, state_names, data, state, dl_dfinal, results):
    """Writes {stem}.weights.safetensors (the model's state_dict) and {stem}.reference.safetensors (the window:
    data = (input, loss.dL_dy), the initial state and loss.dL_d{s}_n per state part s, and the results
    (output, final state, parameter gradients, initial-state gradients)), both with the given metadata."""
    x, dl_dy = data
    y, final, gradients, state_gradients = results
    metadata = {**metadata, "loss": "sum(loss.dL_dy * output) + sum over states s of sum(loss.dL_d{s}_n * {s}_n)"}
    safetensors_io.save(stem + ".weights.safetensors", model.state_dict(), metadata)

    reference = {"input": x}
    reference.update({f"{s}0": value for s, value in zip(state_names, state)})
    reference["loss.dL_dy"] = dl_dy
    reference.update({f"loss.dL_d{s}_n": value for s, value in zip(state_names, dl_dfinal)})
    reference["output"] = y
    reference.update({f"{s}_n": value for s, value in zip(state_names, final)})
    reference.update({f"grad.{name}": value for name, value in gradients.items()})
    reference.update({f"grad.{s}0": value for s, value in zip(state_names, state_gradients)})
    safetensors_io.save(stem + ".reference.safetensors", reference, metadata)
    print(f"  {os.path.basename(stem)}: {sum(p.numel() for p in model.parameters())} parameters, "
          f"|y| max {y.abs().max().item():.3g}, |grad| max {max(g.abs().max().item() for g in gradients.values()):.3g}")
