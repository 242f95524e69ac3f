"""Goldens for segnet's DenseCRF (io.segnet.inference.crf.DenseCrf): the same mean-field update with exact, brute-force
Gaussian kernel sums (no lattice), on small images.

    Q <- softmax(log P + sum_m w_m n_m (K_m (n_m Q))),  n_m = 1 / sqrt(K_m 1),  Q_0 = P
    K_app(i, j) = exp(-|p_i - p_j|^2 / (2 thetaAlpha^2) - |I_i - I_j|^2 / (2 thetaBeta^2))   (i = j included)
    K_smooth(i, j) = exp(-|p_i - p_j|^2 / (2 thetaGamma^2))

(Kraehenbuehl & Koltun 2011, eq. 3 and the mean-field update of their densecrf code with symmetric normalisation and
Potts compatibility.) Run with /usr/bin/python3 make_crf_goldens.py in this folder; writes dense_crf_goldens.json.
"""
import json

import numpy as np


def softmax(z, axis=0):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def gaussian(features):
    d = features[:, None, :] - features[None, :, :]
    return np.exp(-0.5 * (d * d).sum(-1))


def dense_crf(probs, image, cfg):
    k, h, w = probs.shape
    c = image.shape[0]
    n = h * w
    ys, xs = np.mgrid[0:h, 0:w]
    pos = np.stack([xs.ravel(), ys.ravel()], 1).astype(np.float64)
    col = image.reshape(c, n).T.astype(np.float64)
    kernels = []
    if cfg["appearanceWeight"] > 0:
        kernels.append((cfg["appearanceWeight"],
                        gaussian(np.concatenate([pos / cfg["thetaAlpha"], col / cfg["thetaBeta"]], 1))))
    if cfg["smoothnessWeight"] > 0:
        kernels.append((cfg["smoothnessWeight"], gaussian(pos / cfg["thetaGamma"])))
    p = probs.reshape(k, n).T.astype(np.float64)
    with np.errstate(divide="ignore"):
        logp = np.log(p)
    q = p.copy()
    for _ in range(cfg["iterations"]):
        msg = logp.copy()
        for weight, kern in kernels:
            norm = 1 / np.sqrt(kern.sum(1))
            msg += weight * norm[:, None] * (kern @ (norm[:, None] * q))
        q = softmax(msg, axis=1)
    return q.T.reshape(k, h, w)


def case(name, rng, h, w, k, cfg):
    # a two-region image (left dark, right bright, a boundary off the grid's middle) with noise, and noisy class
    # probabilities that mostly follow the regions
    image = np.zeros((3, h, w))
    boundary = w // 2 + 1
    image[:, :, :boundary] = 40
    image[:, :, boundary:] = 200
    image += rng.normal(0, 8, size=image.shape)
    image = np.clip(image, 0, 255).round()
    logits = rng.normal(0, 1.0, size=(k, h, w))
    logits[0, :, :boundary] += 1.0
    logits[1, :, boundary:] += 1.0
    probs = softmax(logits, axis=0)
    refined = dense_crf(probs, image, cfg)
    return {"name": name, "height": h, "width": w, "classes": k, "channels": 3, "config": cfg,
            "image": image.astype(np.float32).ravel().tolist(),
            "probabilities": probs.astype(np.float32).ravel().tolist(),
            "refined": refined.astype(np.float32).ravel().tolist()}


def main():
    rng = np.random.default_rng(2011)
    cases = [
        case("both-kernels-10x12", rng, 10, 12, 3,
             {"iterations": 5, "appearanceWeight": 5.0, "thetaAlpha": 4.0, "thetaBeta": 20.0,
              "smoothnessWeight": 3.0, "thetaGamma": 1.5}),
        case("smoothness-only-9x11", rng, 9, 11, 4,
             {"iterations": 3, "appearanceWeight": 0.0, "thetaAlpha": 80.0, "thetaBeta": 13.0,
              "smoothnessWeight": 3.0, "thetaGamma": 2.0}),
        case("appearance-only-12x10", rng, 12, 10, 2,
             {"iterations": 5, "appearanceWeight": 10.0, "thetaAlpha": 6.0, "thetaBeta": 13.0,
              "smoothnessWeight": 0.0, "thetaGamma": 3.0}),
    ]
    with open("dense_crf_goldens.json", "w") as f:
        json.dump(cases, f)


if __name__ == "__main__":
    main()
