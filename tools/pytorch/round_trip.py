"""Save here, load in PyTorch: runs tools/TorchRoundTrip (C#), which saves checkpoints through the library's
Checkpoint and OptimizerCheckpoint APIs, then loads each into the PyTorch model with
load_state_dict(strict=True), reproduces the C# outputs and final state, and reproduces an Adam update from
the saved optimizer state."""

import os
import subprocess
import tempfile

import torch

import safetensors_io
from models import KINDS, Model

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(REPOSITORY, "tools", "TorchRoundTrip")


def relative_difference(actual, expected):
    """max |a - b| / max |b|, over one tensor."""
    return ((actual - expected).abs().max() / expected.abs().max()).item()


def run():
    with tempfile.TemporaryDirectory(prefix="unrolledrnn-roundtrip-") as directory:
        subprocess.run(["dotnet", "run", "--project", TOOL, "-c", "Release", "--", directory], check=True)
        worst = 0.0
        for precision, dtype in (("f32", torch.float32), ("f64", torch.float64)):
            for kind in KINDS:
                worst = max(worst, check(directory, kind, precision, dtype))
    print(f"round trip: worst relative difference {worst:.2e}")
    return worst


def check(directory, kind, precision, dtype):
    stem = os.path.join(directory, f"{kind}_{precision}")
    parameters, metadata = safetensors_io.load(stem + ".checkpoint.safetensors")
    io, _ = safetensors_io.load(stem + ".io.safetensors")
    hidden, inputs = io["h0"].shape[0], io["input"].shape[1]
    model = Model(kind, inputs, hidden, io["output"].shape[1]).to(dtype)
    model.load_state_dict(parameters, strict=True)  # names, shapes: exactly PyTorch's
    for name, tensor in parameters.items():
        assert tensor.dtype == dtype, f"{name}: {tensor.dtype}, expected {dtype}"

    with torch.no_grad():
        state = tuple(io[f"{s}0"] for s in model.state_names())
        y, final = model(io["input"], state)
    output_difference = relative_difference(y, io["output"])
    state_difference = max(relative_difference(f, io[f"{s}_n"]) for s, f in zip(model.state_names(), final))

    # Adam: PyTorch's update from the state C# saved must equal C#'s own next update.
    adam_state, adam_metadata = safetensors_io.load(stem + ".adam.safetensors")
    beta1, beta2 = (float(b) for b in adam_metadata["betas"].split(","))
    optimizer = torch.optim.Adam(model.parameters(), lr=float(adam_metadata["lr"]), betas=(beta1, beta2),
                                 eps=float(adam_metadata["eps"]), weight_decay=float(adam_metadata["weight_decay"]))
    saved = optimizer.state_dict()
    step = float(adam_metadata["unrolledrnn.step"])
    saved["state"] = {
        index: {"step": torch.tensor(step), "exp_avg": adam_state[f"{name}.exp_avg"],
                "exp_avg_sq": adam_state[f"{name}.exp_avg_sq"]}
        for index, (name, _) in enumerate(model.named_parameters())
    }
    optimizer.load_state_dict(saved)
    for name, parameter in model.named_parameters():
        parameter.grad = io[f"grad.{name}"].clone()
    optimizer.step()
    after, _ = safetensors_io.load(stem + ".after_step.safetensors")
    adam_difference = max(relative_difference(p.detach(), after[n]) for n, p in model.named_parameters())

    print(f"  {kind:8} {precision}: outputs {output_difference:.2e}, final state {state_difference:.2e}, "
          f"Adam update {adam_difference:.2e}  (cell {metadata.get('unrolledrnn.cell')})")
    tolerance = 1e-5 if dtype == torch.float32 else 1e-12
    for what, difference in (("outputs", output_difference), ("final state", state_difference), ("Adam update", adam_difference)):
        if not difference <= tolerance:
            raise SystemExit(f"{kind} {precision}: {what} differ by {difference:.2e} > {tolerance:.0e}")
    return max(output_difference, state_difference, adam_difference)
