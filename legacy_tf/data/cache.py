"""The data cache: find a data set's files, verify them every time, provision what is missing.

Location, first match wins:

1. a ``train_dir`` passed by the program (TF1's ``read_data_sets("MNIST_data/")``) -- it means
   what it holds: the data set's files, verified, are used; a complete verified set of another
   registered data set under the same names (Fashion-MNIST) is used and said so; files that
   match no registered set stop with :class:`DataFolderError`; a folder that does not exist or
   holds none of the files gets one line, and the cache below serves. Nothing is downloaded
   into the program's folder;
2. ``$LEGACY_TF_DATA``;
3. ``$XDG_CACHE_HOME/legacy_tf``;
4. ``~/.cache/legacy_tf``.

Layout: ``<cache>/<data set key>/<canonical file name>``, so files fetched elsewhere can be
dropped in (they are verified before use like any other).

Every file is checked against the registry's sha256 each time it is read; only verified bytes
leave this module. Provisioning writes each file to ``<name>.<pid>.partial`` in the same
folder, fsyncs it, reads it back and verifies it, then renames it into place, so an
interrupted run leaves nothing a later run would trust (stale partials, and the temp folders
``$TMPDIR/legacy_tf-<pid>-*`` of a killed run, are removed by the next provisioning). A cached
file that fails verification is moved aside to ``<name>.corrupt`` (``<name>.2.corrupt`` ... if
that exists: never overwritten), reported, and provisioned again.

Filesystem faults (a directory where a file belongs, permission denied, a read-only or full
disk, ``$LEGACY_TF_DATA`` naming a file) raise :class:`CacheAccessError`, naming the path, what
happened and the fix; a read-only cache holding a verified set serves it. :func:`repair`
(``python -m legacy_tf data fetch KEY --repair``) moves non-files aside.

Used by: ``legacy_tf.data.mnist`` and every other data loader; ``python -m legacy_tf data``.
"""

import gzip
import os
import sys
import tempfile
from pathlib import Path

from legacy_tf.data import idx, registry, sources
from legacy_tf.data.errors import CacheAccessError, CorruptDataError, DataError, MissingDataError

ENVIRONMENT_VARIABLE = "LEGACY_TF_DATA"
WORKDIR_PREFIX = "legacy_tf-"  # provisioning's temp folders: legacy_tf-<pid>-<random>
GZIP_LEVEL = 6  # 4 s for MNIST's training images on the reference machine; 9 takes 19 s


def access_error(error, path, key, doing):
    """A :class:`CacheAccessError` for the ``OSError`` ``error`` raised while ``doing`` at ``path``."""
    import errno

    path = Path(path)
    repair = f"python -m legacy_tf data fetch {key} --repair"
    if isinstance(error, IsADirectoryError):
        what = "is a directory, where a data file belongs"
        fix = f"remove it, or run '{repair}' (it moves non-files aside and provisions again)"
    elif isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM):
        what = "permission denied"
        fix = (f"make it readable and writable for you (chmod u+rwX {path}), or set "
               f"{ENVIRONMENT_VARIABLE} to a cache folder of your own")
    elif error.errno == errno.EROFS:
        what = "the file system is read-only"
        fix = f"set {ENVIRONMENT_VARIABLE} to a folder on a writable disk"
    elif error.errno == errno.ENOSPC or error.errno == errno.EDQUOT:
        what = "no space left on the device"
        fix = f"free some space there, or set {ENVIRONMENT_VARIABLE} to a folder on another disk"
    elif isinstance(error, (NotADirectoryError, FileExistsError)):
        what = "a part of this path is a file, not a folder"
        fix = (f"check {ENVIRONMENT_VARIABLE} (it must name a folder, currently "
               f"{os.environ.get(ENVIRONMENT_VARIABLE) or 'unset'}) or remove the file")
    else:
        what = error.strerror or str(error)
        fix = f"check {path}, or set {ENVIRONMENT_VARIABLE} to another cache folder"
    return CacheAccessError(f"{path}: {what} (while {doing}). Fix: {fix}.", path)


def cache_root():
    """Returns the cache folder (which need not exist yet); see the module docstring."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "legacy_tf"


def dataset_dir(key):
    return cache_root() / registry.get(key).key


def fetch_command(key):
    """The one command line that provisions data set ``key`` into the cache."""
    return f"python -m legacy_tf data fetch {key}"


def _key_of(path):
    """The data set key a cache path belongs to (its folder's name), for the repair command."""
    parent = Path(path).parent.name
    return parent if parent in registry.DATASETS else "<data set>"


def read_verified(path, data_file, compressed=None):
    """Reads ``path`` and returns its content if its sha256 is the registry's.

    ``compressed`` says whether to gunzip it first; by default, when its name ends in ``.gz``.

    Raises:
        CorruptDataError: the content (or the gzip stream) is not what the registry pins.
        CacheAccessError: the file cannot be read (a directory, permission denied ...).
    """
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise access_error(error, path, _key_of(path), "reading a data file") from None
    return _verified_content(content, path, data_file, compressed)


def _verified_content(content, path, data_file, compressed=None):
    """:func:`read_verified` for bytes already read from ``path``."""
    if path.name.endswith(".gz") if compressed is None else compressed:
        try:
            content = idx.decompress(content, str(path))
        except idx.IdxFormatError as error:
            raise CorruptDataError(f"{error} Expected sha256 {data_file.sha256}.") from None
    actual = sources.sha256_hex(content)
    if actual != data_file.sha256:
        raise CorruptDataError(
            f"{path}: sha256 of the content is {actual}, expected {data_file.sha256} "
            f"({data_file.size:,} bytes expected, {len(content):,} found)."
        )
    return content


def load(key, train_dir=None, log=print):
    """Returns ``{file name: verified uncompressed content}`` for every file of data set ``key``.

    Args:
        key: a key of :data:`legacy_tf.data.registry.DATASETS`.
        train_dir: a folder the program named; used only when all files there verify.
        log: where progress and warnings go (one line each).

    Raises:
        MissingDataError: a file is not cached and cannot be provisioned here.
    """
    entry = registry.get(key)
    if train_dir is not None:
        found = _load_from_folder(entry, Path(train_dir), log)
        if found is not None:
            return found
    directory = dataset_dir(key)
    contents, missing = {}, []
    for data_file in entry.files:
        path = directory / data_file.name
        if not path.exists():
            missing.append(data_file)
            continue
        try:
            contents[data_file.name] = read_verified(path, data_file)
        except CorruptDataError as error:
            try:
                quarantined = quarantine(path)
            except OSError as move_error:
                raise CacheAccessError(
                    f"{error} It cannot be moved aside: "
                    f"{access_error(move_error, directory, key, 'moving the file aside')}",
                    path) from None
            log(f"WARNING: {error} Moved it aside to {quarantined} (not used); provisioning "
                "a verified copy.")
            missing.append(data_file)
    if missing:
        contents.update(provision(key, [data_file.name for data_file in missing], log))
    return contents


def stored_gzip(key, name, log=print):
    """The bytes of cached file ``name`` of data set ``key`` as stored (gzip-compressed), once
    their decompressed content has verified; a missing or corrupt file is provisioned first
    (:func:`load`).

    These are not the publisher's archive bytes (the cache compresses the content itself); what
    equals the original is the decompressed content.

    Raises:
        MissingDataError: the file is not cached and cannot be provisioned here.
        CacheAccessError: the file cannot be read.

    Used by: :mod:`legacy_tf.data.intercept` (a run's program downloading a known file).
    """
    data_file = registry.get(key).file(name)
    if not name.endswith(".gz"):
        raise ValueError(f"{key}'s {name} is not stored gzip-compressed.")
    path = dataset_dir(key) / name
    if not path.is_file():
        load(key, log=log)
    try:
        return _read_stored(path, key, data_file)
    except CorruptDataError:
        load(key, log=log)  # moves the corrupt file aside and provisions a verified one
    return _read_stored(path, key, data_file)


def _read_stored(path, key, data_file):
    try:
        stored = path.read_bytes()
    except OSError as error:
        raise access_error(error, path, key, "reading a data file") from None
    _verified_content(stored, path, data_file)
    return stored


class DataFolderError(DataError):
    """A folder the program named holds files that are no registered data set (or is no
    folder); the message names each file, its sha256 and what to do."""


def _read_folder_file(path):
    """``(content, sha256)`` of a program's data file, gunzipped by name; sha256 of the raw
    bytes (and content None) when it is not a complete gzip file."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            content = idx.decompress(raw, str(path))
        except idx.IdxFormatError:
            return None, sources.sha256_hex(raw)
    else:
        content = raw
    return content, sources.sha256_hex(content)


def quarantine(path):
    """Moves ``path`` aside to ``<name>.corrupt`` -- ``<name>.2.corrupt``, ``.3`` ... when an
    earlier one is there, so no quarantined file is ever overwritten -- and returns the new path."""
    path = Path(path)
    for number in range(1, 10_000):
        target = path.with_name(f"{path.name}.corrupt" if number == 1
                                else f"{path.name}.{number}.corrupt")
        try:
            os.link(path, target)  # fails if target exists: never overwrites
        except FileExistsError:
            continue
        except OSError:  # a filesystem without hard links
            if target.exists():
                continue
            os.replace(path, target)
            return target
        path.unlink()
        return target
    raise DataError(f"{path}: 9,999 quarantined copies already exist beside it. Fix: delete the "
                    f"old {path.name}.*.corrupt files.")


def _load_from_folder(entry, folder, log):
    """The files from a program's own folder (``.gz`` or uncompressed), or None to use the cache.

    What the folder holds decides, as in TF1 (which loaded whatever IDX files were there):

    * all of ``entry``'s files, verified: they are used;
    * a complete, verified set of *another* registered data set under the same file names
      (Fashion-MNIST in a folder read through the MNIST loader): that set is used, and one
      line says so;
    * files under the data set's names that match no registered set: :class:`DataFolderError`
      naming each file and its sha256 -- data is never swapped silently;
    * no such files, or no folder: one line says the verified cache serves.
    """
    if not folder.exists():
        log(f"{folder} does not exist; the verified cache serves {entry.title}.")
        return None
    if not folder.is_dir():
        raise DataFolderError(
            f"{folder}: is not a folder (the data folder the program names). Fix: pass a "
            "folder (--data-dir), or leave it out to use the verified cache.")
    found = {}  # canonical name -> (path, content, sha256)
    for data_file in entry.files:
        candidates = [folder / data_file.name]
        if data_file.name.endswith(".gz"):
            candidates.append(folder / data_file.name[: -len(".gz")])
        path = next((candidate for candidate in candidates if candidate.is_file()), None)
        if path is not None:
            found[data_file.name] = (path, *_read_folder_file(path))
    if not found:
        log(f"{folder} holds none of the {entry.key} files; the verified cache serves "
            f"{entry.title}.")
        return None
    names = [data_file.name for data_file in entry.files]
    same_names = [entry] + [other for key, other in sorted(registry.DATASETS.items())
                            if other is not entry and [f.name for f in other.files] == names]
    for candidate in same_names:
        if len(found) == len(names) and all(
                found[data_file.name][2] == data_file.sha256 for data_file in candidate.files):
            if candidate is not entry:
                log(f"{folder} holds {candidate.title.split(',')[0]} (verified); loading it "
                    f"instead of {entry.key}, as TF1 loaded the files the folder held.")
            return {name: content for name, (_path, content, _sha) in found.items()}
    known = {data_file.sha256: other for other in same_names for data_file in other.files}
    if all(sha in known and known[sha].file(name).sha256 == sha
           for name, (_path, _content, sha) in found.items()) and len(found) < len(names):
        missing = ", ".join(name for name in names if name not in found)
        log(f"{folder} holds only part of a data set (missing {missing}); the verified cache "
            f"serves {entry.title}.")
        return None
    listing = "\n".join(
        f"  - {path}: sha256 {sha}" + (f" ({known[sha].key}'s {name})" if sha in known else
                                         " (matches no registered data set)")
        for name, (path, _content, sha) in sorted(found.items()))
    raise DataFolderError(
        f"{folder} holds files that are not a complete, verified registered data set "
        f"({', '.join(other.key for other in same_names)} were tried):\n{listing}\n"
        f"Fix: pass another folder (--data-dir, or read_data_sets(\"<folder>\")), or remove "
        f"these files from {folder} to use the verified cache ({fetch_command(entry.key)}).")


def provision(key, names=None, log=print):
    """Fetches files of data set ``key`` from its sources in order, verifies and caches them.

    Args:
        key: the data set.
        names: the file names wanted (default: all of the data set's files).
        log: where progress goes.

    Returns:
        ``{file name: verified uncompressed content}`` for ``names``.

    Raises:
        MissingDataError: no source could deliver verified files; the message lists why each
            source failed and what to do.
    """
    entry = registry.get(key)
    wanted = [entry.file(name) for name in (names or [f.name for f in entry.files])]
    directory = dataset_dir(key)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise access_error(error, directory, key, "creating the cache folder") from None
    _remove_stale_partials(directory)
    _remove_stale_workdirs()
    failures = []
    for source in entry.sources:
        log(f"Provisioning {entry.key} into {directory} from {source.describe()} ...")
        with tempfile.TemporaryDirectory(prefix=f"{WORKDIR_PREFIX}{os.getpid()}-") as workdir:
            try:
                fetched = source.fetch(workdir, log)
            except sources.SourceUnavailable as error:
                failures.append(f"{source.describe()}: {error}")
                log(f"  not available: {error}")
                continue
        wrong = [f"{data_file.name} (sha256 {sources.sha256_hex(fetched[data_file.name])})"
                 if data_file.name in fetched else f"{data_file.name} (not delivered)"
                 for data_file in wanted
                 if sources.sha256_hex(fetched.get(data_file.name, b"")) != data_file.sha256]
        if wrong:
            failures.append(f"{source.describe()}: delivered wrong content: {', '.join(wrong)}")
            log(f"  refused: wrong content in {', '.join(wrong)}")
            continue
        for data_file in wanted:
            target = directory / data_file.name
            try:
                _write_atomically(target, fetched[data_file.name], data_file)
            except OSError as error:
                raise access_error(error, target, key, "writing a verified file into the "
                                   "cache") from None
        log(f"  verified and cached {len(wanted)} file(s) in {directory}")
        return {data_file.name: fetched[data_file.name] for data_file in wanted}
    raise MissingDataError(
        f"{entry.title}: {', '.join(f.name for f in wanted)} not found in {directory} and no "
        "source could provision it:\n  - " + "\n  - ".join(failures) + "\n"
        f"Fix: run '{fetch_command(key)}' where one of the sources above is reachable (for a "
        "Debian package, run 'apt-get update' first), or copy the files into "
        f"{directory} (they are verified before use); set "
        f"{ENVIRONMENT_VARIABLE} to use another cache folder."
    )


def _write_atomically(path, content, data_file):
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    compressed = path.name.endswith(".gz")
    stored = gzip.compress(content, GZIP_LEVEL, mtime=0) if compressed else content
    try:
        with open(partial, "wb") as stream:
            stream.write(stored)
            stream.flush()
            os.fsync(stream.fileno())
        read_verified(partial, data_file, compressed)  # what reached the disk, not what we meant to write
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    _fsync_directory(path.parent)


def _fsync_directory(directory):
    if sys.platform.startswith("win"):
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_stale_partials(directory):
    """Deletes ``*.partial`` files whose writing process is gone (left by an interrupted run)."""
    for partial in directory.glob("*.partial"):
        try:
            pid = int(partial.name.split(".")[-2])
        except (IndexError, ValueError):
            pid = None
        if pid is None or pid == os.getpid() or not _process_alive(pid):
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache: the write that follows reports it with its fix


def _remove_stale_workdirs():
    """Deletes provisioning temp folders (``legacy_tf-<pid>-*``) whose process is gone: a run
    killed during ``pip download`` leaves one (20 MB) that nothing else would remove."""
    import shutil

    for workdir in Path(tempfile.gettempdir()).glob(f"{WORKDIR_PREFIX}*-*"):
        try:
            pid = int(workdir.name[len(WORKDIR_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue  # not one of ours (other legacy_tf- folders carry no pid)
        if workdir.is_dir() and pid != os.getpid() and not _process_alive(pid):
            shutil.rmtree(workdir, ignore_errors=True)


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status(key):
    """Returns ``[(file name, path, state)]`` with state ``verified``, ``missing`` or a problem."""
    entry = registry.get(key)
    rows = []
    folder = dataset_dir(key)
    if folder.exists() and not folder.is_dir():
        state = (f"UNREADABLE: {folder} is a file where the data set's folder belongs. Fix: "
                 f"move it aside (mv {folder} {folder}.moved), then: python -m legacy_tf data "
                 f"fetch {key}")
        return [(data_file.name, folder / data_file.name, state) for data_file in entry.files]
    for data_file in entry.files:
        path = folder / data_file.name
        if not path.exists():
            rows.append((data_file.name, path, "missing"))
            continue
        try:
            read_verified(path, data_file)
            rows.append((data_file.name, path, "verified"))
        except CorruptDataError as error:
            rows.append((data_file.name, path, f"CORRUPT: {error}"))
        except CacheAccessError as error:
            rows.append((data_file.name, path, f"UNREADABLE: {error}"))
    return rows


def repair(key, log=print):
    """Clears what keeps data set ``key`` from provisioning: every cache entry under one of its
    file names that is not a regular file (a directory, a FIFO, a dangling link) is moved aside
    (an empty directory or a dangling link is removed), as are stale partial files.

    Returns:
        The list of paths it moved or removed.
    """
    entry = registry.get(key)
    directory = dataset_dir(key)
    cleared = []
    if not directory.is_dir():
        return cleared
    _remove_stale_partials(directory)
    for data_file in entry.files:
        path = directory / data_file.name
        if not (path.exists() or path.is_symlink()) or path.is_file():
            continue
        try:
            if path.is_symlink() or not path.is_dir():
                path.unlink()
                log(f"Removed {path} (not a regular file).")
            elif not any(path.iterdir()):
                path.rmdir()
                log(f"Removed the empty directory {path}.")
            else:
                moved = quarantine(path)
                log(f"Moved the directory {path} aside to {moved} (its content is kept).")
        except OSError as error:
            raise access_error(error, path, key, "repairing the cache") from None
        cleared.append(path)
    return cleared
