#!/usr/bin/env python3
"""Times the standard configurations in PyTorch and in UnrolledRnn, in one run, and prints one table.

    python3 Benchmarks/pytorch_compare.py [--full] [--markdown FILE] [--svg FILE]
    python3 Benchmarks/pytorch_compare.py --pytorch-only [--batch B]

The configurations are the standard ones of docs/performance.md (batch 1, one thread, float, input 16, output 4
through a linear head, MSE at every step) for the Elman RNN (tanh), the LSTM and the GRU at hidden 32, 128 and
256 with k1 = k2 = 32, and the LSTM at hidden 128 with k2 = 64. Two figures each:

  update  one TBPTT update: the layer over the chunk from the detached carried state, mse_loss, backward,
          SGD.step, zero_grad (idiomatic PyTorch);
  step    one streaming step (layer + head) under torch.inference_mode.

PyTorch times are medians of many repetitions after a warm-up, on one thread. Ours come from the Benchmarks
project (BenchmarkDotNet, --short unless --full) run right after, in the same invocation, so that both see the
same machine load. The ratio is PyTorch time / our time.

PyTorch is Debian's python3-torch, used through /usr/bin/python3 (not whatever python3 is first on PATH). It calls
the generic BLAS interface, libblas.so.3, which Debian's update-alternatives points at a library: without OpenBLAS
that is the reference BLAS, on which PyTorch's LSTM updates and steps took about 2x OpenBLAS's time at hidden 128
and 3x at hidden 256 (about the same at hidden 32), so a comparison with it means little. So the script
  - installs python3-torch and libopenblas0-pthread with apt-get where they are missing;
  - re-runs itself under /usr/bin/python3 with OPENBLAS_NUM_THREADS=1 (torch.set_num_threads does not limit
    OpenBLAS) and without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so that OpenBLAS picks its kernels for this
    CPU; the Benchmarks project then runs with the environment the script was started with;
  - after a matrix product, reads which BLAS library the process has mapped (/proc/self/maps), stops unless it
    is OpenBLAS on one thread, and names it in the PyTorch column ("PyTorch (us, OpenBLAS 0.3.21 pthread,
    Cooperlake kernels, 1 thread)").
"""

import argparse
import collections
import ctypes
import importlib.util
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SYSTEM_PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))

# (cell, hidden, k2): the rows of the table, in the order printed.
CONFIGS = [(cell, hidden, 32) for hidden in (32, 128, 256) for cell in ("rnn", "lstm", "gru")] + [("lstm", 128, 64)]
INPUT_SIZE, OUTPUT_SIZE = 16, 4


# The PyTorch process's OpenBLAS settings (None: unset): one thread, and the kernels and cache sizes OpenBLAS
# detects on this CPU rather than those the machine presets for other programs.
PYTORCH_OPENBLAS_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None}
# Set in the re-executed process: the caller's values of those variables (JSON, null when unset), for the
# Benchmarks project, which must run in the caller's environment.
CALLER_OPENBLAS_ENVIRONMENT = "PYTORCH_COMPARE_CALLER_OPENBLAS_ENVIRONMENT"
OPENBLAS_PACKAGE = "libopenblas0-pthread"
# File names of BLAS libraries: Debian's libblas.so.3 alternatives (reference, OpenBLAS, BLIS), OpenBLAS's own
# library, BLIS, ATLAS, MKL.
BLAS_FILE_NAME = re.compile(r"^lib(blas|openblas|blis|[st]?atlas|mkl_rt)[\w.-]*\.so")

LoadedBlas = collections.namedtuple("LoadedBlas", "label path openblas_threads")


def reexecute_for_pytorch():
    """Re-executes this script, once, under Debian's python with the PyTorch process's OpenBLAS environment."""
    if CALLER_OPENBLAS_ENVIRONMENT in os.environ:
        return
    environment = dict(os.environ)
    environment[CALLER_OPENBLAS_ENVIRONMENT] = json.dumps({name: os.environ.get(name) for name in PYTORCH_OPENBLAS_ENVIRONMENT})
    apply_environment(environment, PYTORCH_OPENBLAS_ENVIRONMENT)
    python = SYSTEM_PYTHON if os.path.exists(SYSTEM_PYTHON) else sys.executable
    os.execve(python, [python, os.path.abspath(__file__)] + sys.argv[1:], environment)


def caller_environment():
    """The environment the script was started with (before reexecute_for_pytorch), for the Benchmarks project."""
    environment = dict(os.environ)
    apply_environment(environment, json.loads(environment.pop(CALLER_OPENBLAS_ENVIRONMENT)))
    return environment


def apply_environment(environment, values):
    """Sets each name of values in environment to its value, or removes it where the value is None."""
    for name, value in values.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value


def install_missing_packages():
    """Installs python3-torch and libopenblas0-pthread with apt-get where missing, before torch is imported (a
    process that has imported torch keeps the BLAS library it mapped)."""
    missing = [] if importlib.util.find_spec("torch") else ["python3-torch"]
    try:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", OPENBLAS_PACKAGE], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True).stdout
    except FileNotFoundError:
        sys.exit("dpkg-query not found: this script needs Debian's python3-torch and %s" % OPENBLAS_PACKAGE)
    if status != "install ok installed":
        missing.append(OPENBLAS_PACKAGE)
    if not missing:
        return
    print("installing %s with apt-get" % " and ".join(missing), flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update"], check=True, env=environment)
    subprocess.run(sudo + ["apt-get", "install", "-y", "--no-install-recommends"] + missing, check=True, env=environment)


def loaded_blas():
    """The BLAS library this process has mapped, after a matrix product in torch (so that one loaded on first use
    is mapped too): a label for the tables, its path and, for OpenBLAS, its thread count (None otherwise)."""
    import torch
    torch.rand(64, 64) @ torch.rand(64, 64)
    with open("/proc/self/maps") as maps:
        mapped = {os.path.realpath(fields[5].strip()) for fields in (line.split(None, 5) for line in maps) if len(fields) == 6}
    paths = sorted(path for path in mapped if path.startswith("/") and BLAS_FILE_NAME.match(os.path.basename(path)))
    if not paths:
        sys.exit("no BLAS library is mapped in this process after a matrix product in torch "
                 "(looked for file names matching %s in /proc/self/maps)" % BLAS_FILE_NAME.pattern)
    for path in paths:
        library = ctypes.CDLL(path)  # already mapped: this only returns its handle
        if hasattr(library, "openblas_get_config"):
            library.openblas_get_config.restype = ctypes.c_char_p
            library.openblas_get_corename.restype = ctypes.c_char_p
            version = library.openblas_get_config().decode().split()[1]  # "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
            threading = {0: "serial", 1: "pthread", 2: "OpenMP"}.get(library.openblas_get_parallel(), "unknown threading")
            threads = library.openblas_get_num_threads()
            label = "OpenBLAS %s %s, %s kernels, %d thread%s" % (
                version, threading, library.openblas_get_corename().decode(), threads, "" if threads == 1 else "s")
            return LoadedBlas(label, path, threads)
    reference = [path for path in paths if os.path.basename(os.path.dirname(path)) == "blas"]
    if reference:  # Debian's libblas3: /usr/lib/<triplet>/blas/libblas.so.3.x.y
        return LoadedBlas("reference BLAS (%s)" % os.path.basename(reference[0]), reference[0], None)
    return LoadedBlas("BLAS %s" % ", ".join(paths), paths[0], None)


def require_openblas_on_one_thread(blas):
    """Stops, before any PyTorch figure is taken, unless PyTorch runs on OpenBLAS on one thread."""
    if blas.openblas_threads is None:
        sys.exit("PyTorch runs on %s, not OpenBLAS: its times would be up to 3-4x OpenBLAS's at hidden 256. Install "
                 "%s and point libblas.so.3 at it (update-alternatives --config libblas.so.3-x86_64-linux-gnu)."
                 % (blas.path, OPENBLAS_PACKAGE))
    if blas.openblas_threads != 1:
        sys.exit("OpenBLAS (%s) runs %d threads, expected 1: OPENBLAS_NUM_THREADS=1 did not reach the PyTorch process"
                 % (blas.path, blas.openblas_threads))


def median_time_us(function, min_seconds, min_repetitions=15, max_repetitions=2000, warmup=10):
    """Median wall time of one call, in microseconds, over repetitions lasting at least min_seconds."""
    for _ in range(warmup):
        function()
    samples = []
    start = time.perf_counter()
    while len(samples) < max_repetitions and (len(samples) < min_repetitions or time.perf_counter() - start < min_seconds):
        t0 = time.perf_counter_ns()
        function()
        samples.append((time.perf_counter_ns() - t0) / 1000.0)
    return statistics.median(samples)


def time_pytorch(cell, hidden, k2, min_seconds, batch=1):
    """Returns (update us, step us) of one configuration in PyTorch, per stream: for batch B, the time of one
    update (or step) of all B streams in lockstep divided by B."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.manual_seed(1)
    layer_type = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
    layer = layer_type(INPUT_SIZE, hidden)  # batch_first=False: (time, batch, features); tanh for nn.RNN
    head = nn.Linear(hidden, OUTPUT_SIZE)
    optimizer = torch.optim.SGD(list(layer.parameters()) + list(head.parameters()), lr=1e-3)
    inputs = torch.rand(k2, batch, INPUT_SIZE) * 2 - 1
    targets = [torch.rand(k2, batch, OUTPUT_SIZE) * 2 - 1]
    targets.append(-targets[0])  # alternate the sign, as the C# workload does, so nothing is memorised

    def zero_state():
        h = torch.zeros(1, batch, hidden)
        return (h, torch.zeros(1, batch, hidden)) if cell == "lstm" else h

    def detach(state):
        return tuple(s.detach() for s in state) if cell == "lstm" else state.detach()

    carried = {"state": zero_state(), "update": 0}

    def update():
        state = detach(carried["state"])
        output, state = layer(inputs, state)
        loss = F.mse_loss(head(output), targets[carried["update"] & 1])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        carried["state"], carried["update"] = state, carried["update"] + 1

    step_input = inputs[:1]
    streamed = {"state": zero_state()}

    def step():
        with torch.inference_mode():
            output, streamed["state"] = layer(step_input, streamed["state"])
            head(output)

    return median_time_us(update, min_seconds) / batch, median_time_us(step, min_seconds) / batch


def run_ours(full):
    """Runs the Benchmarks project and returns ({(cell, hidden, k2, op): row}, peak GFLOP/s, seconds taken)."""
    results = os.path.join(tempfile.mkdtemp(prefix="unrolledrnn-bench-"), "results.tsv")
    command = ["dotnet", "run", "-c", "Release", "--project", HERE, "--"] + ([] if full else ["--short"]) + ["--results", results]
    print("running: " + " ".join(command), flush=True)
    start = time.time()
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=caller_environment())
    elapsed = time.time() - start
    if completed.returncode != 0 or not os.path.exists(results):
        sys.stdout.write(completed.stdout[-5000:])
        sys.exit("the Benchmarks project failed (exit code %d)" % completed.returncode)
    rows, peak = {}, float("nan")
    with open(results) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "# peak_gflops":
                peak = float(fields[1])
            elif fields[0] != "cell" and len(fields) == 8:
                key = (fields[0], int(fields[1]), int(fields[2]), fields[3])
                rows[key] = dict(us=float(fields[4]), gflops=float(fields[5]), fraction=float(fields[6]), allocated=int(fields[7]))
    shutil.rmtree(os.path.dirname(results), ignore_errors=True)
    return rows, peak, elapsed


def format_us(us):
    return "%.3f" % us if us < 1 else "%.2f" % us if us < 100 else "%.0f" % us


def markdown_table(torch_times, blas_label, ours, peak):
    lines = [
        "Single-core FP32 FMA peak measured by PeakFma in this run: %.1f GFLOP/s." % peak,
        "",
        "| config | op | PyTorch (us, %s) | ours (us) | ratio | GFLOP/s | %% of peak | allocated (B) |" % blas_label,
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for op in ("update", "step"):
        for cell, hidden, k2 in CONFIGS:
            theirs = torch_times[(cell, hidden, k2)][0 if op == "update" else 1]
            # Each configuration, then its FastActivations variant where the Benchmarks project has one.
            for name in (cell, cell + "-fast"):
                row = ours.get((name, hidden, k2, op))
                if row is None:
                    if name == cell:
                        lines.append("| %s H=%d k2=%d | %s | %s | - | - | - | - | - |" % (name, hidden, k2, op, format_us(theirs)))
                    continue
                lines.append("| %s H=%d k2=%d | %s | %s | %s | %.0fx | %.1f | %.0f%% | %d |" % (
                    name, hidden, k2, op, format_us(theirs), format_us(row["us"]), theirs / row["us"],
                    row["gflops"], 100 * row["fraction"], row["allocated"]))
    return "\n".join(lines) + "\n"


def svg_plot(torch_times, blas_label, ours):
    """Time per update against hidden size (k2 = 32), both libraries, log-scale y, as a small SVG."""
    width, height, left, right, top, bottom = 640, 400, 70, 150, 46, 50
    hiddens = [32, 128, 256]
    series = []
    for cell, dash in (("rnn", ""), ("lstm", "6,3"), ("gru", "2,3")):
        series.append(("PyTorch " + cell, "#d62728", dash, [torch_times[(cell, h, 32)][0] for h in hiddens]))
        series.append(("UnrolledRnn " + cell, "#1f77b4", dash, [ours[(cell, h, 32, "update")]["us"] for h in hiddens]))
    values = [v for s in series for v in s[3]]
    low, high = 10 ** math.floor(math.log10(min(values))), 10 ** math.ceil(math.log10(max(values)))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(h):
        return left + plot_w * (math.log2(h) - 5) / (math.log2(256) - 5)

    def y_of(v):
        return top + plot_h * (1 - (math.log10(v) - math.log10(low)) / (math.log10(high) - math.log10(low)))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18" font-size="14">Time per update (k1 = k2 = 32, batch 1, one thread), log scale</text>' % left,
           '<text x="%d" y="35">PyTorch on %s</text>' % (left, blas_label)]
    decade = low
    while decade <= high:
        y = y_of(decade)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, left + plot_w, y))
        label = ("%g us" % decade) if decade < 1000 else ("%g ms" % (decade / 1000))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, label))
        decade *= 10
    for h in hiddens:
        x = x_of(h)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, top, x, top + plot_h))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x, top + plot_h + 18, h))
    out.append('<text x="%d" y="%d" text-anchor="middle">hidden size</text>' % (left + plot_w // 2, height - 10))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="black"/>' % (left, top, plot_w, plot_h))
    for index, (name, colour, dash, ys) in enumerate(series):
        points = " ".join("%.1f,%.1f" % (x_of(h), y_of(v)) for h, v in zip(hiddens, ys))
        dash_attribute = ' stroke-dasharray="%s"' % dash if dash else ""
        out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>' % (points, colour, dash_attribute))
        for h, v in zip(hiddens, ys):
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (x_of(h), y_of(v), colour))
        legend_y = top + 10 + 18 * index
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>' % (
            left + plot_w + 10, legend_y, left + plot_w + 35, legend_y, colour, dash_attribute))
        out.append('<text x="%d" y="%d">%s</text>' % (left + plot_w + 40, legend_y + 4, name))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="run our side with BenchmarkDotNet's default job, not --short")
    parser.add_argument("--seconds", type=float, default=1.5, help="minimum timing per PyTorch measurement (default 1.5)")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--svg", help="also write the plot of time per update against hidden size to this file")
    parser.add_argument("--batch", type=int, default=1,
                        help="streams in lockstep on PyTorch's side (default 1); the figures are per stream (time / batch)")
    parser.add_argument("--pytorch-only", action="store_true", help="time PyTorch only, without running the Benchmarks project")
    arguments = parser.parse_args()
    if arguments.batch < 1:
        parser.error("--batch must be at least 1")
    if arguments.batch > 1 and not arguments.pytorch_only:
        parser.error("--batch > 1 needs --pytorch-only: the table's rows of ours are batch 1")

    reexecute_for_pytorch()
    install_missing_packages()
    import torch
    torch.set_num_threads(1)
    blas = loaded_blas()
    require_openblas_on_one_thread(blas)
    print("PyTorch %s on %s, %d thread, BLAS: %s (%s)" % (
        torch.__version__, sys.executable, torch.get_num_threads(), blas.label, blas.path), flush=True)

    started = time.time()
    torch_times = {}
    for cell, hidden, k2 in CONFIGS:
        torch_times[(cell, hidden, k2)] = time_pytorch(cell, hidden, k2, arguments.seconds, arguments.batch)
        update_us, step_us = torch_times[(cell, hidden, k2)]
        print("  pytorch %s H=%d k2=%d batch %d, per stream: update %s us, step %s us" % (
            cell, hidden, k2, arguments.batch, format_us(update_us), format_us(step_us)), flush=True)
    torch_seconds = time.time() - started
    if arguments.pytorch_only:
        print("PyTorch side took %.0f s." % torch_seconds)
        return

    ours, peak, our_seconds = run_ours(arguments.full)
    table = markdown_table(torch_times, blas.label, ours, peak)
    print()
    print(table)
    print("PyTorch side took %.0f s, ours (dotnet run, build included) %.0f s." % (torch_seconds, our_seconds))
    if arguments.markdown:
        with open(arguments.markdown, "w") as f:
            f.write(table)
    if arguments.svg:
        with open(arguments.svg, "w") as f:
            f.write(svg_plot(torch_times, blas.label, ours))


if __name__ == "__main__":
    main()
