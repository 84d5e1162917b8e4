"""predictions.json (the app's and ours): ``[{"index", "label", "predicted", "logits"}]`` per
test image, and the comparison of two of them."""

import json
from dataclasses import dataclass

import numpy as np


def float32_text(v: float) -> str:
    """The shortest decimal (a JSON number) that reads back as the same float32."""
    f = np.float32(v)
    if not np.isfinite(f):
        raise ValueError(f"{v} is not finite")
    with np.errstate(over="ignore"):
        for digits in range(1, 10):
            text = format(float(f), f".{digits}g")
            if np.float32(float(text)) == f:
                return text
    return repr(float(f))


def predictions_json(indices, labels, logits) -> str:
    lines = []
    for index, label, row in zip(indices, labels, logits):
        row32 = np.asarray(row, dtype=np.float32)
        lines.append(
            f'{{"index":{int(index)},"label":{int(label)},"predicted":{int(np.argmax(row32))},"logits":[{",".join(float32_text(v) for v in row32)}]}}'
        )
    return "[\n" + ",\n".join(lines) + "\n]\n"


def read_predictions(path) -> list:
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)
    if not isinstance(rows, list) or not all(isinstance(r, dict) and {"index", "label", "predicted"} <= set(r) for r in rows):
        raise ValueError(f"{path}: not a predictions.json list of {{index, label, predicted, logits}}")
    return rows


@dataclass
class Agreement:
    images: int
    same_class: int
    # The largest |a − b| / max(1, max |b|) over every image's logit vector (None without logits).
    max_relative: object
    # Images whose class differs: (index, ours, theirs, margin = smallest |sign input|).
    disagreements: list
    # Images whose logits differ by more than the tolerance, with their margin.
    far: list
    # The largest relative difference over the images none of whose sign inputs lies within
    # margin_limit of 0 (None without logits).
    max_relative_clear: object = None

    def explained(self, margin_limit: float = 1e-6) -> bool:
        """Every disagreement (class or logits) comes from a sign input within margin_limit of 0."""
        return all(m <= margin_limit for *_, m in self.disagreements) and all(m <= margin_limit for _, _, m in self.far)


def compare(indices, logits, margins, theirs: list, tolerance: float = 1e-4, margin_limit: float = 1e-6) -> Agreement:
    """Our logits [N, K] (with margins [N]) against another predictions list of the same images."""
    by_index = {int(r["index"]): r for r in theirs}
    missing = [int(i) for i in indices if int(i) not in by_index]
    if missing or len(by_index) != len(indices):
        raise ValueError(f"the predictions cover other images ({len(by_index)} listed, {len(indices)} here; e.g. index {missing[:1]})")
    same, worst, clear, disagreements, far = 0, 0.0, 0.0, [], []
    with_logits = all("logits" in r for r in theirs)
    for index, row, margin in zip(indices, logits, margins):
        r = by_index[int(index)]
        ours = int(np.argmax(row))
        if ours == r["predicted"]:
            same += 1
        else:
            disagreements.append((int(index), ours, int(r["predicted"]), float(margin)))
        if with_logits:
            other = np.asarray(r["logits"], dtype=np.float64)
            rel = float(np.max(np.abs(row - other)) / max(1.0, float(np.max(np.abs(other)))))
            worst = max(worst, rel)
            if margin > margin_limit:
                clear = max(clear, rel)
            if rel > tolerance:
                far.append((int(index), rel, float(margin)))
    return Agreement(len(indices), same, worst if with_logits else None, disagreements, far, clear if with_logits else None)


def describe(a: Agreement, margin_limit: float = 1e-6) -> str:
    lines = [f"classes     {a.same_class}/{a.images} agree ({100 * a.same_class / max(1, a.images):.2f}%)"]
    if a.max_relative is not None:
        lines.append(
            f"logits      largest difference {a.max_relative:.2e} (relative to each image's largest |logit|, at least 1); "
            f"{a.max_relative_clear:.2e} over the images with no sign input within {margin_limit:.0e} of 0"
        )
    for index, ours, theirs, margin in a.disagreements[:10]:
        why = "a sign input within %.0e of 0" % margin_limit if margin <= margin_limit else "NOT explained by a sign near 0"
        lines.append(f"differs     image {index}: {ours} here, {theirs} there; smallest |sign input| {margin:.2e} ({why})")
    for index, rel, margin in a.far[:10]:
        if not any(d[0] == index for d in a.disagreements):
            why = "a sign input near 0" if margin <= margin_limit else "NOT explained by a sign near 0"
            lines.append(f"logits off  image {index}: {rel:.2e}; smallest |sign input| {margin:.2e} ({why})")
    return "\n".join(lines)
