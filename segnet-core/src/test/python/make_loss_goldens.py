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


# --- Lovasz-softmax and OHEM cross-entropy -------------------------------------------------------------------------
def lovasz_grad(gt_sorted):
    """Berman et al. 2018, reference github.com/bermanmaxim/LovaszSoftmax pytorch/lovasz_losses.py lovasz_grad:
    gradient of the Lovasz extension of the Jaccard loss along sorted errors."""
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.cumsum(0)
    union = gts + (1 - gt_sorted).cumsum(0)
    jaccard = 1. - intersection / union
    if p > 1:
        jaccard[1:p] = jaccard[1:p] - jaccard[0:-1]
    return jaccard


def lovasz_softmax_flat(probas, labels, class_weight=None):
    """Reference lovasz_softmax_flat(probas [P, C], labels [P], classes='present'); class_weight as mmsegmentation's
    mmseg/models/losses/lovasz_loss.py lovasz_softmax_flat (loss * class_weight[c] before the mean)."""
    losses = []
    for c in range(probas.shape[1]):
        fg = (labels == c).double()
        if fg.sum() == 0:
            continue
        errors = (fg - probas[:, c]).abs()
        errors_sorted, perm = torch.sort(errors, 0, descending=True)
        loss = torch.dot(errors_sorted, lovasz_grad(fg[perm]))
        if class_weight is not None:
            loss = loss * class_weight[c]
        losses.append(loss)
    return torch.stack(losses).mean()


def lovasz_softmax(logits, labels, per_image, weight=None):
    """Reference lovasz_softmax(softmax(logits), labels, classes='present', per_image, ignore=255); flatten_probas
    drops the ignored pixels."""
    probas = logits.softmax(1)
    y = labels.squeeze(1).long()
    if per_image:
        parts = []
        for pr, lb in zip(probas, y):
            valid = lb.reshape(-1) != 255
            parts.append(lovasz_softmax_flat(pr.reshape(pr.shape[0], -1).t()[valid], lb.reshape(-1)[valid], weight))
        return torch.stack(parts).mean()
    c = probas.shape[1]
    flat = probas.permute(0, 2, 3, 1).reshape(-1, c)
    valid = y.reshape(-1) != 255
    return lovasz_softmax_flat(flat[valid], y.reshape(-1)[valid], weight)


def ohem_cross_entropy(logits, labels, thresh, min_kept, weight=None):
    """mmsegmentation 1.x mmseg/structures/sampler/ohem_pixel_sampler.py OHEMPixelSampler(thresh, min_kept).sample
    (no gradient through the selection), then mmseg/models/losses/cross_entropy_loss.py CrossEntropyLoss(
    class_weight=weight, avg_non_ignore=True) with weight=seg_weight: sum of the kept pixels' weighted CE / the number
    of non-ignored pixels."""
    y = labels.squeeze(1).long()
    with torch.no_grad():
        batch_kept = min_kept * y.size(0)
        valid_mask = y != 255
        seg_weight = logits.new_zeros(size=y.size())
        valid_seg_weight = seg_weight[valid_mask]
        seg_prob = F.softmax(logits, dim=1)
        tmp = y.clone().unsqueeze(1)
        tmp[tmp == 255] = 0
        seg_prob = seg_prob.gather(1, tmp).squeeze(1)
        sort_prob, _ = seg_prob[valid_mask].sort()
        min_threshold = sort_prob[min(batch_kept, sort_prob.numel() - 1)] if sort_prob.numel() > 0 else 0.0
        threshold = max(min_threshold, thresh)
        valid_seg_weight[seg_prob[valid_mask] < threshold] = 1.
        seg_weight[valid_mask] = valid_seg_weight
    loss = F.cross_entropy(logits, y, weight=weight, reduction="none", ignore_index=255)
    return (loss * seg_weight).sum() / valid_mask.sum()


write("lovasz_softmax", {"ignore_index": 255, "per_image": False},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab}, lambda logits, labels: lovasz_softmax(logits, labels, False))
write("lovasz_softmax_per_image_weighted", {"ignore_index": 255, "per_image": True},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab, "weight": cw},
      lambda logits, labels, weight: lovasz_softmax(logits, labels, True, weight))
write("ohem_t07_k20", {"ignore_index": 255, "thresh": 0.7, "min_kept": 20},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab},
      lambda logits, labels: ohem_cross_entropy(logits, labels, 0.7, 20))
write("ohem_t01_k40_weighted", {"ignore_index": 255, "thresh": 0.1, "min_kept": 40},
      {"logits": t(2, 5, 7, 9, low=-3, high=3), "labels": lab, "weight": cw},
      lambda logits, labels, weight: ohem_cross_entropy(logits, labels, 0.1, 40, weight))
