"""Where the reference parameter and multiply-add counts in tl4j's architecture tests come from.

Not run by the build (it needs torchvision and a Caffe checkout); run by hand:
    /usr/bin/python3 reference_counts.py caffe PATH/TO/models/bvlc_googlenet/deploy.prototxt
    /usr/bin/python3 reference_counts.py caffe PATH/TO/models/bvlc_alexnet/deploy.prototxt
    /usr/bin/python3 reference_counts.py torchvision
Results (BVLC/caffe commit 9b891540, torchvision 0.14.1 / torch 1.13, Debian 12's python3-torchvision):
    bvlc_googlenet  6,998,552 parameters, 1,582,671,872 multiply-adds at 224x224
    bvlc_alexnet   60,965,224 parameters,   724,406,816 multiply-adds at 227x227
    torchvision resnet50                 25,557,032 parameters (+53,120 BN running stats), 4,089,184,256 MACs at 224
    torchvision googlenet(aux_logits=False) 6,624,904 parameters (+14,560 BN running stats), 1,498,376,192 MACs at 224
    torchvision alexnet                  61,100,840 parameters, 714,188,480 MACs at 224
Multiply-adds count convolutions (out elements * C_in/groups * kh * kw) and fully connected layers (in * out).
"""
import math
import re
import sys


def caffe(path):
    """Propagates blob shapes (C, H, W) through a deploy.prototxt and sums learnable parameters and MACs."""
    text = open(path).read()
    blocks = re.findall(r'layer \{(.*?)\n\}', text, re.S)

    def field(block, key, default=None):
        m = re.search(r'\b' + key + r':\s*"?([\w/.\-]+)"?', block)
        return m.group(1) if m else default

    dims = [int(x) for x in re.findall(r'dim:\s*(\d+)', text)[:4]]
    shape = {"data": (dims[1], dims[2], dims[3])}
    params = macs = 0
    for b in blocks:
        kind = field(b, 'type')
        if kind == 'Input':
            continue
        bottoms = re.findall(r'\bbottom:\s*"([^"]+)"', b)
        tops = re.findall(r'\btop:\s*"([^"]+)"', b)
        ins = [shape[x] for x in bottoms]
        c, h, w = ins[0]
        if kind == 'Convolution':
            n, k = int(field(b, 'num_output')), int(field(b, 'kernel_size'))
            s, p, g = int(field(b, 'stride', 1)), int(field(b, 'pad', 0)), int(field(b, 'group', 1))
            bias = field(b, 'bias_term', 'true') != 'false'
            out = (n, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1)
            params += n * (c // g) * k * k + (n if bias else 0)
            macs += out[0] * out[1] * out[2] * (c // g) * k * k
        elif kind == 'InnerProduct':
            n = int(field(b, 'num_output'))
            params += c * h * w * n + n
            macs += c * h * w * n
            out = (n, 1, 1)
        elif kind == 'Pooling':
            k, s, p = int(field(b, 'kernel_size')), int(field(b, 'stride', 1)), int(field(b, 'pad', 0))
            # Caffe rounds pooled sizes up
            out = (c, int(math.ceil((h + 2 * p - k) / s)) + 1, int(math.ceil((w + 2 * p - k) / s)) + 1)
        elif kind == 'Concat':
            out = (sum(x[0] for x in ins), h, w)
        else:
            out = ins[0]
        for t in tops:
            shape[t] = out
    print(path, "parameters", params, "multiply-adds", macs)


def torchvision_counts():
    import torch
    import torchvision.models as m

    def macs(net, size):
        total = [0]

        def conv(mod, inp, out):
            total[0] += out.numel() * (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]

        def linear(mod, inp, out):
            total[0] += mod.in_features * mod.out_features

        for mod in net.modules():
            if isinstance(mod, torch.nn.Conv2d):
                mod.register_forward_hook(conv)
            if isinstance(mod, torch.nn.Linear):
                mod.register_forward_hook(linear)
        net.eval()
        with torch.no_grad():
            net(torch.zeros(1, 3, size, size))
        return total[0]

    for name, net in [("resnet50", m.resnet50()), ("googlenet", m.googlenet(aux_logits=False, init_weights=False)),
                      ("alexnet", m.alexnet())]:
        params = sum(p.numel() for p in net.parameters())
        stats = sum(b.numel() for n, b in net.named_buffers() if 'num_batches' not in n)
        print(name, "parameters", params, "bn-running-stats", stats, "multiply-adds", macs(net, 224))


if __name__ == "__main__":
    if sys.argv[1] == "caffe":
        caffe(sys.argv[2])
    else:
        torchvision_counts()
