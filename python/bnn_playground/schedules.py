"""The app's training schedules (src/bnn/train/schedules.ts, src/bnn/quantizers/ede.ts, dte.ts),
driven by training progress p = step / steps ∈ [0, 1]."""

import math


def clamp01(p: float) -> float:
    return min(1.0, max(0.0, p))


def log_interp(a: float, b: float, p: float) -> float:
    """10^(log10 a + (log10 b − log10 a) · p)."""
    return 10 ** (math.log10(a) + (math.log10(b) - math.log10(a)) * p)


def ede_schedule(p: float, t_min: float, t_max: float):
    """IR-Net's EDE: t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · p), k = max(1/t, 1)."""
    t = log_interp(t_min, t_max, clamp01(p))
    return t, max(1 / t, 1.0)


def dte_schedule(p: float, t_min: float, t_max: float, p_switch: float):
    """DIR-Net's DTE (our reading), two stages split at p_switch:
    p < p_switch: t = logInterp(Tmin, 1, p / p_switch), k = 1/t;
    otherwise:    t = logInterp(1, Tmax, (p − p_switch) / (1 − p_switch)), k = 1."""
    q = clamp01(p)
    if q < p_switch:
        t = log_interp(t_min, 1, q / p_switch)
        return t, 1 / t
    t = log_interp(1, t_max, 1 if p_switch >= 1 else (q - p_switch) / (1 - p_switch))
    return t, 1.0


def estimator_tk(estimator: str, p: float, config: dict):
    """t, k of an estimator at progress p (1, 1 for the unscheduled STE and ApproxSign)."""
    if estimator == "ede":
        return ede_schedule(p, config["tMin"], config["tMax"])
    if estimator == "dte":
        return dte_schedule(p, config["tMin"], config["tMax"], config["pSwitch"])
    return 1.0, 1.0


def progress_for(step: int, total_steps: int, steps_per_epoch: int, per_epoch: bool) -> float:
    """Progress for the t/k schedules: step / steps, or floor(epoch) / epochs when stepped per epoch."""
    if total_steps <= 0:
        return 0.0
    if not per_epoch:
        return clamp01(step / total_steps)
    epochs = max(1, math.ceil(total_steps / steps_per_epoch))
    return clamp01((step // steps_per_epoch) / epochs)


def cosine_lr(lr0: float, p: float) -> float:
    return lr0 * (1 + math.cos(math.pi * clamp01(p))) / 2


def warmup_cosine_lr(lr0: float, step: int, steps: int, warmup: int) -> float:
    """Linear warm-up over the first `warmup` steps, then cosine decay to 0."""
    if warmup > 0 and step < warmup:
        return lr0 * (step + 1) / warmup
    rest = steps - warmup
    return cosine_lr(lr0, (step - warmup) / rest if rest > 0 else 1)
