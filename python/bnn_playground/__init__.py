"""Read, run and check BNN Playground model files (docs/EXPORT_FORMAT.md) with numpy.

    from bnn_playground import load_model, read_data_file, predict
    model = load_model("model.safetensors")
    data = read_data_file("mnist-test.safetensors")
    logits, margins = predict(model, data.images)

PyTorch (optional): ``bnn_playground.torch``.
"""

from .data_file import DataFile, DataFileError, read_data_file
from .errors import ModelFileError
from .forward import normalise, predict, run
from .model_file import Model, load_model, write_model

__all__ = ["DataFile", "DataFileError", "Model", "ModelFileError", "load_model", "normalise", "predict", "read_data_file", "run", "write_model"]
