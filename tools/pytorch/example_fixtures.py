"""Writes the fixtures that Generator.Tests/PyTorch/ExampleCellParityTests compares the docs/equations.md
examples with: for every module of example_cells.py, at two sizes, in float64 and float32, two files in
Generator.Tests/Fixtures/PyTorch/Examples:

  {Cell}_{size}_{f64|f32}.weights.safetensors    the module's state_dict, under the cell's parameter names
  {Cell}_{size}_{f64|f32}.reference.safetensors  one window of k2 steps, with fixtures.py's names:
      input [k2, input size], {s}0 for each state part s, loss.dL_dy [k2, Out], loss.dL_d{s}_n,
      output [k2, Out], {s}_n, grad.<parameter name> for every parameter, grad.{s}0

for the loss L = sum(dL_dy * y) + sum over the state parts s of sum(dL_d{s}_n * s_n). Both files' metadata
name the state parts in order ("states": "y,z"). As in fixtures.py, the float32 module is the float64 one
rounded, run on the rounded inputs and state: the float32 reference is PyTorch's float32 arithmetic.
"""

import os
import zlib

import torch

import fixtures
from example_cells import CELLS

SIZES = {
    "small": dict(inputs=3, hidden=5, outputs=2, steps=4),
    "large": dict(inputs=8, hidden=33, outputs=3, steps=6),
}


def write_all(directory, names=None):
    os.makedirs(directory, exist_ok=True)
    for name in names or CELLS:
        for size, dims in SIZES.items():
            torch.manual_seed(zlib.crc32(f"{name}_{size}".encode()))  # a fixture does not change when a cell is added
            write_one(directory, name, size, dims)


def run_window(module, x, state, dl_dy, dl_dfinal):
    """Runs the window and backpropagates L; returns y, the final state, dL/dparameters, dL/dstate."""
    module.zero_grad()
    state = tuple(s.detach().clone().requires_grad_(True) for s in state)
    current, outputs = state, []
    for t in range(x.shape[0]):
        y, current = module.step(x[t], current)
        outputs.append(y)
    y = torch.stack(outputs)
    loss = (dl_dy * y).sum() + sum((d * s).sum() for d, s in zip(dl_dfinal, current))
    loss.backward()
    gradients = {name: p.grad.detach().clone() for name, p in module.named_parameters()}
    return y.detach(), tuple(s.detach() for s in current), gradients, tuple(s.grad.detach() for s in state)


def write_one(directory, name, size, dims):
    cell = CELLS[name]
    module = cell(dims["inputs"], dims["hidden"], dims["outputs"])
    steps = dims["steps"]
    x = module.random_inputs(steps)
    state = module.initial_state()
    dl_dy = torch.randn(steps, dims["outputs"], dtype=torch.float64)
    dl_dfinal = tuple(torch.randn(dims["hidden"], dtype=torch.float64) for _ in cell.STATES)

    describe = lambda precision: {
        "cell": name, "size": size, "precision": precision, "torch": torch.__version__,
        "states": ",".join(cell.STATES), **{k: str(v) for k, v in dims.items()},
    }
    fixtures.write_precisions(os.path.join(directory, f"{name}_{size}"), module,
                              lambda: cell(dims["inputs"], dims["hidden"], dims["outputs"]), run_window,
                              describe, cell.STATES, (x, dl_dy), state, dl_dfinal)
