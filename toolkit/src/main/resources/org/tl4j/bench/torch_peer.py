#!/usr/bin/python3
"""PyTorch side of `tl4j bench engines`: a long-lived worker that times the same workloads as the JVM.

Run by org.tl4j.bench.TorchPeer with Debian's /usr/bin/python3 (python3-torch, python3-torchvision). It reads one
JSON request per line on stdin and answers one JSON line on stdout, so the JVM can interleave its own engines
with this one step by step (drift from other processes then hits every engine alike). Requests:

  {"cmd": "hello", "threads": 2, "seed": 42}              -> torch/BLAS facts
  {"cmd": "gemm", "n": 2048, "reps": 3}                   -> best GFLOP/s of torch.mm on n x n fp32
  {"cmd": "load", "model": "resnet50", "size": 224}       -> builds the torchvision model (random weights)
  {"cmd": "time", "model": ..., "workload": "train_all" | "train_head" | "infer", "batch": 16,
   "warmup": 1, "steps": 2}                               -> {"seconds": [...], "peak_rss_mb": ...}
  {"cmd": "quit"}

train_all: one SGD step (Nesterov momentum 0.9, weight decay 1e-4, lr 0.01, cross-entropy) on every layer,
train mode. train_head: the trunk frozen in eval mode without autograd, only the final classifier trains (what
tl4j's head-only plan does). infer: eval mode, no autograd. peak_rss_mb is the process's peak resident size
during the timed steps (VmHWM, reset through /proc/self/clear_refs before the warm-up).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torchvision


def models(name, size):
    if name == "resnet50":
        return torchvision.models.resnet50(weights=None), "fc"
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, aux_logits=False, transform_input=False,
                                            init_weights=True), "fc"
    if name == "alexnet":
        return torchvision.models.alexnet(weights=None), "classifier.6"
    raise ValueError("unknown model '%s' (resnet50, googlenet, alexnet)" % name)


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


class Loaded:
    def __init__(self, name, size, seed):
        torch.manual_seed(seed)
        self.model, head_name = models(name, size)
        self.size = size
        self.head = self.model.get_submodule(head_name)
        self.classes = self.head.out_features
        self.trunk_params = [p for n, p in self.model.named_parameters() if not n.startswith(head_name + ".")]

    def step_fn(self, workload, batch, seed):
        g = torch.Generator().manual_seed(seed)
        x = torch.rand(batch, 3, self.size, self.size, generator=g)
        y = torch.randint(0, self.classes, (batch,), generator=g)
        loss_fn = nn.CrossEntropyLoss()
        if workload == "infer":
            self.model.eval()

            def infer():
                with torch.no_grad():
                    self.model(x)
            return infer
        if workload == "train_all":
            for p in self.model.parameters():
                p.requires_grad_(True)
            opt = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
            self.model.train()

            def train_all():
                opt.zero_grad(set_to_none=True)
                loss_fn(self.model(x), y).backward()
                opt.step()
            return train_all
        if workload == "train_head":
            for p in self.trunk_params:
                p.requires_grad_(False)
            for p in self.head.parameters():
                p.requires_grad_(True)
            opt = torch.optim.SGD(self.head.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=1e-4)
            self.model.eval()  # frozen trunk: batch-norm statistics stay put, dropout off, as in tl4j's FrozenLayer
            self.head.train()

            def train_head():
                opt.zero_grad(set_to_none=True)
                loss_fn(self.model(x), y).backward()  # autograd records only from the head on
                opt.step()
            return train_head
        raise ValueError("unknown workload '%s'" % workload)


def gemm(n, reps):
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * n ** 3 / best / 1e9


def main():
    loaded = {}
    seed = 42
    for line in sys.stdin:
        req = json.loads(line)
        cmd = req["cmd"]
        try:
            if cmd == "hello":
                torch.set_num_threads(int(req["threads"]))
                seed = int(req.get("seed", 42))
                reply = {"torch": torch.__version__, "torchvision": torchvision.__version__,
                         "threads": torch.get_num_threads(), "blas": torch.__config__.show().count("BLAS")}
            elif cmd == "gemm":
                reply = {"gflops": gemm(int(req["n"]), int(req["reps"]))}
            elif cmd == "load":
                loaded[req["model"]] = Loaded(req["model"], int(req["size"]), seed)
                reply = {"params": sum(p.numel() for p in loaded[req["model"]].model.parameters())}
            elif cmd == "time":
                fn = loaded[req["model"]].step_fn(req["workload"], int(req["batch"]), seed)
                reset_peak_rss()
                for _ in range(int(req["warmup"])):
                    fn()
                seconds = []
                for _ in range(int(req["steps"])):
                    t0 = time.perf_counter()
                    fn()
                    seconds.append(time.perf_counter() - t0)
                reply = {"seconds": seconds, "peak_rss_mb": peak_rss_mb()}
            elif cmd == "quit":
                print(json.dumps({"bye": True}), flush=True)
                return
            else:
                reply = {"error": "unknown command '%s'" % cmd}
        except Exception as e:  # the JVM turns this into an exception naming the request
            reply = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
