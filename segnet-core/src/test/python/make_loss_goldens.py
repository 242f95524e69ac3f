#!/usr/bin/env python3
"""Writes the goldens of the losses for imbalanced data (issue 16): focal, Tversky (Dice / Jaccard cases) and
label-smoothed cross-entropy, in float64 with plain PyTorch. segmentation_models_pytorch is not a dependency: its
formulas are re-implemented below, each citing the smp source file it follows.

    /usr/bin/python3 segnet-core/src/test/python/make_loss_goldens.py

Same file format as make_goldens.py: each case stores logits, labels, the loss and
grad_logits. Shapes are odd (N=2, C=5, H=7, W=9) and some pixels carry the ignore value 255.
"""

import torch
import torch.nn.functional as F

from make_goldens import t, write  # the same file format; importing it writes nothing

torch.manual_seed(16)
labels = torch.randint(0, 5, (2, 7, 9))
labels[0, 0, :4] = 255
labels[1, 3, 2:5] = 255
labels[labels == 3] = 1  # class 3 absent from the truth
lab = labels.double().unsqueeze(1)


def focal_loss(logits, labels, gamma, alpha):
    """smp losses/focal.py FocalLoss(mode="multiclass", alpha, gamma, ignore_index=255, normalized=False,
    reduced_threshold=None): for every class c, the sigmoid focal loss of channel c against (y == c), mean over the
    non-ignored pixels (smp losses/_functional.py focal_loss_with_logits); the loss is the sum over classes."""
    y = labels.squeeze(1).long()
    valid = y != 255
    loss = 0
    for c in range(logits.shape[1]):
        x = logits[:, c][valid]
        tt = (y[valid] == c).double()
        logpt = F.binary_cross_entropy_with_logits(x, tt, reduction="none")
        pt = torch.exp(-logpt)
        l = (1.0 - pt).pow(gamma) * logpt
        if alpha is not None:
            l = l * (alpha * tt + (1 - alpha) * (1 - tt))
        loss = loss + l.mean()
    return loss


def tversky_loss(logits, labels, alpha, beta, eps=1e-7):
    """smp losses/tversky.py TverskyLoss(mode="multiclass", alpha, beta, gamma=1, smooth=0, eps=1e-7,
    ignore_index=255), with soft_tversky_score from smp losses/_functional.py; per class over the batch's valid
    pixels: S / clamp_min(S + alpha FP + beta FN, eps); loss = mean over classes of (1 - score) [class present]."""
    c = logits.shape[1]
    y = labels.squeeze(1).long()
    valid = (y != 255)
    p = logits.softmax(1) * valid.unsqueeze(1)
    onehot = F.one_hot(torch.where(valid, y, torch.zeros_like(y)), c).permute(0, 3, 1, 2).double() * valid.unsqueeze(1)
    inter = (p * onehot).sum((0, 2, 3))
    fp = (p * (1 - onehot)).sum((0, 2, 3))
    fn = ((1 - p) * onehot).sum((0, 2, 3))
    score = inter / (inter + alpha * fp + beta * fn).clamp_min(eps)
    loss = (1 - score) * (onehot.sum((0, 2, 3)) > 0).double()
    return loss.mean()


def jaccard_loss(logits, labels, eps=1e-7):
    """smp losses/jaccard.py JaccardLoss(mode="multiclass", smooth=0, eps=1e-7) with soft_jaccard_score:
    S / clamp_min(P + T - S, eps); ignore handled as in DiceLoss/TverskyLoss."""
    c = logits.shape[1]
    y = labels.squeeze(1).long()
    valid = (y != 255)
    p = logits.softmax(1) * valid.unsqueeze(1)
    onehot = F.one_hot(torch.where(valid, y, torch.zeros_like(y)), c).permute(0, 3, 1, 2).double() * valid.unsqueeze(1)
    inter = (p * onehot).sum((0, 2, 3))
    union = (p + onehot).sum((0, 2, 3))
    score = inter / (union - inter).clamp_min(eps)
    loss = (1 - score) * (onehot.sum((0, 2, 3)) > 0).double()
    return loss.mean()


cw = torch.tensor([0.5, 1.0, 2.0, 1.5, 0.25])
write("focal_g2", {"ignore_index": 255, "gamma": 2.0, "alpha": None},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab}, lambda logits, labels: focal_loss(logits, labels, 2.0, None))
write("focal_g1p5_a025", {"ignore_index": 255, "gamma": 1.5, "alpha": 0.25},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab}, lambda logits, labels: focal_loss(logits, labels, 1.5, 0.25))
write("tversky_a03_b07", {"ignore_index": 255, "alpha": 0.3, "beta": 0.7},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab}, lambda logits, labels: tversky_loss(logits, labels, 0.3, 0.7))
write("jaccard_multiclass", {"ignore_index": 255},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab}, jaccard_loss)
write("ce_label_smoothing", {"ignore_index": 255, "label_smoothing": 0.1},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab},
      lambda logits, labels: F.cross_entropy(logits, labels.squeeze(1).long(), ignore_index=255, label_smoothing=0.1))
write("ce_label_smoothing_weighted", {"ignore_index": 255, "label_smoothing": 0.2},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab, "weight": cw},
      lambda logits, labels, weight: F.cross_entropy(logits, labels.squeeze(1).long(), weight=weight, ignore_index=255,
                                                     label_smoothing=0.2))
