"""Dataset splits written by ``npm run export-data`` (docs/DATASETS.md, "Data files for checking"):
``images`` U8 [N, H, W, C], ``labels`` U8 [N], ``indices`` I32 [N] (canonical indices), in the
order the app evaluates them, with the dataset's name, input shape, class names, mean and std.
"""

import os
from dataclasses import dataclass

import numpy as np

from . import strict_json
from .safetensors import SafetensorsError, read_safetensors

DATA_FORMAT_NAME = "bnn-playground-data"


@dataclass
class DataFile:
    dataset: dict
    split: str
    images: np.ndarray  # uint8 [N, H, W, C]
    labels: np.ndarray  # uint8 [N]
    indices: np.ndarray  # int32 [N]


class DataFileError(ValueError):
    pass


def read_data_file(source) -> DataFile:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        with open(os.fspath(source), "rb") as f:
            data = f.read()
    try:
        meta, tensors, dtypes = read_safetensors(data, max_bytes=2**31)
    except SafetensorsError as e:
        raise DataFileError(str(e)) from None
    if meta.get("format") != DATA_FORMAT_NAME or meta.get("format_version") != "1":
        raise DataFileError(f"not a {DATA_FORMAT_NAME} version 1 file (format {meta.get('format')!r}, version {meta.get('format_version')!r})")
    if meta.get("split") not in ("train", "test"):
        raise DataFileError(f"split must be train or test, found {meta.get('split')!r}")
    try:
        dataset = strict_json.loads(meta.get("dataset", ""))
    except strict_json.StrictJsonError as e:
        raise DataFileError(f"dataset is not acceptable JSON: {e}") from None
    if set(tensors) != {"images", "labels", "indices"}:
        raise DataFileError(f"a data file holds images, labels and indices, found {', '.join(sorted(tensors))}")
    images, labels, indices = tensors["images"], tensors["labels"], tensors["indices"]
    n = images.shape[0] if images.ndim == 4 else -1
    shape = tuple(dataset.get("inputShape", ()))
    if (dtypes["images"], images.shape[1:]) != ("U8", shape) or n < 0:
        raise DataFileError(f"images must be U8 [N, {', '.join(map(str, shape))}], found {dtypes['images']} {list(images.shape)}")
    if (dtypes["labels"], labels.shape) != ("U8", (n,)) or (dtypes["indices"], indices.shape) != ("I32", (n,)):
        raise DataFileError(f"labels must be U8 [{n}] and indices I32 [{n}]")
    if n and int(labels.max()) >= len(dataset.get("classNames", [])):
        raise DataFileError("a label is outside the class names")
    return DataFile(dataset, meta["split"], images, labels, indices)
