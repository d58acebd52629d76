"""Data sets for the lessons: IDX parsing, the MNIST loader, the verified cache, the registry.

``from legacy_tf.data import read_data_sets`` is TF1's ``input_data.read_data_sets``.
"""

from legacy_tf.data.cache import CorruptDataError, DataError, DataFolderError, MissingDataError
from legacy_tf.data.idx import IdxFormatError
from legacy_tf.data.mnist import DataSet, Datasets, generated_data_sets, read_data_sets

__all__ = [
    "CorruptDataError", "DataError", "DataFolderError", "DataSet", "Datasets", "IdxFormatError", "MissingDataError",
    "generated_data_sets", "read_data_sets",
]
