"""python3 -m bnn_playground predict MODEL --images DATA [--out predictions.json] [--check APP.json] [--torch]

Runs an exported model (docs/EXPORT_FORMAT.md) on a data file written by ``npm run export-data``
(docs/DATASETS.md), prints the accuracy and writes predictions.json as the app does (index,
label, predicted, logits). ``--check`` compares with the app's predictions.json: classes,
logits within ``--tolerance`` (relative to each image's largest |logit|, at least 1), and, for
any difference, whether a value entering a binary conv's sign lay within 1e-6 of 0.
Exit codes: 0 done (and, with --check, every difference explained), 1 a bad file or an
unexplained difference, 2 bad arguments.
"""

import argparse
import sys

import numpy as np

from .data_file import DataFileError, read_data_file
from .errors import ModelFileError
from .forward import predict
from .model_file import load_model
from .predictions import compare, describe, predictions_json, read_predictions


def _parser():
    p = argparse.ArgumentParser(prog="python3 -m bnn_playground", description="Run BNN Playground model files outside the app.")
    sub = p.add_subparsers(dest="command", required=True)
    pr = sub.add_parser("predict", help="classify a data file's images; print the accuracy; write predictions.json")
    pr.add_argument("model", help="an exported .safetensors model file")
    pr.add_argument("--images", required=True, help="a data file from npm run export-data")
    pr.add_argument("--out", default="predictions.json", help="where to write the predictions (default predictions.json; '-' for none)")
    pr.add_argument("--check", metavar="PREDICTIONS", help="the app's predictions.json of the same images, to compare with")
    pr.add_argument("--tolerance", type=float, default=1e-4, help="largest relative logit difference --check accepts (default 1e-4)")
    pr.add_argument("--torch", action="store_true", help="run the PyTorch module (bnn_playground.torch) instead of numpy")
    pr.add_argument("--batch", type=int, default=250, help="images per batch (default 250)")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        model = load_model(args.model)
        data = read_data_file(args.images)
    except (ModelFileError, DataFileError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if data.dataset.get("name") != model.dataset["name"] or tuple(data.dataset.get("inputShape", ())) != model.input_shape:
        print(f"error: the model was trained on {model.dataset['name']}, the images are {data.dataset.get('name')}", file=sys.stderr)
        return 1
    if args.torch:
        from .torch import predict_torch

        logits, margins = predict_torch(model, data.images, batch=args.batch)
    else:
        logits, margins = predict(model, data.images, batch=args.batch)
    predicted = logits.argmax(axis=1)
    correct = int((predicted == data.labels).sum())
    binary = sum(op.kind == "bconv2d" for op in model.ops)
    c = model.config
    kind = f"binary ({c['weightTransform']}, {binary} binary convs)" if binary else "full precision"
    print(f"model       {len(model.ops)} ops, {kind}, {model.dataset['name']}, format version {model.format_version}")
    print(f"images      {len(data.labels)} {data.split} images of {data.dataset['name']} ({'PyTorch' if args.torch else 'numpy float64'})")
    print(f"accuracy    {100 * correct / max(1, len(data.labels)):.2f}% ({correct}/{len(data.labels)})")
    if args.out != "-":
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(predictions_json(data.indices, data.labels, logits))
        print(f"written     {args.out}")
    if args.check:
        try:
            theirs = read_predictions(args.check)
            agreement = compare(data.indices, np.asarray(logits, dtype=np.float64), margins, theirs, args.tolerance)
        except (OSError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(describe(agreement))
        if not agreement.explained():
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
