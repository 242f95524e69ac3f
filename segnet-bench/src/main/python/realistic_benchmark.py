#!/usr/bin/env python3
"""The realistic-size benchmark: segnet against PyTorch on ResNet-50 and VGG16 models at 384x480 and 512x512, one
inference pass at batch 1 and one training step at batch 2, time and peak resident memory.

    /usr/bin/python3 segnet-bench/src/main/python/realistic_benchmark.py \
        --segnet "java -cp segnet-cli/target/segnet.jar io.segnet.bench.models.RealisticBenchmark" [CASE ...]

The cases are segnet model configs in segnet-bench/src/main/resources/io/segnet/bench/models/realistic-cases.json.
PyTorch builds each config with the reference modules of segnet-core/src/test/python/model_param_counts.py (which
writes their parameter counts into segnet-models' param_counts.json, checked against segnet's by ParamCountsTest), so
both sides run the same architecture with the same parameter count. Both sides do the same work:

- inference: the model in eval mode (PyTorch: torch.no_grad(); segnet: batch norm folded, as segnet predict runs it),
  one forward pass of a random image; UNet++ averages its deep-supervision heads;
- training: forward, cross-entropy (PSPNet's auxiliary head with weight 0.4, UNet++'s heads 1/L each), backward and
  an Adam step (lr 1e-3), random images and labels;
- 2 warm-up runs (segnet: and at least 3 s, for the JIT), then 3 timed runs; the median is reported.

Every case runs in a fresh process for each engine, PyTorch first, then segnet. Peak memory is the same number for
both: the resident-set high-water mark of the whole process (the JVM and its native memory, or the Python
interpreter and its libraries), which the kernel reports for a finished child in ru_maxrss (os.wait4). PyTorch runs
on 2 threads (torch.set_num_threads(2)), float32.

Prints a Markdown table, then one JSON line per case. `--engine torch CASE` runs PyTorch's side of one case alone.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
CASES = os.path.join(ROOT, "segnet-bench", "src", "main", "resources", "io", "segnet", "bench", "models",
                     "realistic-cases.json")
REFERENCE = os.path.join(ROOT, "segnet-core", "src", "test", "python")
WARMUP, RUNS = 2, 3


def load_cases():
    with open(CASES) as f:
        return {c["name"]: c for c in json.load(f)["cases"]}


def torch_case(case):
    """Times one case on PyTorch; returns the JSON result (without memory, which the parent measures)."""
    import torch
    import torch.nn.functional as F
    sys.path.insert(0, REFERENCE)
    from model_param_counts import ARCHITECTURES, counts

    torch.set_num_threads(2)
    torch.manual_seed(0)
    config = case["config"]
    model = ARCHITECTURES[config["type"]](config)
    n, h, w = case["batch"], config["inputHeight"], config["inputWidth"]
    x = torch.rand(n, config["inChannels"], h, w)
    if case["mode"] == "train":
        y = (torch.rand(n, h, w) * config["numClasses"]).long()
        if config["type"] == "pspnet" and config["auxiliary"]:
            weights = [1.0, config["auxiliaryWeight"]]
        else:
            weights = None
        opt = torch.optim.Adam(model.parameters(), 1e-3)
        model.train()

        def step():
            opt.zero_grad(set_to_none=True)
            outs = model(x)
            ws = weights or [1.0 / len(outs)] * len(outs)
            sum(wt * F.cross_entropy(o, y, ignore_index=255) for wt, o in zip(ws, outs)).backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                outs = model(x)
                if len(outs) > 1:
                    torch.stack(outs).mean(0)

    for _ in range(WARMUP):
        step()
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"case": case["name"], "what": case["what"], "parameters": counts(model)[0],
            "ms_median": round(times[len(times) // 2], 2), "ms_min": round(times[0], 2),
            "ms_max": round(times[-1], 2), "runs": RUNS}


def measured(cmd, name):
    """Runs `cmd name` in a child, waits with os.wait4 and returns (its JSON line for the case, its peak RSS in MB)."""
    proc = subprocess.Popen(cmd + [name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read())) for s, b in
               ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    result = None
    for line in "".join(out).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("case") == name:
                result = obj
    if result is None:
        sys.stderr.write(f"no result for {name} from {' '.join(cmd)} (exit {proc.returncode})\n"
                         f"{''.join(err)[-3000:]}\n")
        return None
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--segnet", help="segnet's command, run as COMMAND CASE")
    ap.add_argument("--engine", choices=["torch"], help="run one engine's side of the cases in this process")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    cases = load_cases()
    names = args.cases or list(cases)
    unknown = [n for n in names if n not in cases]
    if unknown:
        sys.exit(f"unknown case(s) {unknown}; known: {' '.join(cases)}")
    if args.engine == "torch":
        for n in names:
            print(json.dumps(torch_case(cases[n])), flush=True)
        return
    if not args.segnet:
        sys.exit("--segnet COMMAND is required (or --engine torch)")
    torch_cmd = [sys.executable, os.path.abspath(__file__), "--engine", "torch"]
    segnet_cmd = shlex.split(args.segnet)
    rows = []
    for n in names:
        t = measured(torch_cmd, n)
        s = measured(segnet_cmd, n)
        row = {"case": n, "what": cases[n]["what"],
               "torch_ms": t and t["ms_median"], "segnet_ms": s and s["ms_median"],
               "time_ratio": round(s["ms_median"] / t["ms_median"], 2) if t and s else None,
               "torch_rss_mb": t and t["peak_rss_mb"], "segnet_rss_mb": s and s["peak_rss_mb"],
               "rss_ratio": round(s["peak_rss_mb"] / t["peak_rss_mb"], 2) if t and s else None}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print("| case | what | torch ms | segnet ms | time segnet/torch | torch peak RSS MB | segnet peak RSS MB "
          "| memory segnet/torch |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['what']} | {r['torch_ms']} | {r['segnet_ms']} | {r['time_ratio']} "
              f"| {r['torch_rss_mb']} | {r['segnet_rss_mb']} | {r['rss_ratio']} |")
    for r in rows:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
