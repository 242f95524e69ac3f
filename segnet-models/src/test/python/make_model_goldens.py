#!/usr/bin/env python3
"""Golden files for importing whole models: segmentation_models_pytorch's (io.segnet.models.weights.SmpWeights) and
torchvision's segmentation models (TorchvisionSegmentationWeights).

Run with the system Python that has torch and torchvision:

    /usr/bin/python3 segnet-models/src/test/python/make_model_goldens.py [OUT_DIR]

segmentation_models_pytorch cannot be installed here, so this script defines PyTorch modules with smp's module tree,
hence smp's state_dict keys, and smp's forward passes, for its Unet, UnetPlusPlus, PSPNet and DeepLabV3Plus on a
torchvision ResNet encoder, written from smp 0.3's source (segmentation_models_pytorch/decoders/*/decoder.py and
model.py, base/modules.py, base/heads.py, encoders/resnet.py and _base.py):

- encoder: torchvision's ResNet without fc/avgpool; features [x, relu(bn1(conv1)), layer1(maxpool), layer2, layer3,
  layer4] up to encoder_depth; output stride 16/8 by replacing stride with dilation in every conv of layer4 (and
  layer3), 3x3 padding = dilation (smp's make_dilated);
- Conv2dReLU = Sequential(conv (bias only without batch norm), BatchNorm2d or Identity, ReLU);
- Unet: blocks upsample x2 nearest, cat([x, skip]), conv1, conv2; SegmentationHead = Sequential(conv 3x3, Identity,
  Identity);
- UnetPlusPlus: ModuleDict blocks x_{depth_idx}_{layer_idx} with smp's channel rules and dense forward;
- PSPNet: encoder_depth 3, PSPBlock = pool Sequential(AdaptiveAvgPool2d, Conv2dReLU 1x1 without batch norm for the
  1x1 bin) + bilinear resize align_corners=True; cat(bins + [x]); Conv2dReLU 1x1 to psp_out_channels; dropout;
  head conv 3x3 + UpsamplingBilinear2d(8);
- DeepLabV3Plus: aspp = Sequential(ASPP(separable), SeparableConv2d 3x3, BN, ReLU); up = UpsamplingBilinear2d(4);
  block1 = 1x1 conv-BN-ReLU to 48 on the stride-4 map; block2 = SeparableConv2d-BN-ReLU; head conv 1x1 +
  UpsamplingBilinear2d(4).

ResNets have stem width 4 (NarrowResNet of make_weight_goldens.py: torchvision's modules and keys), decoders few
channels, so the files stay small. Every parameter and batch-norm statistic is random (seeded). What it writes to
OUT_DIR (default segnet-models/src/test/resources/weights):

    smp_unet_r34.pth                 Unet(resnet34), decoder_channels (32, 16, 8, 8, 4), 3 classes; zip format
    smp_unetplusplus_r18.pth         UnetPlusPlus(resnet18), decoder_channels (16, 8, 8, 4, 4), 3 classes; a
                                     Lightning checkpoint {'state_dict': {'model.encoder...': ...}}
    smp_pspnet_r18.pth               PSPNet(resnet18), psp_out_channels 16, 3 classes (encoder.layer3/4 unused)
    smp_deeplabv3plus_r50.pth        DeepLabV3Plus(resnet50), output stride 16, rates (12, 24, 36), 16 channels
    smp_deeplabv3plus_r18_os8.pth    DeepLabV3Plus(resnet18), output stride 8, rates (2, 4, 6), 'module.' keys
    smp_unet_r18_bilinear.pth        smp 0.5's Unet(resnet18, decoder_interpolation="bilinear"), 2 classes
    tv_fcn_r50.pth                   torchvision's FCN (fcn_resnet50's modules: ResNet-50 with
                                     replace_stride_with_dilation [False, True, True], FCNHead on layer4, auxiliary
                                     FCNHead on layer3), 4 classes; zip format
    tv_deeplabv3_r50_legacy.pth      torchvision's DeepLabV3 (deeplabv3_resnet50's modules, DeepLabHead's ASPP with 16
                                     instead of 256 channels, auxiliary FCNHead), 4 classes; legacy format
    expected_models.safetensors      the inputs [1, 3, 64, 96] ("input") and [1, 3, 96, 128] ("input_large", for
                                     torchvision's models, whose rates 12/24/36 need a map wider than 12) and each
                                     model's logits in eval mode (torchvision's "out")
"""
import collections
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models._utils import IntermediateLayerGetter
from torchvision.models.resnet import BasicBlock, Bottleneck
from torchvision.models.segmentation.deeplabv3 import ASPP as TorchvisionASPP, DeepLabV3
from torchvision.models.segmentation.fcn import FCN, FCNHead

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_weight_goldens import NarrowResNet, prefixed, save_safetensors  # noqa: E402

WIDTH = 4
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "weights")
SPECS = {"resnet18": (BasicBlock, (2, 2, 2, 2)), "resnet34": (BasicBlock, (3, 4, 6, 3)),
         "resnet50": (Bottleneck, (3, 4, 6, 3))}


# --- encoder ---------------------------------------------------------------------------------------------------------
class SmpResNetEncoder(NarrowResNet):
    """smp's ResNetEncoder: torchvision's ResNet without fc and avgpool, returning depth + 1 feature maps."""

    def __init__(self, name, depth=5, output_stride=32):
        block, layers = SPECS[name]
        super().__init__(block, layers, WIDTH)
        del self.fc
        del self.avgpool
        self.depth = depth
        expansion = block.expansion
        self.out_channels = (3, WIDTH, WIDTH * expansion, WIDTH * 2 * expansion, WIDTH * 4 * expansion,
                             WIDTH * 8 * expansion)[: depth + 1]
        if output_stride != 32:
            for stage, rate in {16: [(self.layer4, 2)], 8: [(self.layer3, 2), (self.layer4, 4)]}[output_stride]:
                for m in stage.modules():
                    if isinstance(m, nn.Conv2d):
                        m.stride = (1, 1)
                        m.dilation = (rate, rate)
                        m.padding = ((m.kernel_size[0] // 2) * rate, (m.kernel_size[1] // 2) * rate)

    def forward(self, x):
        stages = [nn.Identity(), nn.Sequential(self.conv1, self.bn1, self.relu),
                  nn.Sequential(self.maxpool, self.layer1), self.layer2, self.layer3, self.layer4]
        features = []
        for i in range(self.depth + 1):
            x = stages[i](x)
            features.append(x)
        return features


# --- shared blocks ---------------------------------------------------------------------------------------------------
class Conv2dReLU(nn.Sequential):
    def __init__(self, cin, cout, k, padding=0, use_batchnorm=True):
        super().__init__(nn.Conv2d(cin, cout, k, padding=padding, bias=not use_batchnorm),
                         nn.BatchNorm2d(cout) if use_batchnorm else nn.Identity(), nn.ReLU(inplace=True))


class SegmentationHead(nn.Sequential):
    def __init__(self, cin, classes, kernel_size=3, upsampling=1):
        super().__init__(nn.Conv2d(cin, classes, kernel_size, padding=kernel_size // 2),
                         nn.UpsamplingBilinear2d(scale_factor=upsampling) if upsampling > 1 else nn.Identity(),
                         nn.Identity())


class SmpModel(nn.Module):
    def forward(self, x):
        return self.segmentation_head(self.decoder(*self.encoder(x)))


class DecoderBlock(nn.Module):
    """Unet's and UnetPlusPlus's block (attention None: parameter-free identities). smp 0.5's Unet resizes to the
    skip's size with its decoder_interpolation ("nearest" by default, or "bilinear"), the same as x2 for sizes that 32
    divides."""

    def __init__(self, cin, skip, cout, mode="nearest"):
        super().__init__()
        self.mode = mode
        self.conv1 = Conv2dReLU(cin + skip, cout, 3, padding=1)
        self.attention1 = nn.Identity()
        self.conv2 = Conv2dReLU(cout, cout, 3, padding=1)
        self.attention2 = nn.Identity()

    def forward(self, x, skip=None):
        if skip is not None and self.mode != "nearest":
            x = F.interpolate(x, size=skip.shape[2:], mode=self.mode)
        else:
            x = F.interpolate(x, scale_factor=2, mode=self.mode)
        if skip is not None:
            x = torch.cat([x, skip], dim=1)
        return self.conv2(self.conv1(x))


# --- Unet ------------------------------------------------------------------------------------------------------------
class UnetDecoder(nn.Module):
    def __init__(self, encoder_channels, decoder_channels, mode="nearest"):
        super().__init__()
        enc = list(encoder_channels[1:])[::-1]
        ins = [enc[0]] + list(decoder_channels[:-1])
        skips = enc[1:] + [0]
        self.center = nn.Identity()
        self.blocks = nn.ModuleList([DecoderBlock(i, s, o, mode) for i, s, o in zip(ins, skips, decoder_channels)])

    def forward(self, *features):
        features = features[1:][::-1]
        x, skips = self.center(features[0]), features[1:]
        for i, block in enumerate(self.blocks):
            x = block(x, skips[i] if i < len(skips) else None)
        return x


class Unet(SmpModel):
    def __init__(self, encoder, decoder_channels, classes, decoder_interpolation="nearest"):
        super().__init__()
        self.encoder = SmpResNetEncoder(encoder)
        self.decoder = UnetDecoder(self.encoder.out_channels, decoder_channels, decoder_interpolation)
        self.segmentation_head = SegmentationHead(decoder_channels[-1], classes, 3)


# --- UnetPlusPlus ----------------------------------------------------------------------------------------------------
class UnetPlusPlusDecoder(nn.Module):
    def __init__(self, encoder_channels, decoder_channels):
        super().__init__()
        enc = list(encoder_channels[1:])[::-1]
        self.in_channels = [enc[0]] + list(decoder_channels[:-1])
        self.skip_channels = enc[1:] + [0]
        self.out_channels = list(decoder_channels)
        self.center = nn.Identity()
        blocks = {}
        for layer in range(len(self.in_channels) - 1):
            for d in range(layer + 1):
                if d == 0:
                    cin, skip, cout = (self.in_channels[layer], self.skip_channels[layer] * (layer + 1),
                                       self.out_channels[layer])
                else:
                    cin, skip, cout = (self.skip_channels[layer - 1], self.skip_channels[layer] * (layer + 1 - d),
                                       self.skip_channels[layer])
                blocks["x_%d_%d" % (d, layer)] = DecoderBlock(cin, skip, cout)
        last = len(self.in_channels) - 1
        blocks["x_0_%d" % last] = DecoderBlock(self.in_channels[-1], 0, self.out_channels[-1])
        self.blocks = nn.ModuleDict(blocks)
        self.depth = last

    def forward(self, *features):
        features = features[1:][::-1]
        dense = {}
        for layer in range(len(self.in_channels) - 1):
            for d in range(self.depth - layer):
                if layer == 0:
                    dense["x_%d_%d" % (d, d)] = self.blocks["x_%d_%d" % (d, d)](features[d], features[d + 1])
                else:
                    li = d + layer
                    cat = [dense["x_%d_%d" % (idx, li)] for idx in range(d + 1, li + 1)] + [features[li + 1]]
                    dense["x_%d_%d" % (d, li)] = self.blocks["x_%d_%d" % (d, li)](dense["x_%d_%d" % (d, li - 1)],
                                                                                  torch.cat(cat, dim=1))
        return self.blocks["x_0_%d" % self.depth](dense["x_0_%d" % (self.depth - 1)])


class UnetPlusPlus(SmpModel):
    def __init__(self, encoder, decoder_channels, classes):
        super().__init__()
        self.encoder = SmpResNetEncoder(encoder)
        self.decoder = UnetPlusPlusDecoder(self.encoder.out_channels, decoder_channels)
        self.segmentation_head = SegmentationHead(decoder_channels[-1], classes, 3)


# --- PSPNet ----------------------------------------------------------------------------------------------------------
class PSPBlock(nn.Module):
    def __init__(self, cin, cout, size):
        super().__init__()
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d((size, size)),
                                  Conv2dReLU(cin, cout, (1, 1), use_batchnorm=size != 1))

    def forward(self, x):
        return F.interpolate(self.pool(x), size=x.shape[2:], mode="bilinear", align_corners=True)


class PSPModule(nn.Module):
    def __init__(self, cin, sizes=(1, 2, 3, 6)):
        super().__init__()
        self.blocks = nn.ModuleList([PSPBlock(cin, cin // len(sizes), s) for s in sizes])

    def forward(self, x):
        return torch.cat([b(x) for b in self.blocks] + [x], dim=1)


class PSPDecoder(nn.Module):
    def __init__(self, encoder_channels, out_channels):
        super().__init__()
        self.psp = PSPModule(encoder_channels[-1])
        self.conv = Conv2dReLU(encoder_channels[-1] * 2, out_channels, 1)
        self.dropout = nn.Dropout2d(p=0.2)

    def forward(self, *features):
        return self.dropout(self.conv(self.psp(features[-1])))


class PSPNet(SmpModel):
    def __init__(self, encoder, psp_out_channels, classes, encoder_depth=3):
        super().__init__()
        self.encoder = SmpResNetEncoder(encoder, depth=encoder_depth)
        self.decoder = PSPDecoder(self.encoder.out_channels, psp_out_channels)
        self.segmentation_head = SegmentationHead(psp_out_channels, classes, 3, upsampling=8)


# --- DeepLabV3Plus ---------------------------------------------------------------------------------------------------
class SeparableConv2d(nn.Sequential):
    def __init__(self, cin, cout, k, padding=0, dilation=1, bias=True):
        super().__init__(nn.Conv2d(cin, cin, k, padding=padding, dilation=dilation, groups=cin, bias=False),
                         nn.Conv2d(cin, cout, 1, bias=bias))


class ASPPPooling(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

    def forward(self, x):
        size = x.shape[-2:]
        for m in self:
            x = m(x)
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class ASPP(nn.Module):
    def __init__(self, cin, cout, rates):
        super().__init__()
        convs = [nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())]
        for r in rates:
            convs.append(nn.Sequential(SeparableConv2d(cin, cout, 3, padding=r, dilation=r, bias=False),
                                       nn.BatchNorm2d(cout), nn.ReLU()))
        convs.append(ASPPPooling(cin, cout))
        self.convs = nn.ModuleList(convs)
        self.project = nn.Sequential(nn.Conv2d(5 * cout, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                     nn.Dropout(0.5))

    def forward(self, x):
        return self.project(torch.cat([c(x) for c in self.convs], dim=1))


class DeepLabV3PlusDecoder(nn.Module):
    def __init__(self, encoder_channels, out_channels, rates, output_stride):
        super().__init__()
        self.aspp = nn.Sequential(ASPP(encoder_channels[-1], out_channels, rates),
                                  SeparableConv2d(out_channels, out_channels, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(out_channels), nn.ReLU())
        self.up = nn.UpsamplingBilinear2d(scale_factor=2 if output_stride == 8 else 4)
        self.block1 = nn.Sequential(nn.Conv2d(encoder_channels[-4], 48, 1, bias=False), nn.BatchNorm2d(48),
                                    nn.ReLU())
        self.block2 = nn.Sequential(SeparableConv2d(48 + out_channels, out_channels, 3, padding=1, bias=False),
                                    nn.BatchNorm2d(out_channels), nn.ReLU())

    def forward(self, *features):
        aspp = self.up(self.aspp(features[-1]))
        return self.block2(torch.cat([aspp, self.block1(features[-4])], dim=1))


class DeepLabV3Plus(SmpModel):
    def __init__(self, encoder, decoder_channels, classes, output_stride=16, rates=(12, 24, 36)):
        super().__init__()
        self.encoder = SmpResNetEncoder(encoder, output_stride=output_stride)
        self.decoder = DeepLabV3PlusDecoder(self.encoder.out_channels, decoder_channels, rates, output_stride)
        self.segmentation_head = SegmentationHead(decoder_channels, classes, 1, upsampling=4)


# --- torchvision's segmentation models -------------------------------------------------------------------------------
class DilatedNarrowResNet(NarrowResNet):
    """torchvision's resnet50(replace_stride_with_dilation=[False, True, True]) with `width` stem channels."""

    def __init__(self, block, layers, width):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = width, 1, 1, 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], stride=2, dilate=True)
        self.layer4 = self._make_layer(block, width * 8, layers[3], stride=2, dilate=True)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * block.expansion, 10)


def torchvision_fcn(classes):
    """torchvision's _fcn_resnet on the narrow ResNet-50: FCN(backbone, FCNHead(layer4), FCNHead(layer3))."""
    backbone = IntermediateLayerGetter(DilatedNarrowResNet(Bottleneck, (3, 4, 6, 3), WIDTH),
                                       return_layers={"layer4": "out", "layer3": "aux"})
    return FCN(backbone, FCNHead(WIDTH * 32, classes), FCNHead(WIDTH * 16, classes))


def torchvision_deeplabv3(classes, channels=16):
    """torchvision's _deeplabv3_resnet on the narrow ResNet-50; DeepLabHead's modules (same keys) with `channels`."""
    backbone = IntermediateLayerGetter(DilatedNarrowResNet(Bottleneck, (3, 4, 6, 3), WIDTH),
                                       return_layers={"layer4": "out", "layer3": "aux"})
    head = nn.Sequential(TorchvisionASPP(WIDTH * 32, [12, 24, 36], out_channels=channels),
                         nn.Conv2d(channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels), nn.ReLU(),
                         nn.Conv2d(channels, classes, 1))
    return DeepLabV3(backbone, head, FCNHead(WIDTH * 16, classes))


def randomise(model, seed):
    """Every parameter and batch-norm statistic random (seeded), so that every key's mapping shows in the output."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            fan_in = p[0].numel() if p.dim() > 1 else 1
            p.copy_(torch.randn(p.shape, generator=g) * (2.0 / fan_in) ** 0.5 if p.dim() > 1
                    else torch.randn(p.shape, generator=g) * 0.1 + (1.0 if name.endswith("weight") else 0.0))
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.num_batches_tracked.fill_(77)
    return model.eval()


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    x = torch.randn(1, 3, 64, 96)
    expected = collections.OrderedDict(input=x)
    models = [
        ("smp_unet_r34", Unet("resnet34", (32, 16, 8, 8, 4), 3), lambda s: s),
        ("smp_unetplusplus_r18", UnetPlusPlus("resnet18", (16, 8, 8, 4, 4), 3),
         lambda s: {"epoch": 7, "state_dict": prefixed(s, "model.")}),
        ("smp_pspnet_r18", PSPNet("resnet18", 16, 3), lambda s: s),
        ("smp_deeplabv3plus_r50", DeepLabV3Plus("resnet50", 16, 3), lambda s: s),
        ("smp_deeplabv3plus_r18_os8", DeepLabV3Plus("resnet18", 8, 2, output_stride=8, rates=(2, 4, 6)),
         lambda s: prefixed(s, "module.")),
        ("smp_unet_r18_bilinear", Unet("resnet18", (16, 8, 8, 4, 4), 2, decoder_interpolation="bilinear"),
         lambda s: s),
    ]
    for seed, (name, model, wrap) in enumerate(models, start=100):
        randomise(model, seed)
        with torch.no_grad():
            expected[name] = model(x)
        torch.save(wrap(model.state_dict()), os.path.join(OUT, name + ".pth"))
        print("wrote %s: %d keys, %d parameters, logits %s" % (name, len(model.state_dict()),
                                                              sum(p.numel() for p in model.parameters()),
                                                              list(expected[name].shape)))
    expected["input_large"] = torch.randn(1, 3, 96, 128, generator=torch.Generator().manual_seed(1))
    for seed, (name, model, legacy) in enumerate([("tv_fcn_r50", torchvision_fcn(4), False),
                                                 ("tv_deeplabv3_r50_legacy", torchvision_deeplabv3(4), True)],
                                                start=200):
        randomise(model, seed)
        with torch.no_grad():
            expected[name] = model(expected["input_large"])["out"]
        torch.save(model.state_dict(), os.path.join(OUT, name + ".pth"), _use_new_zipfile_serialization=not legacy)
        print("wrote %s: %d keys, %d parameters, logits %s" % (name, len(model.state_dict()),
                                                              sum(p.numel() for p in model.parameters()),
                                                              list(expected[name].shape)))
    save_safetensors(expected, os.path.join(OUT, "expected_models.safetensors"))


if __name__ == "__main__":
    main()
