"""Korean text in matplotlib figures: a Korean fallback font on every machine, a hint if none.

matplotlib's default font, DejaVu Sans, has no Hangul, so a learner's ``plt.title("정확도")``
renders as boxes and matplotlib warns "Glyph ... missing from font(s) DejaVu Sans". Importing
:mod:`legacy_tf.compat` calls :func:`use_cjk_fallback`, which appends a Korean font to
``font.family``, after ``sans-serif`` (DejaVu Sans): matplotlib takes each glyph DejaVu Sans
lacks from it (its per-glyph fallback works across ``font.family``, not within
``font.sans-serif``), so Latin text looks as before. The font, first match wins:

1. a Korean font installed on the system (Debian's ``fonts-nanum``, Noto CJK, Un fonts, Apple
   SD Gothic Neo, Malgun Gothic);
2. NanumGothic (Naver, SIL Open Font Licence) from the PyPI package ``koreanize-matplotlib``, a
   dependency of legacy_tf used only as a carrier of that file: the package is located with
   :func:`importlib.util.find_spec` and never imported (0.1.1 imports ``distutils``, gone from
   Python 3.12, and sets ``font.family`` and ``axes.unicode_minus`` for the whole process).

``legacy-tf run``, ``%load_ext legacy_tf`` and the notebook kernel all import
:mod:`legacy_tf.compat`, so they share this one path. Without any Korean font (the carrier
uninstalled), :func:`glyph_hint` (around the ``savefig`` calls ``legacy-tf run`` makes) turns
matplotlib's per-glyph warnings into one hint, once per process, attributed to the learner's
own line rather than to this package.

Used by: ``legacy_tf.compat`` (:func:`use_cjk_fallback`), ``legacy_tf.runner`` (:func:`glyph_hint`).
"""

import contextlib
import glob
import importlib.util
import os
import sys
import warnings

# Family names matplotlib reports, in order of preference.
CJK_FAMILIES = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                "UnDotum", "Apple SD Gothic Neo", "AppleGothic", "Malgun Gothic")
# Where those live on common systems: matplotlib's font list is cached, so a font installed
# after the cache was built is added from its file.
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",  # Debian/Ubuntu fonts-nanum
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",  # fonts-unfonts-core
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "C:/Windows/Fonts/malgun.ttf",
)
# The PyPI package whose NanumGothic.ttf is the fallback when the system has no Korean font.
CARRIER_PACKAGE = "koreanize_matplotlib"
CARRIER_FONT = ("fonts", "NanumGothic.ttf")
INSTALL_HINT = ("Korean (CJK) text in a figure has no font on this machine and renders as boxes. "
                "Fix: `pip install koreanize-matplotlib` (legacy_tf's dependency that carries "
                "the NanumGothic font), or install a Korean system font, then run again "
                "(legacy_tf picks it up by itself).")
_MISSING_GLYPH = r"Glyph .* missing from font"
_hinted = False


def carrier_font_file():
    """The path of the NanumGothic.ttf that ``koreanize-matplotlib`` ships, or None.

    The package is found, not imported: :func:`importlib.util.find_spec` of a top-level name
    runs none of its code.
    """
    try:
        spec = importlib.util.find_spec(CARRIER_PACKAGE)
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, *CARRIER_FONT)
        if os.path.isfile(path):
            return path
    return None


def _family_among(font_manager):
    names = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def _installed_family():
    from matplotlib import font_manager

    found = _family_among(font_manager)
    if found is None:  # matplotlib's font list is cached: a font installed since then
        for pattern in CJK_FONT_FILES:
            for path in glob.glob(pattern):
                font_manager.fontManager.addfont(path)
        found = _family_among(font_manager)
    carrier = carrier_font_file() if found is None else None
    if carrier is not None:
        font_manager.fontManager.addfont(carrier)
        found = _family_among(font_manager)
    return found


def use_cjk_fallback():
    """Appends a Korean font (the system's, else the carrier's) to matplotlib's ``font.family``.

    Returns:
        The family's name (``"NanumGothic"`` from the carrier), or None without any Korean font.
    """
    import matplotlib

    family = _installed_family()
    if family is not None and family not in matplotlib.rcParams["font.family"]:
        matplotlib.rcParams["font.family"] = [*matplotlib.rcParams["font.family"], family]
    return family


def _stacklevel_outside_this_package():
    """The ``warnings.warn`` stacklevel of the first caller outside legacy_tf, matplotlib and
    contextlib: the learner's line (for a script run by ``legacy-tf run``, its ``plt.show()``)."""
    skipped = tuple(os.path.dirname(module.__file__) for module in (
        sys.modules["legacy_tf"], sys.modules["matplotlib"])) + (contextlib.__file__,)
    frame, level = sys._getframe(2), 2  # 1 is warnings.warn's caller, this function's caller
    while frame is not None and frame.f_code.co_filename.startswith(skipped):
        frame, level = frame.f_back, level + 1
    return level


@contextlib.contextmanager
def glyph_hint():
    """Around drawing/saving: matplotlib's missing-glyph warnings become :data:`INSTALL_HINT`,
    issued once per process and attributed to the learner's line."""
    global _hinted
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", message=_MISSING_GLYPH)
        yield
    missing = [w for w in caught if isinstance(w.message, Warning)
               and "missing from font" in str(w.message)]
    for other in caught:
        if other not in missing:
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    if missing and not _hinted:
        _hinted = True
        warnings.warn(INSTALL_HINT, UserWarning, stacklevel=_stacklevel_outside_this_package())
