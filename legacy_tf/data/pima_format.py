"""The Pima Indians diabetes table in its text forms: weka's ARFF, the published CSV, a CSV a
learner brings; and the published file's exact bytes rebuilt from weka's rows.

Only parsing and formatting: no file is read or cached here, so both the data sources
(:mod:`legacy_tf.data.sources`) and the loader (:mod:`legacy_tf.data.pima`) build on it.
"""

import csv
import hashlib
import io

import numpy as np

from legacy_tf.data.errors import DataError

CACHED_NAME = "pima-indians-diabetes.data.csv"  # the published file, as the cache keeps it
DECIMALS = (0, 0, 0, 0, 0, 1, 3, 0, 0)  # per column of the published CSV: BMI 33.6, pedigree 0.627


class TableFormatError(DataError):
    """A file is not a table of numbers in the expected ARFF or CSV form."""


def table_sha256(table):
    """sha256 of ``table`` as little-endian float64 values, row by row (formatting-independent)."""
    return hashlib.sha256(np.ascontiguousarray(table, dtype="<f8").tobytes()).hexdigest()


def parse_arff(text, source="ARFF text"):
    """The ``@data`` rows of an ARFF file as a float64 array.

    Numeric attributes become their value; a nominal attribute (``{tested_negative,
    tested_positive}``) becomes the index of its value in the declared list (0, 1, ...).

    Raises:
        TableFormatError: no ``@data`` section, an undeclared value, a missing value (``?``)
            or a row whose length differs from the attribute list.
    """
    kinds = []  # per attribute: None for numeric, else the list of nominal values
    rows = None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("%"):
            continue
        if rows is None:
            keyword = line.split(None, 1)[0].lower()
            if keyword == "@attribute":
                declared = next(csv.reader([line.split(None, 1)[1]], delimiter=" ",
                                           quotechar="'", skipinitialspace=True))
                kind = " ".join(declared[1:]).strip()
                if kind.startswith("{"):
                    values = kind.strip("{}").split(",")
                    kinds.append([value.strip().strip("'\"") for value in values])
                else:
                    kinds.append(None)
            elif keyword == "@data":
                rows = []
            continue
        values = next(csv.reader([line], skipinitialspace=True))
        if len(values) != len(kinds):
            raise TableFormatError(f"{source}, line {number}: {len(values)} values, the header "
                                   f"declares {len(kinds)} attributes.")
        try:
            rows.append([float(value) if kind is None else float(kind.index(value.strip("'\"")))
                         for value, kind in zip(values, kinds)])
        except ValueError:
            raise TableFormatError(f"{source}, line {number}: {line!r} has a value that is "
                                   "missing or not declared in the header.") from None
    if rows is None:
        raise TableFormatError(f"{source}: no @data section; is it an ARFF file?")
    return np.array(rows, dtype=np.float64)


def parse_csv(text, source="CSV text"):
    """Comma-separated numbers as a float64 array; a first line that is not numbers (a header)
    is skipped.

    Raises:
        TableFormatError: a later line that is not all numbers, or rows of different lengths.
    """
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not values or not "".join(values).strip():
            continue
        try:
            rows.append([float(value) for value in values])
        except ValueError:
            if number == 1:
                continue  # a header line (column names)
            raise TableFormatError(f"{source}, line {number}: not all numbers: {values}") from None
    if not rows or len({len(row) for row in rows}) != 1:
        raise TableFormatError(f"{source}: expected rows of equal length, found "
                               f"{sorted({len(row) for row in rows})} values per row.")
    return np.array(rows, dtype=np.float64)


def csv_bytes(table):
    """``table`` in the published CSV's form: :data:`DECIMALS` per column, ``\n`` between rows
    and none after the last (as in ``pima-indians-diabetes.data.csv`` since 2018-03-11)."""
    return "\n".join(",".join(f"{value:.{decimals}f}" for value, decimals in zip(row, DECIMALS))
                     for row in table).encode("ascii")


def pima_csv_from_arff(members):
    """The published ``pima-indians-diabetes.data.csv``, byte for byte, from weka's ``diabetes.arff``.

    weka writes the same 768 rows with trailing zeros dropped (BMI ``31``, pedigree ``0.34``)
    and the outcome as ``tested_negative``/``tested_positive``; the CSV writes BMI with one
    decimal, the pedigree with three and the outcome as 0/1 (:func:`legacy_tf.data.csv_bytes`).
    The cache checks the result against the registry's sha256 of the published file.
    """
    table = parse_arff(members["diabetes.arff"].decode("utf-8"), "weka's diabetes.arff")
    return {CACHED_NAME: csv_bytes(table)}
