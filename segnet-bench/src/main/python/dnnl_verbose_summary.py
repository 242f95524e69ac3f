#!/usr/bin/env python3
"""Per-step time of oneDNN's primitives from DNNL_VERBOSE=1 logs, side by side: one column per log.

Both segnet (through org.bytedeco:dnnl) and PyTorch (through its bundled oneDNN) print one line per executed
primitive when the environment variable DNNL_VERBOSE=1 is set. This script sums the execution times per step, by
convolution shape (with the implementation oneDNN chose) and for all reorders together, e.g. for the I1 case:

    DNNL_VERBOSE=1 /usr/bin/python3 ../shared/bench/torch_reference.py I1 > torch.log
    DNNL_VERBOSE=1 java -jar segnet-cli/target/segnet.jar benchmark I1 > segnet.log
    python3 segnet-bench/src/main/python/dnnl_verbose_summary.py segnet.log torch.log

A step is counted at each execution of the convolution whose shape matches --first (default: the first convolution
with 3 input channels, the stem of every case that reads an RGB image); times are oneDNN's own (ms), so they leave out
everything between primitives (Python, the JVM, pooling and resize kernels). Verbose mode itself slows every call a
little; compare logs taken the same way.
"""
import argparse
import collections
import re

SHAPE = re.compile(r"(mb\d+_ic\d+oc\d+_ih\d+(?:oh\d+)?kh\d+)")


def summarise(path, first):
    steps = 0
    times = collections.OrderedDict()
    impls = {}
    with open(path) as f:
        for line in f:
            if not (line.startswith("onednn_verbose,exec") or line.startswith("dnnl_verbose,exec")):
                continue
            fields = line.strip().split(",")
            kind, impl, ms = fields[3], fields[4], float(fields[-1])
            if kind == "convolution":
                m = SHAPE.search(line)
                key = m.group(1) if m else "convolution (other)"
                if re.search(first, key):
                    steps += 1
                impls[key] = impl
            elif kind == "reorder":
                key = "reorders (all)"
            else:
                key = kind
            times[key] = times.get(key, 0.0) + ms
    return steps, times, impls


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("logs", nargs="+", help="DNNL_VERBOSE=1 output files")
    p.add_argument("--first", default=r"_ic3oc", help="regex of the convolution shape that starts a step")
    a = p.parse_args()
    results = [summarise(path, a.first) for path in a.logs]
    keys = []
    for _, times, _ in results:
        keys += [k for k in times if k not in keys]
    print("| primitive | " + " | ".join(a.logs) + " |")
    print("|---" * (len(a.logs) + 1) + "|")
    for k in keys:
        cells = []
        for steps, times, impls in results:
            if k in times and steps:
                cells.append("%.2f%s" % (times[k] / steps, " (" + impls[k] + ")" if k in impls else ""))
            else:
                cells.append("")
        print("| " + k + " | " + " | ".join(cells) + " |")
    print("| total (ms per step) | " + " | ".join(
        "%.2f" % (sum(times.values()) / steps) if steps else "no step found" for steps, times, _ in results) + " |")
    print("| steps | " + " | ".join(str(steps) for steps, _, _ in results) + " |")


if __name__ == "__main__":
    main()
