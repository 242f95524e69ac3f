#!/usr/bin/env python3
"""Golden files for segnet's PyTorch weight import (io.segnet.models.weights).

Run with the system Python that has torch and torchvision (Debian: apt-get install python3-torch python3-torchvision):

    /usr/bin/python3 segnet-models/src/test/python/make_weight_goldens.py [OUT_DIR]

OUT_DIR defaults to segnet-models/src/test/resources/weights. Everything is seeded, so a rerun rewrites the same
tensors (the zip files differ only in their archive name). What it writes:

- torchvision ResNet-18/34/50 and VGG16 / VGG16-BN with the stem width 4 instead of 64 (segnet's
  ResNetConfig.width / Vgg16Config.width; same modules, hence the same state_dict keys as torchvision's), batch-norm
  statistics randomised, classifier heads shrunk, each in another layout:
    resnet18_w4.pth              zip format (torch.save default), torchvision keys
    resnet34_w4_legacy.pth       legacy format (_use_new_zipfile_serialization=False), DataParallel 'module.' keys
    resnet50_w4.safetensors      safetensors, smp keys ('encoder.' + smp-style decoder/head keys to be dropped)
    vgg16_w4.pth                 zip, a Lightning-style checkpoint {'epoch', 'state_dict': {'model.features...'}}
    vgg16_bn_w4_legacy.pth       legacy format, torchvision keys
- expected_features.safetensors: the fixed input [2, 3, 64, 64] and every encoder feature map in eval mode.
- dtypes.pth / dtypes_legacy.pth / dtypes.safetensors: float32, float64, float16, bfloat16, int64, int32, a 0-d
  tensor, an nn.Parameter, transposed, sliced (storage offset), expanded (stride 0) and storage-sharing views;
  dtypes_expected.safetensors holds each tensor contiguous, float32 (or int64 for integer tensors).
- malicious.pth / malicious_legacy.pth: a pickle that would call os.system; segnet must refuse it.
"""
import collections
import json
import os
import struct
import sys

import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet
from torchvision.models.vgg import VGG, make_layers

WIDTH = 4
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "weights")


class NarrowResNet(ResNet):
    """torchvision's ResNet with `width` stem channels (64 in torchvision); same modules and keys."""

    def __init__(self, block, layers, width, num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = width
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(block, width * 8, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * block.expansion, num_classes)

    def features(self, x):
        """segnet's ResNet feature maps: stem (stride 2), layer1..layer4."""
        stem = self.relu(self.bn1(self.conv1(x)))
        out = {"stem": stem}
        x = self.maxpool(stem)
        for i in range(1, 5):
            x = getattr(self, "layer%d" % i)(x)
            out["layer%d" % i] = x
        return out


def narrow_vgg16(width, batch_norm):
    """torchvision's vgg16 / vgg16_bn features with `width` first-block channels; a small classifier (same keys)."""
    cfg = []
    for convs, mult in zip((2, 2, 3, 3, 3), (1, 2, 4, 8, 8)):
        cfg += [width * mult] * convs + ["M"]
    model = VGG(make_layers(cfg, batch_norm=batch_norm), num_classes=10, init_weights=True)
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    model.classifier = nn.Sequential(nn.Linear(width * 8, 16), nn.ReLU(True), nn.Dropout(),
                                     nn.Linear(16, 16), nn.ReLU(True), nn.Dropout(), nn.Linear(16, 10))
    return model


def vgg_features(model, x):
    """segnet's VGG feature maps: block1 (before pool1), pool1..pool5."""
    out, pools = {}, 0
    for m in model.features:
        if isinstance(m, nn.MaxPool2d):
            if pools == 0:
                out["block1"] = x
            pools += 1
            x = m(x)
            out["pool%d" % pools] = x
        else:
            x = m(x)
    return out


def randomise(model, seed):
    """Weights from torchvision's own init (seeded); batch-norm affine and running statistics made non-trivial."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
                m.num_batches_tracked.fill_(1234)
    return model.eval()


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
                      torch.int64: "I64", torch.int32: "I32"}


def save_safetensors(tensors, path, metadata=None):
    """safetensors without the package: u64 header length, JSON header (padded to 8 bytes), raw little-endian data."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def prefixed(state, prefix):
    return collections.OrderedDict((prefix + k, v) for k, v in state.items())


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    x = torch.randn(2, 3, 64, 64)
    expected = collections.OrderedDict(input=x)

    specs = [("resnet18", BasicBlock, (2, 2, 2, 2)), ("resnet34", BasicBlock, (3, 4, 6, 3)),
             ("resnet50", Bottleneck, (3, 4, 6, 3))]
    for seed, (name, block, layers) in enumerate(specs, start=1):
        torch.manual_seed(seed)
        model = randomise(NarrowResNet(block, layers, WIDTH), seed)
        with torch.no_grad():
            for k, v in model.features(x).items():
                expected["%s.%s" % (name, k)] = v
        state = model.state_dict()
        if name == "resnet18":
            torch.save(state, os.path.join(OUT, "resnet18_w4.pth"))
        elif name == "resnet34":
            torch.save(prefixed(state, "module."), os.path.join(OUT, "resnet34_w4_legacy.pth"),
                       _use_new_zipfile_serialization=False)
        else:
            smp = prefixed(state, "encoder.")
            del smp["encoder.fc.weight"], smp["encoder.fc.bias"]  # smp deletes the classifier
            smp["decoder.blocks.0.conv1.0.weight"] = torch.randn(8, 8 * WIDTH * 4, 3, 3)
            smp["segmentation_head.0.weight"] = torch.randn(3, 8, 3, 3)
            save_safetensors(smp, os.path.join(OUT, "resnet50_w4.safetensors"), {"format": "pt"})

    for seed, (name, bn) in enumerate([("vgg16", False), ("vgg16_bn", True)], start=10):
        torch.manual_seed(seed)
        model = randomise(narrow_vgg16(WIDTH, bn), seed)
        with torch.no_grad():
            for k, v in vgg_features(model, x).items():
                expected["%s.%s" % (name, k)] = v
        state = model.state_dict()
        if name == "vgg16":
            torch.save({"epoch": 3, "global_step": 120, "state_dict": prefixed(state, "model.")},
                       os.path.join(OUT, "vgg16_w4.pth"))
        else:
            torch.save(state, os.path.join(OUT, "vgg16_bn_w4_legacy.pth"), _use_new_zipfile_serialization=False)
    save_safetensors(expected, os.path.join(OUT, "expected_features.safetensors"))

    g = torch.Generator().manual_seed(42)
    base = torch.randn(4, 6, generator=g)
    dtypes = collections.OrderedDict()
    dtypes["f32"] = torch.randn(2, 3, generator=g)
    dtypes["f64"] = torch.randn(3, generator=g, dtype=torch.float64)
    dtypes["f16"] = torch.tensor([0.0, -1.5, 65504.0, 6.1e-05, 5.96e-08, 3.14159], dtype=torch.float16)
    dtypes["bf16"] = (torch.randn(2, 2, generator=g) * 1000).to(torch.bfloat16)
    dtypes["i64"] = torch.tensor([0, -1, 2 ** 40 + 3, -(2 ** 62)], dtype=torch.int64)
    dtypes["i32"] = torch.tensor([[7, -8]], dtype=torch.int32)
    dtypes["scalar"] = torch.tensor(2.5)
    dtypes["parameter"] = nn.Parameter(torch.randn(3, generator=g))
    dtypes["transposed"] = base.t()
    dtypes["sliced"] = base[1:, ::2]
    dtypes["expanded"] = torch.arange(3.0).expand(2, 3)
    dtypes["shared_row"] = base[2]
    dtypes["half_strided"] = torch.randn(3, 4, generator=g).half()[:, 1::2]
    torch.save(dtypes, os.path.join(OUT, "dtypes.pth"))
    torch.save(dtypes, os.path.join(OUT, "dtypes_legacy.pth"), _use_new_zipfile_serialization=False)
    save_safetensors(dtypes, os.path.join(OUT, "dtypes.safetensors"))
    save_safetensors(collections.OrderedDict(
        (k, v.detach().contiguous() if v.dtype in (torch.int64, torch.int32) else v.detach().float().contiguous())
        for k, v in dtypes.items()), os.path.join(OUT, "dtypes_expected.safetensors"))

    class Malicious:
        def __reduce__(self):
            return os.system, ("echo segnet-should-never-run-this",)

    torch.save({"conv1.weight": torch.zeros(1), "payload": Malicious()}, os.path.join(OUT, "malicious.pth"))
    torch.save({"conv1.weight": torch.zeros(1), "payload": Malicious()}, os.path.join(OUT, "malicious_legacy.pth"),
               _use_new_zipfile_serialization=False)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("wrote %d files, %.1f KB, to %s" % (len(os.listdir(OUT)), total / 1024, OUT))


if __name__ == "__main__":
    main()
