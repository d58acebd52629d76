"""The data layer's errors: each message names the file and the fix.

Used by: every module of :mod:`legacy_tf.data` (re-exported by :mod:`legacy_tf.data.cache` and
the package).
"""


class DataError(Exception):
    """A data set file is missing or wrong; the message names the file and the fix."""


class MissingDataError(DataError):
    """The file is not cached and no source could provision it."""


class CorruptDataError(DataError):
    """The file's content does not match the registry's sha256."""


class CacheAccessError(DataError):
    """The filesystem refused: a directory where a cache file belongs, permission denied, a
    read-only or full disk, ``$LEGACY_TF_DATA`` naming a file. The message says what, where,
    and the fix."""

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path
