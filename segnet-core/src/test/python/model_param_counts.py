#!/usr/bin/env python3
"""Parameter counts of segnet-models' architectures, from PyTorch reference implementations of the same configs.

Run from the repository root with Debian's PyTorch (torch 1.13, torchvision 0.14):

    /usr/bin/python3 segnet-core/src/test/python/model_param_counts.py

Writes segnet-models/src/test/resources/param_counts.json: one entry per case with the segnet config (the JSON that
io.segnet.models.ModelConfig.fromJson reads), the number of trainable parameters
(sum(p.numel() for p in model.parameters())) and of running statistics (batch-norm running_mean and running_var;
num_batches_tracked, which segnet does not keep, is left out). ParamCountsTest builds every config in Java and asserts
both counts.

The modules below follow the Javadoc of the segnet classes, written independently in PyTorch: encoders (VGG16 as
torchvision's vgg16/vgg16_bn features, ResNet-18/34/50 as torchvision's with dilation, U-Net's small encoder) and the
decoders of FCN, U-Net, UNet++, SegNet, PSPNet and DeepLabv3+. They are checked here against torchvision (encoder
parameter counts at full width) and against ../shared/bench/torch_reference.py (the benchmark's U-Net, DeepLabv3+ and
FCN-8s must have exactly the counts of the segnet configs that stand for them). Small cases also run a forward pass at
the config's input size to check the wiring and the output shape.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
OUT = os.path.join(ROOT, "segnet-models", "src", "test", "resources", "param_counts.json")
BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))


# ---------------------------------------------------------------- blocks

def conv_bn_relu(i, o, k=3, s=1, d=1, bn=True):
    p = d * (k - 1) // 2
    if bn:
        return nn.Sequential(nn.Conv2d(i, o, k, s, p, dilation=d, bias=False), nn.BatchNorm2d(o), nn.ReLU())
    return nn.Sequential(nn.Conv2d(i, o, k, s, p, dilation=d), nn.ReLU())


def separable_bn_relu(i, o, d, bn=True):
    layers = [nn.Conv2d(i, i, 3, padding=d, dilation=d, groups=i, bias=False), nn.Conv2d(i, o, 1, bias=not bn)]
    if bn:
        layers.append(nn.BatchNorm2d(o))
    layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def double_conv(i, o, bn):
    return nn.Sequential(conv_bn_relu(i, o, bn=bn), conv_bn_relu(o, o, bn=bn))


def resize(x, ref):
    return F.interpolate(x, size=ref.shape[-2:], mode="bilinear", align_corners=False)


# ---------------------------------------------------------------- encoders
# Each encoder has: channels, strides, is_input (per feature map), forward(x, levels) -> list of maps, and for
# pooling encoders `stages` [(convs, in, out, pooled_after)] and the pooling indices of the last forward pass.

class Vgg16Encoder(nn.Module):
    CONVS = (2, 2, 3, 3, 3)
    WIDTHS = (1, 2, 4, 8, 8)

    def __init__(self, cin, width, bn):
        super().__init__()
        self.blocks = nn.ModuleList()
        c = cin
        for n, m in zip(self.CONVS, self.WIDTHS):
            layers = []
            for _ in range(n):
                layers.append(nn.Conv2d(c, width * m, 3, padding=1))
                if bn:
                    layers.append(nn.BatchNorm2d(width * m))
                layers.append(nn.ReLU())
                c = width * m
            self.blocks.append(nn.Sequential(*layers))
        ins = [cin] + [width * m for m in self.WIDTHS[:-1]]
        self.stages = [(n, i, width * m, True) for n, m, i in zip(self.CONVS, self.WIDTHS, ins)]
        self.channels = [width] + [width * m for m in self.WIDTHS]
        self.strides = [1, 2, 4, 8, 16, 32]
        self.is_input = [False] * 6
        self.indices = []

    def truncate(self, levels):
        """Keeps what the first `levels` maps need."""
        self.blocks = self.blocks[:max(1, levels - 1)]

    def forward(self, x, levels=6):
        maps, self.indices = [], []
        for b, block in enumerate(self.blocks):
            x = block(x)
            if b == 0:
                maps.append(x)
                if len(maps) == levels:
                    break
            x, idx = F.max_pool2d(x, 2, return_indices=True)
            self.indices.append(idx)
            maps.append(x)
            if len(maps) == levels:
                break
        return maps


class SmallEncoder(nn.Module):
    def __init__(self, cin, width, depth, bn):
        super().__init__()
        self.stages_ = nn.ModuleList([double_conv(cin, width, bn)])
        for i in range(1, depth + 1):
            self.stages_.append(double_conv(width << (i - 1), width << i, bn))
        self.channels = [width << i for i in range(depth + 1)]
        self.strides = [1 << i for i in range(depth + 1)]
        self.is_input = [False] * (depth + 1)
        ins = [cin] + self.channels[:-1]
        self.stages = [(2, ins[i], self.channels[i], i < depth) for i in range(depth + 1)]
        self.indices = []

    def truncate(self, levels):
        self.stages_ = self.stages_[:levels]

    def forward(self, x, levels=None):
        levels = levels or len(self.channels)
        self.indices = []
        x = self.stages_[0](x)
        maps = [x]
        for i in range(1, levels):
            x, idx = F.max_pool2d(x, 2, return_indices=True)
            self.indices.append(idx)
            x = self.stages_[i](x)
            maps.append(x)
        return maps


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, i, planes, stride, d):
        super().__init__()
        self.c1 = nn.Conv2d(i, planes, 3, stride, d, dilation=d, bias=False)
        self.b1 = nn.BatchNorm2d(planes)
        self.c2 = nn.Conv2d(planes, planes, 3, 1, d, dilation=d, bias=False)
        self.b2 = nn.BatchNorm2d(planes)
        self.down = None
        if stride != 1 or i != planes:
            self.down = nn.Sequential(nn.Conv2d(i, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, i, planes, stride, d):
        super().__init__()
        out = planes * 4
        self.c1 = nn.Conv2d(i, planes, 1, bias=False)
        self.b1 = nn.BatchNorm2d(planes)
        self.c2 = nn.Conv2d(planes, planes, 3, stride, d, dilation=d, bias=False)
        self.b2 = nn.BatchNorm2d(planes)
        self.c3 = nn.Conv2d(planes, out, 1, bias=False)
        self.b3 = nn.BatchNorm2d(out)
        self.down = None
        if stride != 1 or i != out:
            self.down = nn.Sequential(nn.Conv2d(i, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = F.relu(self.b2(self.c2(y)))
        y = self.b3(self.c3(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNetEncoder(nn.Module):
    def __init__(self, cin, depth, output_stride, width, dilation_mode):
        super().__init__()
        block = Bottleneck if depth == 50 else BasicBlock
        counts = [2, 2, 2, 2] if depth == 18 else [3, 4, 6, 3]
        self.stem = nn.Sequential(nn.Conv2d(cin, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.layers = nn.ModuleList()
        inplanes, stride, rate = width, 4, 1
        self.channels, self.strides = [cin, width], [1, 2]
        for li in range(4):
            s = 1 if li == 0 else 2
            prev = rate
            if (li == 3 and output_stride <= 16) or (li == 2 and output_stride == 8):
                rate *= s
                s = 1
            else:
                stride *= s
            planes = width << li
            blocks = []
            for b in range(counts[li]):
                r = prev if (b == 0 and dilation_mode == "TORCHVISION") else rate
                blocks.append(block(inplanes, planes, s if b == 0 else 1, r))
                inplanes = planes * block.expansion
            self.layers.append(nn.Sequential(*blocks))
            self.channels.append(inplanes)
            self.strides.append(stride)
        self.is_input = [True] + [False] * 5
        self.stages = None

    def truncate(self, levels):
        if levels < 2:
            self.stem = None
        self.layers = self.layers[:max(0, levels - 2)]

    def forward(self, x, levels=6):
        maps = [x]
        if levels == 1:
            return maps
        x = self.stem(x)
        maps.append(x)
        x = F.max_pool2d(x, 3, 2, 1)
        for layer in self.layers:
            if len(maps) == levels:
                break
            x = layer(x)
            maps.append(x)
        return maps


def make_encoder(cfg, cin):
    t = cfg["type"]
    if t == "vgg16":
        return Vgg16Encoder(cin, cfg["width"], cfg["batchNorm"])
    if t == "small":
        return SmallEncoder(cin, cfg["width"], cfg["depth"], cfg["batchNorm"])
    if t == "resnet":
        return ResNetEncoder(cin, cfg["depth"], cfg["outputStride"], cfg["width"], cfg.get("dilation", "TORCHVISION"))
    raise ValueError(t)


def first_at(enc, stride):
    for i, (s, raw) in enumerate(zip(enc.strides, enc.is_input)):
        if s == stride and not raw:
            return i
    raise ValueError(stride)


def decoder_widths(enc, explicit, levels):
    w = []
    for l in range(levels - 1):
        if explicit:
            w.append(explicit[l])
        elif enc.is_input[l]:
            w.append(max(1, enc.channels[l + 1] // 2))
        else:
            w.append(enc.channels[l])
    return w


# ---------------------------------------------------------------- architectures

class UNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        e = self.enc
        n = len(e.channels)
        self.w = decoder_widths(e, c.get("decoderChannels") or [], n)
        self.transposed = c["upsampling"] == "TRANSPOSED"
        self.ups, self.blocks, self.ratios = nn.ModuleList(), nn.ModuleList(), []
        x_ch = e.channels[-1]
        for l in range(n - 2, -1, -1):
            ratio = e.strides[l + 1] // e.strides[l]
            self.ratios.append(ratio)
            if ratio == 1:
                up, up_ch = nn.Identity(), x_ch
            elif self.transposed:
                up, up_ch = nn.ConvTranspose2d(x_ch, self.w[l], ratio, ratio), self.w[l]
            else:
                up, up_ch = nn.Identity(), x_ch
            self.ups.append(up)
            self.blocks.append(double_conv(up_ch + (0 if e.is_input[l] else e.channels[l]), self.w[l], c["batchNorm"]))
            x_ch = self.w[l]
        self.head = nn.Conv2d(self.w[0], c["numClasses"], 1)

    def forward(self, x):
        maps = self.enc(x)
        y = maps[-1]
        for k, l in enumerate(range(len(maps) - 2, -1, -1)):
            y = self.ups[k](y)
            if self.ratios[k] != 1 and not self.transposed:
                y = resize(y, maps[l])
            if not self.enc.is_input[l]:
                y = torch.cat([y, maps[l]], 1)
            y = self.blocks[k](y)
        return [self.head(y)]


class UNetPlusPlus(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        e = self.enc
        full = len(e.channels) - 1
        self.depth = c.get("inferenceDepth") or full
        L = self.depth
        e.truncate(L + 1)
        self.w = decoder_widths(e, c.get("decoderChannels") or [], len(e.channels))
        self.transposed = c["upsampling"] == "TRANSPOSED"
        self.nodes, self.ups = nn.ModuleDict(), nn.ModuleDict()
        ch = {(i, 0): e.channels[i] for i in range(L + 1)}
        for j in range(1, L + 1):
            for i in range(0, L - j + 1):
                ratio = e.strides[i + 1] // e.strides[i]
                below = ch[(i + 1, j - 1)]
                if ratio == 1 or not self.transposed:
                    up_ch = below
                    self.ups[f"{i}_{j}"] = nn.Identity()
                else:
                    up_ch = self.w[i]
                    self.ups[f"{i}_{j}"] = nn.ConvTranspose2d(below, self.w[i], ratio, ratio)
                cin = up_ch + sum(ch[(i, k)] for k in range(1 if e.is_input[i] else 0, j))
                self.nodes[f"{i}_{j}"] = double_conv(cin, self.w[i], c["batchNorm"])
                ch[(i, j)] = self.w[i]
        self.all_heads = c["deepSupervision"] and not c.get("inferenceDepth")
        heads = range(1, L + 1) if self.all_heads else [L]
        self.heads = nn.ModuleDict({str(j): nn.Conv2d(self.w[0], c["numClasses"], 1) for j in heads})

    def forward(self, x):
        L = self.depth
        maps = self.enc(x, L + 1)
        X = {(i, 0): maps[i] for i in range(L + 1)}
        for j in range(1, L + 1):
            for i in range(0, L - j + 1):
                up = self.ups[f"{i}_{j}"](X[(i + 1, j - 1)])
                if up.shape[-2:] != maps[i].shape[-2:]:
                    up = resize(up, maps[i])
                parts = [X[(i, k)] for k in range(1 if self.enc.is_input[i] else 0, j)] + [up]
                X[(i, j)] = self.nodes[f"{i}_{j}"](torch.cat(parts, 1))
        return [self.heads[j](X[(0, int(j))]) for j in self.heads]


class FCN(nn.Module):
    SKIPS = {"FCN_32S": [], "FCN_16S": [16], "FCN_8S": [16, 8]}

    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        e, k = self.enc, c["numClasses"]
        self.fc6 = nn.Conv2d(e.channels[-1], c["fc6Channels"], c["fc6Kernel"], padding=c["fc6Kernel"] // 2)
        self.fc7 = nn.Conv2d(c["fc6Channels"], c["fc7Channels"], 1)
        self.score = nn.Conv2d(c["fc7Channels"], k, 1)
        self.transposed = c["upsampling"] == "TRANSPOSED"
        self.skips = self.SKIPS[c["variant"]]
        self.skip_scores, self.ups = nn.ModuleList(), nn.ModuleList()
        stride = e.strides[-1]
        for s in self.skips:
            self.skip_scores.append(nn.Conv2d(e.channels[first_at(e, s)], k, 1))
            r = stride // s
            self.ups.append(nn.ConvTranspose2d(k, k, 2 * r, r, bias=False) if self.transposed else nn.Identity())
            stride = s
        self.final = nn.ConvTranspose2d(k, k, 2 * stride, stride, bias=False) if self.transposed else nn.Identity()
        self.final_stride = stride

    def up(self, module, y, ref, r):
        if not self.transposed:
            return resize(y, ref)
        y = module(y)
        o = r // 2
        return y[:, :, o:o + ref.shape[2], o:o + ref.shape[3]]

    def forward(self, x):
        maps = self.enc(x)
        y = self.score(F.relu(self.fc7(F.relu(self.fc6(maps[-1])))))
        stride = self.enc.strides[-1]
        for s, sc, up in zip(self.skips, self.skip_scores, self.ups):
            skip = sc(maps[first_at(self.enc, s)])
            y = self.up(up, y, skip, stride // s) + skip
            stride = s
        return [self.up(self.final, y, x, stride)]


class SegNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        bn = c["batchNorm"]
        self.dec = nn.ModuleList()
        stages = self.enc.stages
        for k in range(len(stages) - 1, -1, -1):
            convs, cin, cout, _ = stages[k]
            layers = []
            n = convs - 1 if k == 0 else convs
            for j in range(1, n + 1):
                layers.append(conv_bn_relu(cout, cin if j == convs else cout, bn=bn))
            self.dec.append(nn.Sequential(*layers))
        self.classifier = nn.Conv2d(self.enc.channels[0], c["numClasses"], 3, padding=1)

    def forward(self, x):
        maps = self.enc(x)
        y = maps[-1]
        stages = self.enc.stages
        pre_pool = [m.shape[-2:] for m in maps[:-1]]  # the input size of each stage's pooling layer
        for k_index, k in enumerate(range(len(stages) - 1, -1, -1)):
            if stages[k][3]:
                y = F.max_unpool2d(y, self.enc.indices[k], 2, output_size=pre_pool[k])
            y = self.dec[k_index](y)
        return [self.classifier(y)]


class PSPNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        e, k = self.enc, c["numClasses"]
        top = e.channels[-1]
        self.bins = c["bins"]
        branch = c["branchChannels"] or max(1, top // len(self.bins))
        self.branches = nn.ModuleList([conv_bn_relu(top, branch, 1) for _ in self.bins])
        self.bottleneck = conv_bn_relu(top + branch * len(self.bins), c["bottleneckChannels"], 3)
        self.classifier = nn.Conv2d(c["bottleneckChannels"], k, 1)
        self.aux = None
        if c["auxiliary"]:
            self.aux = nn.Sequential(conv_bn_relu(e.channels[-2], c["auxiliaryChannels"], 3),
                                     nn.Conv2d(c["auxiliaryChannels"], k, 1))

    def forward(self, x):
        maps = self.enc(x)
        f = maps[-1]
        parts = [f] + [resize(b(F.adaptive_avg_pool2d(f, n)), f) for b, n in zip(self.branches, self.bins)]
        out = [resize(self.classifier(self.bottleneck(torch.cat(parts, 1))), x)]
        if self.aux is not None:
            out.append(resize(self.aux(maps[-2]), x))
        return out


class DeepLabV3Plus(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.enc = make_encoder(c["encoder"], c["inChannels"])
        e, a = self.enc, c["asppChannels"]
        top = e.channels[-1]
        rates = c["asppRates"] or {16: [6, 12, 18], 8: [12, 24, 36]}[e.strides[-1]]
        sep = c["separable"]
        self.aspp = nn.ModuleList([conv_bn_relu(top, a, 1)] + [
            separable_bn_relu(top, a, r) if sep else conv_bn_relu(top, a, 3, d=r) for r in rates])
        self.pool = conv_bn_relu(top, a, 1)
        self.project = conv_bn_relu(a * (len(rates) + 2), a, 1)
        self.low_index = first_at(e, 4)
        self.low = conv_bn_relu(e.channels[self.low_index], c["lowLevelChannels"], 1)
        d = c["decoderChannels"]
        fuse_in = a + c["lowLevelChannels"]
        self.fuse = nn.Sequential(separable_bn_relu(fuse_in, d, 1) if sep else conv_bn_relu(fuse_in, d, 3),
                                  separable_bn_relu(d, d, 1) if sep else conv_bn_relu(d, d, 3))
        self.classifier = nn.Conv2d(d, c["numClasses"], 1)

    def forward(self, x):
        maps = self.enc(x)
        f = maps[-1]
        branches = [b(f) for b in self.aspp] + [resize(self.pool(F.adaptive_avg_pool2d(f, 1)), f)]
        y = self.project(torch.cat(branches, 1))
        low = maps[self.low_index]
        y = self.fuse(torch.cat([resize(y, low), self.low(low)], 1))
        return [resize(self.classifier(y), x)]


ARCHITECTURES = {"unet": UNet, "unetplusplus": UNetPlusPlus, "fcn": FCN, "segnet": SegNet, "pspnet": PSPNet,
                 "deeplabv3plus": DeepLabV3Plus}


def counts(model):
    params = sum(p.numel() for p in model.parameters())
    stats = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
    return params, stats


# ---------------------------------------------------------------- configs (segnet's JSON)

CE = {"crossEntropyWeight": 1.0, "diceWeight": 0.0, "classWeights": [], "ignoreIndex": 255}


def small(width, depth, bn=True):
    return {"type": "small", "width": width, "depth": depth, "batchNorm": bn}


def vgg(width=64, bn=False):
    return {"type": "vgg16", "width": width, "batchNorm": bn}


def resnet(depth, os_, width=64, dilation="TORCHVISION"):
    return {"type": "resnet", "depth": depth, "outputStride": os_, "width": width, "dilation": dilation}


def unet(cin, k, h, w, enc, up="TRANSPOSED", bn=True, dec=None):
    return {"type": "unet", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w, "encoder": enc,
            "upsampling": up, "batchNorm": bn, "decoderChannels": dec or [], "loss": CE}


def unetpp(cin, k, h, w, enc, up="TRANSPOSED", bn=True, ds=True, depth=0, dec=None):
    return {"type": "unetplusplus", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w,
            "encoder": enc, "upsampling": up, "batchNorm": bn, "deepSupervision": ds, "inferenceDepth": depth,
            "decoderChannels": dec or [], "loss": CE}


def fcn(cin, k, h, w, enc, variant="FCN_8S", up="TRANSPOSED", fc6=4096, kernel=7, fc7=4096):
    return {"type": "fcn", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w, "encoder": enc,
            "variant": variant, "upsampling": up, "fc6Channels": fc6, "fc6Kernel": kernel, "fc7Channels": fc7,
            "loss": CE}


def segnet(cin, k, h, w, enc, bn=True):
    return {"type": "segnet", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w, "encoder": enc,
            "batchNorm": bn, "loss": CE}


def pspnet(cin, k, h, w, enc, bins=(1, 2, 3, 6), branch=0, bottleneck=512, aux=True, aux_ch=256, aux_w=0.4):
    return {"type": "pspnet", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w, "encoder": enc,
            "bins": list(bins), "branchChannels": branch, "bottleneckChannels": bottleneck, "auxiliary": aux,
            "auxiliaryChannels": aux_ch, "auxiliaryWeight": aux_w, "loss": CE}


def deeplab(cin, k, h, w, enc, aspp=256, rates=(), sep=False, low=48, dec=256):
    return {"type": "deeplabv3plus", "inChannels": cin, "numClasses": k, "inputHeight": h, "inputWidth": w,
            "encoder": enc, "asppChannels": aspp, "asppRates": list(rates), "separable": sep, "lowLevelChannels": low,
            "decoderChannels": dec, "loss": CE}


# name -> (config, run a forward pass at the config's size)
CASES = {
    "unet_small_transposed": (unet(1, 3, 32, 40, small(4, 3)), True),
    "unet_small_bilinear_nobn": (unet(3, 2, 35, 29, small(4, 3, False), "BILINEAR", False), True),
    "unet_small_decoder_channels": (unet(2, 4, 16, 24, small(4, 2), dec=[6, 10]), True),
    "unet_vgg16_w8": (unet(3, 5, 64, 32, vgg(8)), True),
    "unet_resnet18_w8_bilinear": (unet(3, 4, 65, 33, resnet(18, 32, 8), "BILINEAR"), True),
    "unet_resnet50_w8_os16": (unet(1, 3, 64, 64, resnet(50, 16, 8)), True),
    "unet_classic_64_depth4": (unet(1, 2, 64, 64, small(64, 4)), False),
    "unetpp_small_deep_supervision": (unetpp(1, 3, 32, 48, small(4, 3)), True),
    "unetpp_small_bilinear_single_head": (unetpp(3, 2, 37, 30, small(4, 3, False), "BILINEAR", False, False), True),
    "unetpp_small_pruned_2": (unetpp(1, 3, 32, 48, small(4, 3), depth=2), True),
    "unetpp_resnet34_w8": (unetpp(3, 4, 64, 64, resnet(34, 32, 8)), True),
    "unetpp_default_32_depth4": (unetpp(3, 2, 64, 64, small(32, 4)), False),
    "fcn8s_vgg16_w8_transposed": (fcn(3, 5, 64, 96, vgg(8), fc6=32, kernel=7, fc7=32), True),
    "fcn16s_vgg16_w8_bilinear": (fcn(3, 5, 70, 45, vgg(8), "FCN_16S", "BILINEAR", 32, 3, 16), True),
    "fcn32s_vgg16_w8_transposed": (fcn(1, 4, 64, 64, vgg(8, True), "FCN_32S", "TRANSPOSED", 16, 1, 16), True),
    "fcn8s_resnet18_w8_bilinear": (fcn(3, 6, 33, 47, resnet(18, 32, 8), "FCN_8S", "BILINEAR", 24, 3, 24), True),
    "fcn8s_paper": (fcn(3, 21, 256, 256, vgg(64)), False),
    "segnet_vgg16_w8": (segnet(3, 5, 67, 45, vgg(8, True)), True),
    "segnet_small_nobn": (segnet(1, 3, 35, 37, small(4, 3, False), False), True),
    "segnet_paper": (segnet(3, 12, 256, 256, vgg(64, True)), False),
    "pspnet_resnet50_w8_os8": (pspnet(3, 5, 65, 49, resnet(50, 8, 8), bottleneck=32, aux_ch=16), True),
    "pspnet_resnet18_w8_os16_noaux": (pspnet(3, 4, 64, 64, resnet(18, 16, 8), (1, 2, 4), 6, 16, False), True),
    "pspnet_small": (pspnet(1, 3, 32, 32, small(4, 3), bottleneck=8, aux_ch=8), True),
    "pspnet_paper": (pspnet(3, 21, 256, 256, resnet(50, 8)), False),
    "deeplab_resnet18_w8_os16": (deeplab(3, 5, 64, 64, resnet(18, 16, 8), 16, dec=16), True),
    "deeplab_resnet50_w8_os8_separable": (deeplab(3, 4, 57, 61, resnet(50, 8, 8), 16, sep=True, low=8, dec=12), True),
    "deeplab_resnet34_w8_os16_uniform": (deeplab(1, 3, 64, 64, resnet(34, 16, 8, "UNIFORM"), 8, low=4, dec=8), True),
    "deeplab_vgg16_w8_rates": (deeplab(3, 3, 64, 64, vgg(8), 8, (1, 2, 3), low=4, dec=8), True),
    "deeplab_small_rates": (deeplab(1, 2, 35, 36, small(4, 4), 8, (1, 2), low=4, dec=8), True),
    "deeplab_paper": (deeplab(3, 21, 512, 512, resnet(50, 16)), False),
}


REALISTIC = os.path.join(ROOT, "segnet-bench", "src", "main", "resources", "io", "segnet", "bench", "models",
                         "realistic-cases.json")


def realistic_cases():
    """The realistic-size benchmark's configs (segnet-bench), counted here so that ParamCountsTest checks them too."""
    with open(REALISTIC) as f:
        return {"realistic_" + c["name"].replace("-", "_"): (c["config"], False) for c in json.load(f)["cases"]}


def check_encoders_against_torchvision():
    def without_fc(m):
        return sum(p.numel() for n, p in m.named_parameters() if not n.startswith("fc."))

    for depth, ctor in ((18, torchvision.models.resnet18), (34, torchvision.models.resnet34),
                        (50, torchvision.models.resnet50)):
        ours, theirs = counts(ResNetEncoder(3, depth, 32, 64, "TORCHVISION"))[0], without_fc(ctor())
        assert ours == theirs, f"ResNet-{depth}: reference {ours} != torchvision {theirs}"
    for bn, ctor in ((False, torchvision.models.vgg16), (True, torchvision.models.vgg16_bn)):
        ours, theirs = counts(Vgg16Encoder(3, 64, bn))[0], counts(ctor().features)[0]
        assert ours == theirs, f"VGG16 (bn={bn}): reference {ours} != torchvision {theirs}"
    # torchvision's own dilated ResNet-50 (replace_stride_with_dilation) has the same counts as ours at OS 8.
    tv = torchvision.models.resnet50(replace_stride_with_dilation=[False, True, True])
    assert counts(ResNetEncoder(3, 50, 8, 64, "TORCHVISION"))[0] == without_fc(tv)


def bench_cases():
    """The benchmark's models, from torch_reference.py itself, with the segnet configs that stand for them."""
    sys.path.insert(0, BENCH)
    import torch_reference as ref
    torch.set_num_threads(2)
    cases = {
        "bench_M1_unet": (unet(1, 11, 64, 84, small(16, 2)), ref.UNet()),
        "bench_M2_deeplabv3plus": (deeplab(3, 21, 256, 256, resnet(18, 16, 64, "UNIFORM"), 128, (6, 12, 18), dec=128),
                                   ref.DeepLabV3Plus()),
        "bench_I1_fcn8s": (fcn(3, 21, 256, 256, vgg(64), "FCN_8S", "BILINEAR", 1024, 3, 1024), ref.FCN8s()),
    }
    out = {}
    for name, (config, module) in cases.items():
        theirs = counts(module)
        ours = counts(ARCHITECTURES[config["type"]](config))
        assert ours == theirs, f"{name}: reference implementation {ours} != torch_reference.py {theirs}"
        out[name] = (config, theirs)
    return out


def main():
    torch.manual_seed(0)
    check_encoders_against_torchvision()
    results = []
    for name, (config, run) in {**CASES, **realistic_cases()}.items():
        model = ARCHITECTURES[config["type"]](config)
        params, stats = counts(model)
        if run:
            model.eval()
            with torch.no_grad():
                x = torch.rand(2, config["inChannels"], config["inputHeight"], config["inputWidth"])
                for y in model(x):
                    expected = (2, config["numClasses"], config["inputHeight"], config["inputWidth"])
                    assert tuple(y.shape) == expected, f"{name}: output {tuple(y.shape)}, expected {expected}"
        results.append({"name": name, "config": config, "parameters": params, "statistics": stats})
    for name, (config, (params, stats)) in bench_cases().items():
        results.append({"name": name, "config": config, "parameters": params, "statistics": stats})
    with open(OUT, "w") as f:
        json.dump({"generator": "segnet-core/src/test/python/model_param_counts.py",
                   "torch": torch.__version__, "torchvision": torchvision.__version__, "cases": results}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    main()
