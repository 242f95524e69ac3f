#!/usr/bin/env python3
"""Writes segnet-core's golden files: PyTorch outputs and gradients for fixed inputs and weights.

Run from the repository root with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 segnet-core/src/test/python/make_goldens.py

Every case is computed in float64. For a case with output y, the scalar loss is sum(y * R) for a fixed random R
(stored as "R"), and the gradients of that loss with respect to the inputs and parameters are stored as "grad_<name>".
Loss cases store the loss value and the gradient of the loss itself. Files: segnet-core/src/test/resources/goldens/*.json,
each {"case": name, "attrs": {...}, "tensors": {name: {"shape": [...], "data": [...]}}}. The Java tests read them
without Python.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "goldens")


def t(*shape, low=-1.0, high=1.0):
    return (torch.rand(*shape) * (high - low) + low).requires_grad_(True)


def enc(x):
    x = x.detach()
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1).tolist()]}


def write(name, attrs, inputs, fn):
    """inputs: dict name -> tensor (leaf, requires_grad where a gradient is wanted)."""
    y = fn(**inputs)
    tensors = {k: enc(v) for k, v in inputs.items()}
    if y.dim() == 0:
        y.backward()
        tensors["loss"] = enc(y)
    else:
        r = torch.rand(*y.shape) * 2 - 1
        (y * r).sum().backward()
        tensors["R"] = enc(r)
        tensors["y"] = enc(y)
    for k, v in inputs.items():
        if v.requires_grad and v.grad is not None:
            tensors["grad_" + k] = enc(v.grad)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"case": name, "attrs": attrs, "tensors": tensors}, f)
    print("wrote", name, {k: v["shape"] for k, v in tensors.items()})


def main():
    """Writes every case."""
    # --- convolution -------------------------------------------------------------------------------------------------
    for name, (n, ci, h, w, co, k, s, p, d, bias) in {
        "conv2d_k3_s1_p1": (2, 3, 7, 9, 4, 3, 1, 1, 1, True),
        "conv2d_k3_s2_p0_nobias": (2, 3, 8, 7, 5, 3, 2, 0, 1, False),
        "conv2d_k1": (2, 6, 5, 4, 3, 1, 1, 0, 1, True),
        "conv2d_atrous_d2": (2, 3, 9, 8, 4, 3, 1, 2, 2, True),
        "conv2d_atrous_d6": (1, 4, 11, 13, 3, 3, 1, 6, 6, True),
        "conv2d_atrous_d12_valid_pad5": (1, 2, 30, 27, 3, 3, 1, 5, 12, False),
    }.items():
        inputs = {"x": t(n, ci, h, w), "w": t(co, ci, k, k)}
        if bias:
            inputs["b"] = t(co)
        write(name, {"stride": s, "padding": p, "dilation": d, "bias": bias}, inputs,
              lambda x, w, b=None, s=s, p=p, d=d: F.conv2d(x, w, b, stride=s, padding=p, dilation=d))

    # --- depthwise-separable (depthwise k3 dilation d, no bias; then 1x1 with bias) --------------------------------------
    for name, (n, c, h, w, co, d) in {"separable_d1": (2, 3, 6, 7, 4, 1), "separable_d6": (1, 4, 9, 11, 5, 6)}.items():
        write(name, {"dilation": d, "padding": d}, {"x": t(n, c, h, w), "dw": t(c, 1, 3, 3), "pw": t(co, c, 1, 1), "b": t(co)},
              lambda x, dw, pw, b, d=d, c=c: F.conv2d(F.conv2d(x, dw, None, padding=d, dilation=d, groups=c), pw, b))

    # --- transposed convolution --------------------------------------------------------------------------------------
    for name, (n, ci, h, w, co, k, s, p, op, bias) in {
        "deconv_k4_s2_p1": (2, 3, 5, 6, 4, 4, 2, 1, 0, True),
        "deconv_k2_s2_p0": (2, 4, 3, 5, 3, 2, 2, 0, 0, True),
        "deconv_k3_s2_p1_op1": (1, 3, 4, 5, 2, 3, 2, 1, 1, True),
        "deconv_k3_s2_p0_op1_nobias": (1, 2, 3, 4, 3, 3, 2, 0, 1, False),
    }.items():
        inputs = {"x": t(n, ci, h, w), "w": t(ci, co, k, k)}
        if bias:
            inputs["b"] = t(co)
        write(name, {"stride": s, "padding": p, "output_padding": op, "bias": bias}, inputs,
              lambda x, w, b=None, s=s, p=p, op=op: F.conv_transpose2d(x, w, b, stride=s, padding=p, output_padding=op))

    # --- bilinear resize ---------------------------------------------------------------------------------------------
    for name, (shape, size, scale, ac) in {
        "resize_up_size_ac0": ((2, 3, 5, 7), (9, 12), None, False),
        "resize_up_size_ac1": ((2, 3, 5, 7), (9, 12), None, True),
        "resize_down_size_ac0": ((1, 2, 9, 12), (4, 5), None, False),
        "resize_down_size_ac1": ((1, 2, 9, 12), (4, 5), None, True),
        "resize_scale4_ac0": ((1, 2, 4, 3), None, 4.0, False),
        "resize_scale1p5_ac0": ((1, 2, 5, 6), None, 1.5, False),
        "resize_from1x1": ((2, 3, 1, 1), (5, 4), None, False),
    }.items():
        write(name, {"size": list(size) if size else None, "scale": scale, "align_corners": ac}, {"x": t(*shape)},
              lambda x, size=size, scale=scale, ac=ac: F.interpolate(x, size=size, scale_factor=scale, mode="bilinear",
                                                                     align_corners=ac))

    # --- max pooling with indices + unpooling ------------------------------------------------------------------------
    for name, (shape, k, s, p) in {"maxpool_k2_s2": ((2, 3, 7, 9), 2, 2, 0), "maxpool_k3_s2_p1": ((1, 2, 9, 8), 3, 2, 1)}.items():
        x = t(*shape)

        def pool(x, k=k, s=s, p=p):
            y, idx = F.max_pool2d(x, k, s, p, return_indices=True)
            pool.idx = idx
            return y
        write(name, {"kernel": k, "stride": s, "padding": p}, {"x": x}, pool)
        with open(os.path.join(OUT, name + ".json")) as f:
            g = json.load(f)
        g["tensors"]["indices"] = enc(pool.idx.double())
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(g, f)

    write("maxpool_unpool_k2", {"kernel": 2, "stride": 2}, {"x": t(2, 3, 7, 9)},
          lambda x: F.max_unpool2d(*F.max_pool2d(x, 2, 2, return_indices=True), 2, 2, output_size=x.shape[-2:]))

    # --- adaptive average pooling ------------------------------------------------------------------------------------
    for bins in (1, 2, 3, 6):
        write(f"adaptive_avg_pool_{bins}", {"bins": bins}, {"x": t(2, 3, 7, 10)},
              lambda x, bins=bins: F.adaptive_avg_pool2d(x, bins))

    # --- batch norm --------------------------------------------------------------------------------------------------
    x = t(3, 4, 5, 6, low=-2, high=3)
    rm0, rv0 = torch.rand(4), torch.rand(4) + 0.5
    rm, rv = rm0.clone(), rv0.clone()


    def bn_train(x, gamma, beta):
        return F.batch_norm(x, rm, rv, gamma, beta, training=True, momentum=0.1, eps=1e-5)


    write("batchnorm_train", {"momentum": 0.1, "eps": 1e-5}, {"x": x, "gamma": t(4, low=0.5, high=1.5), "beta": t(4)},
          bn_train)
    with open(os.path.join(OUT, "batchnorm_train.json")) as f:
        g = json.load(f)
    g["tensors"].update({"running_mean_before": enc(rm0), "running_var_before": enc(rv0),
                         "running_mean_after": enc(rm), "running_var_after": enc(rv)})
    with open(os.path.join(OUT, "batchnorm_train.json"), "w") as f:
        json.dump(g, f)
    write("batchnorm_eval", {"eps": 1e-5},
          {"x": t(2, 4, 3, 5), "gamma": t(4), "beta": t(4), "running_mean": t(4).detach(),
           "running_var": (torch.rand(4) + 0.5)},
          lambda x, gamma, beta, running_mean, running_var: F.batch_norm(x, running_mean, running_var, gamma, beta,
                                                                           training=False, eps=1e-5))

    # --- losses ------------------------------------------------------------------------------------------------------
    labels = torch.randint(0, 5, (2, 4, 6))
    labels[0, 0, :3] = 255
    labels[1, 2, 1] = 255
    cw = torch.tensor([0.5, 1.0, 2.0, 1.5, 0.25])
    write("cross_entropy_ignore_weighted", {"ignore_index": 255, "classes": 5},
          {"logits": t(2, 5, 4, 6, low=-3, high=3), "labels": labels.double().unsqueeze(1), "weight": cw},
          lambda logits, labels, weight: F.cross_entropy(logits, labels.squeeze(1).long(), weight=weight, ignore_index=255))
    write("cross_entropy_ignore", {"ignore_index": 255, "classes": 5},
          {"logits": t(2, 5, 4, 6, low=-3, high=3), "labels": labels.double().unsqueeze(1)},
          lambda logits, labels: F.cross_entropy(logits, labels.squeeze(1).long(), ignore_index=255))


    def dice_loss(logits, labels, eps=1e-7):
        """segmentation_models_pytorch DiceLoss(mode="multiclass", from_logits=True, smooth=0, eps=1e-7, ignore_index=255):
        per-class soft Dice over the batch's valid pixels; classes absent from the batch's truth contribute 0 (but still
        count in the mean over classes)."""
        c = logits.shape[1]
        y = labels.squeeze(1).long()
        valid = (y != 255)
        p = logits.softmax(1) * valid.unsqueeze(1)
        onehot = F.one_hot(torch.where(valid, y, torch.zeros_like(y)), c).permute(0, 3, 1, 2).double() * valid.unsqueeze(1)
        inter = (p * onehot).sum((0, 2, 3))
        card = (p + onehot).sum((0, 2, 3))
        dice = (2 * inter) / card.clamp_min(eps)
        loss = (1 - dice) * (onehot.sum((0, 2, 3)) > 0).double()
        return loss.mean()


    dl = labels.clone()
    dl[dl == 3] = 1  # class 3 absent from the truth
    write("dice_multiclass_ignore", {"ignore_index": 255, "classes": 5},
          {"logits": t(2, 5, 4, 6, low=-3, high=3), "labels": dl.double().unsqueeze(1)}, dice_loss)

    bl = torch.randint(0, 2, (2, 1, 4, 6)).double()
    bl[0, 0, 1, :2] = 255
    write("bce_logits_ignore", {"ignore_index": 255},
          {"logits": t(2, 1, 4, 6, low=-4, high=4), "labels": bl},
          lambda logits, labels: F.binary_cross_entropy_with_logits(logits[labels != 255], labels[labels != 255]))

    # --- larger resizes and adaptive pooling: both planes above 64 elements, so segnet runs its per-plane loops rather
    # --- than one matrix product (PlaneGemm), which the smaller cases above exercise ------------------------------------
    for name, (shape, size, ac) in {"resize_up_large_ac0": ((1, 2, 9, 10), (17, 23), False),
                                    "resize_down_large_ac1": ((1, 2, 20, 18), (9, 11), True)}.items():
        write(name, {"size": list(size), "scale": None, "align_corners": ac}, {"x": t(*shape)},
              lambda x, size=size, ac=ac: F.interpolate(x, size=size, mode="bilinear", align_corners=ac))
    write("adaptive_avg_pool_9", {"bins": 9}, {"x": t(2, 3, 19, 22)}, lambda x: F.adaptive_avg_pool2d(x, 9))

    # --- nearest-neighbour resize (smp's U-Net / UNet++ upsampling): a doubling, a size that is no multiple, a shrink
    # --- and a scale factor; the last case is large enough for segnet's per-plane loops --------------------------------
    for name, (shape, size, scale) in {"nearest_double": ((2, 3, 4, 5), (8, 10), None),
                                       "nearest_up_size": ((1, 2, 5, 7), (9, 12), None),
                                       "nearest_down_size": ((1, 2, 9, 12), (4, 5), None),
                                       "nearest_scale3": ((1, 2, 3, 4), None, 3.0),
                                       "nearest_up_large": ((1, 2, 9, 10), (17, 23), None)}.items():
        write(name, {"size": list(size) if size else None, "scale": scale}, {"x": t(*shape)},
              lambda x, size=size, scale=scale: F.interpolate(x, size=size, scale_factor=scale, mode="nearest"))


if __name__ == "__main__":
    main()
