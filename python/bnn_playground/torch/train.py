"""Training a BnnNet as the app trains (src/bnn/train/trainer.ts, optimizer.ts), so a run can go on
in PyTorch.

- Parameter groups: the binary convs' latent weights at ``latentLr`` without weight decay;
  everything else at ``lr``, with weight decay on the float conv and dense weights only.
- Adam (epsilon 1e-7, tfjs's) with decoupled decay (AdamW), or SGD with momentum and decay
  added to the gradient.
- Learning rate: linear warm-up, then cosine to 0, set every step (``warmup_cosine_lr``).
- Loss: cross-entropy. The app's extra training terms (IR2Net restriction, RBD and KD
  distillation) and augmentation of colour images are not reproduced here.
"""

import numpy as np
import torch
import torch.nn.functional as F

from ..schedules import warmup_cosine_lr
from .layers import BinaryConv2d
from .net import BnnNet


def parameter_groups(net: BnnNet, lr: float, latent_lr: float, weight_decay: float):
    latent, decayed, other = [], [], []
    for module in net.modules():
        if isinstance(module, BinaryConv2d):
            if module.weight is not None:
                latent.append(module.weight)
        elif isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)) and not (isinstance(module, torch.nn.Conv2d) and module.groups > 1):
            decayed.append(module.weight)
            if getattr(module, "bias", None) is not None:
                other.append(module.bias)
        else:
            other.extend(module.parameters(recurse=False))
    groups = [
        {"name": "latent", "params": latent, "peak_lr": latent_lr, "weight_decay": 0.0},
        {"name": "decayed", "params": decayed, "peak_lr": lr, "weight_decay": weight_decay},
        {"name": "other", "params": other, "peak_lr": lr, "weight_decay": 0.0},
    ]
    return [dict(g, lr=g["peak_lr"]) for g in groups if g["params"]]


def make_optimizer(net: BnnNet, lr=None, latent_lr=None) -> torch.optim.Optimizer:
    """The run's optimiser for its config (peak learning rates default to the config's)."""
    c = net.source.config
    groups = parameter_groups(net, c["lr"] if lr is None else lr, c["latentLr"] if latent_lr is None else latent_lr, c["weightDecay"])
    if c["optimizer"] == "adam":
        return torch.optim.AdamW(groups, betas=(0.9, 0.999), eps=1e-7)
    return torch.optim.SGD(groups, momentum=c["momentum"])


def set_learning_rates(optimizer, step: int, steps: int, warmup: int = 0) -> None:
    for group in optimizer.param_groups:
        group["lr"] = warmup_cosine_lr(group["peak_lr"], step, steps, warmup)


def train_step(model, optimizer, x: torch.Tensor, y: torch.Tensor):
    """One update on a batch; ``model`` may be a BnnNet or its DistributedDataParallel wrapper.
    Returns (loss, correct) of the batch."""
    model.train()
    optimizer.zero_grad(set_to_none=True)
    logits = model(x)
    loss = F.cross_entropy(logits, y)
    if not torch.isfinite(loss):
        raise FloatingPointError(f"the loss became {loss.item()}; try a lower learning rate")
    loss.backward()
    optimizer.step()
    return loss.item(), int((logits.argmax(dim=1) == y).sum())


def batch_indices(n: int, batch: int, step: int, seed: int) -> np.ndarray:
    """The images of global batch ``step``: each epoch a fresh seeded permutation of the n
    images, cut into n // batch batches."""
    per_epoch = n // batch
    if per_epoch < 1:
        raise ValueError(f"a batch of {batch} needs at least that many images, found {n}")
    epoch, at = divmod(step, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return order[at * batch : (at + 1) * batch]


@torch.no_grad()
def calibrate_batchnorm(net: BnnNet, images) -> None:
    """The app's sequential BatchNorm calibration (src/bnn/train/bn-calibration.ts): in inference
    mode, every BatchNorm in op order takes the mean and biased variance of its input over these
    images, computed with the earlier BatchNorms already calibrated. One batch of all images."""
    net.eval()
    net(net.prepare(images), calibrate=True)


def calibration_sample(labels, count: int, seed: int) -> np.ndarray:
    """`count` train images, an equal share per class (the remainder to the first classes), seeded."""
    labels = np.asarray(labels)
    rng = np.random.default_rng([seed, 7])
    classes = np.unique(labels)
    share, extra = divmod(min(count, len(labels)), len(classes))
    picks = []
    for i, c in enumerate(classes):
        members = np.flatnonzero(labels == c)
        picks.append(rng.choice(members, min(len(members), share + (i < extra)), replace=False))
    return np.sort(np.concatenate(picks))


@torch.no_grad()
def evaluate(net: BnnNet, images, labels, batch: int = 250):
    """(accuracy, logits) in inference mode (moving BN statistics)."""
    net.eval()
    out = []
    for start in range(0, len(images), batch):
        out.append(net(net.prepare(images[start : start + batch])))
    logits = torch.cat(out)
    correct = int((logits.argmax(dim=1).numpy() == np.asarray(labels)).sum())
    return correct / max(1, len(labels)), logits
