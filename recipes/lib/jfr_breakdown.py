#!/usr/bin/python3
"""Where a DL4J run spends its time, from a Java Flight Recorder file: share of samples per DL4J layer method,
per native op entry point, and per cost class (im2col/col2im, GEMM, BatchNorm, allocation, copies).

Usage: jfr_breakdown.py RECORDING.jfr [--thread main] > breakdown.md

Reads `jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample` (ND4J's work runs inside native
calls, which only NativeMethodSample sees). Only samples of the named thread (the one that runs the network) are
counted; OpenMP worker threads are native and invisible to JFR, so shares are of the calling thread's time.
"""
import collections
import json
import subprocess
import sys


def frames_of(event):
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
            for f in event["values"]["stackTrace"]["frames"]]


CLASSES = [  # first match wins, checked against the whole stack (innermost first)
    ("im2col / col2im (convolution lowering)", ("Convolution.im2col", "Convolution.col2im")),
    ("GEMM (BaseLevel3.gemm / mmul)", ("BaseLevel3.gemm", "BaseNDArray.mmul", "Nd4j.gemm")),
    ("BatchNorm", ("normalization.BatchNormalization.",)),
    ("allocation (create/dup/workspace)", ("Nd4j.create", "createUninitialized", "BaseNDArray.dup",
                                           "Workspace", "DataBuffer", "Pointer.malloc", "Nd4j.zeros")),
    ("copies (assign / permute+dup)", ("BaseNDArray.assign", "execPairwise", "Transforms.")),
    ("updater (Nesterov, weight decay)", ("learning.", "updater.")),
    ("pooling", ("SubsamplingLayer.",)),
    ("activations (ReLU etc.)", ("ActivationLayer.", "activations.impl.")),
]


def main():
    path = sys.argv[1]
    thread = sys.argv[sys.argv.index("--thread") + 1] if "--thread" in sys.argv else "main"
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = 0
    by_layer = collections.Counter()
    by_top = collections.Counter()
    by_class = collections.Counter()
    for e in events:
        t = e["values"].get("sampledThread") or {}
        if t.get("javaName") != thread:
            continue
        frames = frames_of(e)
        if not frames:
            continue
        total += 1
        by_top[frames[0]] += 1
        layer = next((f for f in frames if f.startswith("org.deeplearning4j.nn.layers.")), "(outside DL4J layers)")
        by_layer[layer] += 1
        joined = "\n".join(frames)
        by_class[next((name for name, keys in CLASSES if any(k in joined for k in keys)), "other")] += 1
    if total == 0:
        sys.exit("no samples of thread '%s' in %s" % (thread, path))
    print("%d samples of thread '%s' (%s)\n" % (total, thread, path))
    for title, counter, n in (("Cost class", by_class, 12), ("DL4J layer method (innermost)", by_layer, 15),
                              ("Top frame", by_top, 12)):
        print("| %s | samples | share |\n|---|---:|---:|" % title)
        for k, v in counter.most_common(n):
            print("| `%s` | %d | %.1f%% |" % (k, v, 100.0 * v / total))
        print()


if __name__ == "__main__":
    main()
