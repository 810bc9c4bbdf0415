#!/usr/bin/python3
"""Exports torchvision CNNs with seeded random weights to ONNX, with inputs and PyTorch's outputs.

Fixtures for tl4j's ONNX importer parity tests (OnnxParityTest in zoo-adapters, TorchvisionParityTest in
src-test). Run with Debian's interpreter, which has python3-torch, python3-torchvision and python3-onnx:

    /usr/bin/python3 export_torchvision.py --out DIR            # resnet50, googlenet, alexnet (224x224)
    /usr/bin/python3 export_torchvision.py --out DIR --small    # small variants, same operators, fast

For each model NAME it writes DIR/NAME/model.onnx and DIR/NAME/test_data_set_0/{input_0.pb,output_0.pb}
(ONNX TensorProtos, the layout of ONNX's own node tests): a batch of --count random inputs and the eval-mode
PyTorch output for it. Weights are torchvision's default initialisation under --seed, with batch-norm statistics
and affine parameters randomised too (fresh layers would make batch norm an identity and hide mistakes).
Everything is written to a temporary folder next to DIR and renamed into place, so DIR is complete or absent.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import numpy_helper
from torchvision.models.googlenet import BasicConv2d, Inception
from torchvision.models.resnet import Bottleneck, ResNet

OPSET = 13


def randomise_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(c, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(c, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(c, generator=generator) * 0.1)


def full_models():
    """The three architectures tl4j ships adapters for, at ImageNet size."""
    return {
        "resnet50": (lambda: torchvision.models.resnet50(weights=None), 224),
        "googlenet": (lambda: torchvision.models.googlenet(weights=None, aux_logits=False, transform_input=False,
                                                           init_weights=True), 224),
        "alexnet": (lambda: torchvision.models.alexnet(weights=None), 224),
    }


def tiny_googlenet():
    # torchvision's own Inception block and ceil-mode max pooling, on an odd input size so ceil_mode matters.
    return nn.Sequential(
        BasicConv2d(3, 16, kernel_size=7, stride=2, padding=3),
        nn.MaxPool2d(3, stride=2, ceil_mode=True),
        Inception(16, 8, 8, 16, 4, 8, 8),
        nn.MaxPool2d(3, stride=2, ceil_mode=True),
        Inception(40, 16, 8, 16, 4, 8, 8),
        nn.MaxPool2d(2, stride=2, ceil_mode=True),
        nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(1),
        nn.Dropout(0.2),
        nn.Linear(48, 10),
    )


class _LrnFunction(torch.autograd.Function):
    """Local response normalisation that exports as one ONNX LRN node (torch writes nn.LocalResponseNorm as a
    Pow/Pad/AveragePool/Div subgraph), as Caffe-born AlexNet and GoogLeNet exports have it."""

    @staticmethod
    def forward(ctx, x, size, alpha, beta, k):
        return nn.functional.local_response_norm(x, size, alpha, beta, k)

    @staticmethod
    def symbolic(g, x, size, alpha, beta, k):
        return g.op("LRN", x, size_i=size, alpha_f=alpha, beta_f=beta, bias_f=k)


class Lrn(nn.Module):
    def __init__(self, size, alpha, beta, k):
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x):
        return _LrnFunction.apply(x, self.size, self.alpha, self.beta, self.k)


class ViewFlatten(nn.Module):
    """x.view(x.size(0), -1), as older torchvision and much user code flatten: with a dynamic batch PyTorch
    writes it as Shape, Gather, Unsqueeze, Concat and Reshape."""

    def forward(self, x):
        return x.view(x.size(0), -1)


def tiny_alexnet():
    # AlexNet's shape plus what the ONNX zoo's Caffe AlexNet adds: LRN and grouped convolution; an average pool
    # that counts padding (torch's default) and a softmax head.
    return nn.Sequential(
        nn.Conv2d(3, 16, kernel_size=5, stride=2, padding=2),
        nn.ReLU(inplace=True),
        Lrn(5, alpha=1e-2, beta=0.75, k=2.0),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(16, 32, kernel_size=3, padding=1, groups=2),
        nn.ReLU(inplace=True),
        nn.AvgPool2d(3, stride=1, padding=1),
        nn.MaxPool2d(kernel_size=3, stride=2),
        ViewFlatten(),
        nn.Dropout(0.5),
        nn.Linear(32 * 3 * 3, 64),
        nn.ReLU(inplace=True),
        nn.Dropout(0.5),
        nn.Linear(64, 10),
        nn.Softmax(dim=1),
    )


def small_models():
    """Few blocks, narrow widths, small inputs: the same operators as the full models in seconds."""
    return {
        # Bottleneck blocks as in ResNet-50, grouped 3x3 convolutions (ResNeXt-style) as an extra.
        "resnet_small": (lambda: ResNet(Bottleneck, [1, 1, 1, 1], num_classes=10, groups=2, width_per_group=16), 32),
        "googlenet_small": (tiny_googlenet, 37),
        "alexnet_small": (tiny_alexnet, 31),
    }


def export_zoo_style(name, count, seed, into):
    """A small graph written the way the ONNX model zoo's Caffe-born bvlc_googlenet / bvlc_alexnet / resnet50
    files are: opset 8, IR 3 with initializers listed among the inputs, unnamed nodes, a fixed batch of 1, max
    pooling with asymmetric pads (Caffe's ceil rounding), LRN, grouped convolution, Sum for a residual,
    AveragePool over the whole map, Dropout, Reshape to [1, -1], Gemm and Softmax. The reference output is
    computed with torch.nn.functional on the same weights."""
    from onnx import TensorProto, helper
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(seed)
    size = 29
    w = {}

    def param(key, *shape, scale=0.3):
        w[key] = (torch.randn(*shape, generator=g) * scale).float()
        return key

    nodes = []

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], **attrs))  # no name, as in the zoo files
        return output

    x = torch.randn(count, 3, size, size, generator=g)
    c1 = node("Conv", ["data_0", param("conv1/7x7_s2_w_0", 16, 3, 7, 7), param("conv1/7x7_s2_b_0", 16)],
              "conv1/7x7_s2_1", kernel_shape=[7, 7], strides=[2, 2], pads=[3, 3, 3, 3])
    r1 = node("Relu", [c1], "conv1/7x7_s2_2")
    p1 = node("MaxPool", [r1], "pool1/3x3_s2_1", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])
    n1 = node("LRN", [p1], "pool1/norm1_1", size=5, alpha=1e-2, beta=0.75, bias=1.0)
    a = node("Relu", [node("Conv", [n1, param("a_w", 8, 16, 1, 1), param("a_b", 8)], "a_1", kernel_shape=[1, 1])],
             "a_2")
    b = node("Relu", [node("Conv", [n1, param("b_w", 8, 16, 3, 3, scale=0.1), param("b_b", 8)], "b_1",
                           kernel_shape=[3, 3], pads=[1, 1, 1, 1])], "b_2")
    cp = node("MaxPool", [n1], "c_pool", kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])
    c = node("Relu", [node("Conv", [cp, param("c_w", 4, 16, 1, 1), param("c_b", 4)], "c_1", kernel_shape=[1, 1])],
             "c_2")
    cat = node("Concat", [a, b, c], "inception/output_1", axis=1)
    gc = node("Conv", [cat, param("g_w", 20, 10, 3, 3, scale=0.1), param("g_b", 20)], "conv2_1",
              kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=2)
    s = node("Relu", [node("Sum", [cat, gc], "res_sum_1")], "res_sum_2")
    ap = node("AveragePool", [s], "pool5/7x7_s1_1", kernel_shape=[7, 7], strides=[1, 1])
    d = node("Dropout", [ap], "pool5/drop_7x7_s1_1", ratio=0.4)
    shape = torch.tensor([1, -1], dtype=torch.int64)
    rs = node("Reshape", [d, "OC2_DUMMY_0"], "OC2_DUMMY_1")
    fc = node("Gemm", [rs, param("loss3/classifier_w_0", 10, 20), param("loss3/classifier_b_0", 10)],
              "loss3/classifier_1", transB=1)
    node("Softmax", [fc], "prob_1", axis=1)

    with torch.no_grad():
        y = F.relu(F.conv2d(x, w["conv1/7x7_s2_w_0"], w["conv1/7x7_s2_b_0"], stride=2, padding=3))
        y = F.max_pool2d(F.pad(y, (0, 1, 0, 1), value=float("-inf")), 3, 2)
        y = F.local_response_norm(y, 5, alpha=1e-2, beta=0.75, k=1.0)
        ya = F.relu(F.conv2d(y, w["a_w"], w["a_b"]))
        yb = F.relu(F.conv2d(y, w["b_w"], w["b_b"], padding=1))
        yc = F.relu(F.conv2d(F.max_pool2d(F.pad(y, (1, 1, 1, 1), value=float("-inf")), 3, 1), w["c_w"], w["c_b"]))
        y = torch.cat([ya, yb, yc], 1)
        y = F.relu(y + F.conv2d(y, w["g_w"], w["g_b"], padding=1, groups=2))
        y = F.avg_pool2d(y, 7, 1).reshape(count, -1)
        y = torch.softmax(F.linear(y, w["loss3/classifier_w_0"], w["loss3/classifier_b_0"]), 1)

    inits = [numpy_helper.from_array(t.numpy(), name=k) for k, t in w.items()]
    inits.append(numpy_helper.from_array(shape.numpy(), name="OC2_DUMMY_0"))
    inputs = [helper.make_tensor_value_info("data_0", TensorProto.FLOAT, [1, 3, size, size])]
    inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in inits]
    graph = helper.make_graph(nodes, "zoo_style", inputs,
                              [helper.make_tensor_value_info("prob_1", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 8)], ir_version=3)
    onnx.checker.check_model(model)
    folder = os.path.join(into, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"))
    onnx.save(model, os.path.join(folder, "model.onnx"))
    for kind, array in (("input", x), ("output", y)):
        tensor = numpy_helper.from_array(array.numpy().astype(np.float32), name=kind)
        with open(os.path.join(folder, "test_data_set_0", kind + "_0.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    return {"input_shape": list(x.shape), "output_shape": list(y.shape),
            "operators": sorted({n.op_type for n in nodes})}


def export(name, make, size, count, seed, into):
    torch.manual_seed(seed)
    model = make()
    generator = torch.Generator().manual_seed(seed + 1)
    randomise_batch_norm(model, generator)
    model.eval()
    x = torch.randn(count, 3, size, size, generator=generator)
    with torch.no_grad():
        y = model(x)
    folder = os.path.join(into, name)
    os.makedirs(os.path.join(folder, "test_data_set_0"))
    model_file = os.path.join(folder, "model.onnx")
    # PRESERVE keeps BatchNormalization nodes (EVAL would fold them into the convolutions), so the imported
    # graph has batch-norm layers to fine-tune, as torchvision's model does.
    torch.onnx.export(model, x[:1], model_file, opset_version=OPSET, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(model_file))
    for kind, array in (("input", x), ("output", y)):
        tensor = numpy_helper.from_array(array.numpy().astype(np.float32), name=kind)
        with open(os.path.join(folder, "test_data_set_0", kind + "_0.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    ops = sorted({n.op_type for n in onnx.load(model_file).graph.node})
    return {"input_shape": list(x.shape), "output_shape": list(y.shape), "operators": ops}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to create (must not exist)")
    parser.add_argument("--small", action="store_true", help="small variants instead of the full models")
    parser.add_argument("--count", type=int, default=8, help="inputs per model (default 8)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed for weights and inputs")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        print(f"{out} exists already; nothing to do", file=sys.stderr)
        return 0
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=os.path.basename(out) + ".tmp-", dir=parent)
    try:
        torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
        meta = {"torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__,
                "opset": OPSET, "seed": args.seed, "count": args.count, "models": {}}
        for name, (make, size) in (small_models() if args.small else full_models()).items():
            print(f"exporting {name} ({size}x{size}, {args.count} inputs)", file=sys.stderr, flush=True)
            meta["models"][name] = export(name, make, size, args.count, args.seed, work)
        if args.small:
            meta["models"]["zoo_style_small"] = export_zoo_style("zoo_style_small", args.count, args.seed, work)
        with open(os.path.join(work, "fixtures.json"), "w") as f:
            json.dump(meta, f, indent=2)
        try:
            os.rename(work, out)
        except OSError:
            if not os.path.isdir(out):  # another run finished first: its copy is as good as ours
                raise
    finally:
        if os.path.exists(work):
            shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
