#!/usr/bin/python3
"""PyTorch as the outside referee of UnrolledRnn's numbers (docs/pytorch.md).

Run with Debian's python3-torch, from the repository root:

    /usr/bin/python3 tools/pytorch/reference.py                 # fixtures, then the round trip
    /usr/bin/python3 tools/pytorch/reference.py fixtures        # only rewrite Generator.Tests/Fixtures/PyTorch
    /usr/bin/python3 tools/pytorch/reference.py examples [Cell ...]  # only the example cells' fixtures (all, or those named)
    /usr/bin/python3 tools/pytorch/reference.py round-trip      # only the round trip (needs the .NET SDK)

fixtures:   writes the weights, inputs, outputs and gradients the C# tests compare with (fixtures.py).
examples:   the same for the example cells of docs/equations.md, written from their papers (example_cells.py,
            example_fixtures.py), into Generator.Tests/Fixtures/PyTorch/Examples.
round-trip: C# saves checkpoints, PyTorch loads them and reproduces the outputs and an Adam update (round_trip.py).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import example_fixtures  # noqa: E402
import fixtures  # noqa: E402
import round_trip  # noqa: E402

FIXTURES = os.path.join(round_trip.REPOSITORY, "Generator.Tests", "Fixtures", "PyTorch")


def main(arguments):
    command = arguments[0] if arguments else "all"
    if command not in ("all", "fixtures", "examples", "round-trip"):
        raise SystemExit(__doc__)
    torch.set_num_threads(1)  # the same sums in the same order on every run
    print(f"torch {torch.__version__}")
    if command in ("all", "fixtures"):
        print(f"fixtures -> {os.path.relpath(FIXTURES, round_trip.REPOSITORY)}")
        fixtures.write_all(FIXTURES)
    if command in ("all", "examples"):
        examples = os.path.join(FIXTURES, "Examples")
        print(f"example cells -> {os.path.relpath(examples, round_trip.REPOSITORY)}")
        example_fixtures.write_all(examples, arguments[1:])
    if command in ("all", "round-trip"):
        print("round trip: C# saves, PyTorch loads")
        round_trip.run()


if __name__ == "__main__":
    main(sys.argv[1:])
