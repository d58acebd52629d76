"""The Pima Indians diabetes table, as seed 001's ``np.loadtxt(DATA_FILE, delimiter=',')`` gave it.

The lecture reads ``pima-indians-diabetes.csv``: 768 rows of 8 features and the outcome (0 or
1), as float32. The verified cache holds the CSV that TF1-era tutorials downloaded,
``pima-indians-diabetes.data.csv``, provisioned from its canonical address or, where that is
unreachable, rebuilt byte for byte from Debian's ``weka`` package, which ships the same rows as
``diabetes.arff`` (``apt-get download weka``, no install, no Java; see the registry). This
module parses both forms with the standard library and writes the CSV's form
(:func:`csv_bytes`).

Who has the CSV can use it instead: pass its path (the slide's ``DATA_FILE``, a file or a
folder holding ``pima-indians-diabetes.csv``), or drop it into the cache folder under that name.
A CSV is accepted when its numbers are the registry's table -- sha256 of the 768 x 9 values as
float64, :data:`legacy_tf.data.registry.PIMA_TABLE_SHA256` -- whatever its number formatting
(``31`` or ``31.0``), header line or line endings; otherwise it is reported and the verified
cache serves.

Used by lessons: pima_logistic.
"""

from pathlib import Path

import numpy as np

from legacy_tf.data import cache, registry
from legacy_tf.data.pima_format import (CACHED_NAME, parse_csv, table_sha256)

KEY = "pima"
CSV_NAME = "pima-indians-diabetes.csv"  # the lecture's DATA_FILE, which a learner may drop in
NUM_ROWS = 768
NUM_FEATURES = 8
NUM_POSITIVE = 268


def check_table(table, source):
    """Raises CorruptDataError unless ``table`` is the registry's Pima table exactly."""
    expected = (NUM_ROWS, NUM_FEATURES + 1)
    problems = []
    not_finite = np.argwhere(~np.isfinite(table)) if table.ndim == 2 else []
    wrong_outcome = (np.flatnonzero(~np.isin(table[:, -1], (0, 1)))
                     if table.ndim == 2 and table.shape[1] == expected[1] else [])
    if len(not_finite):
        row, column = not_finite[0]
        problems.append(f"data row {row + 1}, column {column + 1}: value {table[row, column]} "
                        f"is not a finite number ({len(not_finite)} such value(s))")
    elif table.shape != expected:
        problems.append(f"shape {table.shape}, expected {expected}")
    elif len(wrong_outcome):
        row = wrong_outcome[0]
        problems.append(f"data row {row + 1}: outcome {table[row, -1]:g}, expected 0 or 1 "
                        f"({len(wrong_outcome)} such row(s))")
    elif int(np.sum(table[:, -1] == 1)) != NUM_POSITIVE or not np.isin(table[:, -1], (0, 1)).all():
        problems.append(f"{int(np.sum(table[:, -1] == 1))} positive outcomes, expected "
                        f"{NUM_POSITIVE} (outcomes must be 0 or 1)")
    elif table_sha256(table) != registry.PIMA_TABLE_SHA256:
        problems.append(f"values sha256 {table_sha256(table)}, expected "
                        f"{registry.PIMA_TABLE_SHA256}")
    if problems:
        raise cache.CorruptDataError(f"{source}: not the Pima Indians diabetes table: "
                                     f"{problems[0]}. Fix: use an unedited "
                                     f"{CSV_NAME}, or pass no data file to use the verified "
                                     "cache.")
    return table


def read_pima(data_file=None, log=print):
    """Returns the 768 x 9 table (8 features, then the outcome) as float32, verified.

    Args:
        data_file: the lecture's ``DATA_FILE``: a CSV file, or a folder holding
            ``pima-indians-diabetes.csv``. Used when its numbers verify; otherwise a warning
            is logged and the cache serves. None: a CSV dropped into the cache folder, else
            the cached (or newly provisioned) ``pima-indians-diabetes.data.csv``.
        log: where progress and warnings go.

    Raises:
        legacy_tf.data.MissingDataError: not cached, and neither the download (bytes checked
            against the published sha256) nor ``apt-get download weka`` delivered it.
        legacy_tf.data.CorruptDataError: the cached CSV parses to a different table (the
            file's own sha256 is checked first, so this means a wrong registry entry).
    """
    if data_file is not None:
        table = _user_csv(Path(data_file), log, quarantine=False)
        if table is not None:
            return table
    dropped = cache.dataset_dir(KEY) / CSV_NAME
    if dropped.exists():
        table = _user_csv(dropped, log, quarantine=True)
        if table is not None:
            return table
    content = cache.load(KEY, log=log)[CACHED_NAME]
    source = cache.dataset_dir(KEY) / CACHED_NAME
    table = check_table(parse_csv(content.decode("ascii"), str(source)), str(source))
    return table.astype(np.float32)


def _user_csv(path, log, quarantine):
    """The table from a user's CSV if it verifies, else None (after a warning)."""
    if path.is_dir():
        path = path / CSV_NAME
    if not path.is_file():
        log(f"WARNING: {path} not found; using the verified cache.")
        return None
    try:
        table = check_table(parse_csv(path.read_text(encoding="utf-8-sig"), str(path)), str(path))
    except (cache.DataError, UnicodeDecodeError) as error:
        if quarantine:
            moved = cache.quarantine(path)
            log(f"WARNING: {error} Moved it aside to {moved} (not used); using the verified cache.")
        else:
            log(f"WARNING: {error} Not using it; the verified cache serves instead.")
        return None
    log(f"Using {path} (its values match the registry's Pima table).")
    return table.astype(np.float32)


def generated_pima(num_rows=200, seed=0):
    """A small table in the same form as :func:`read_pima` (float32, 8 features, outcome last).

    Features are drawn in the real columns' ranges; the outcome follows a noisy linear rule of
    glucose, BMI and age, so a logistic regression can learn it. For tests and quick runs: it
    says nothing about the real data's accuracy.
    """
    random = np.random.RandomState(seed)
    low = np.array([0, 44, 24, 7, 14, 18, 0.08, 21], dtype=np.float64)
    high = np.array([17, 199, 122, 99, 846, 67, 2.42, 81], dtype=np.float64)
    features = low + random.rand(num_rows, NUM_FEATURES) * (high - low)
    scaled = (features - low) / (high - low)
    score = 3 * scaled[:, 1] + 2 * scaled[:, 5] + scaled[:, 7] - 3 + random.normal(0, 0.3, num_rows)
    outcome = (score > 0).astype(np.float64)
    return np.column_stack([np.round(features, 3), outcome]).astype(np.float32)
