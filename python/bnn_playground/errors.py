"""The one error type the readers raise: a stable code and a message naming the problem.

The codes are the app's (src/io/model-file-error.ts): container problems are
``safetensors_<reason>``, model problems ``config``, ``dataset``, ``architecture``,
``missing_tensor``, ``unexpected_tensor``, ``tensor_mismatch``, ``padding_bits``, ``bad_value``,
``header_padding``, ``format_version``, ``not_model_file`` and ``metadata``.
"""


class ModelFileError(ValueError):
    """A file that is not acceptable. ``code`` is machine-readable, ``str(e)`` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(f"model file: {message}")
        self.code = code
