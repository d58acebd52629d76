"""Korean text in a figure: drawn with a Korean font on any machine -- the system's, else the
NanumGothic that the koreanize-matplotlib dependency carries -- with no missing-glyph warning and
Latin text still in matplotlib's default font; without any, one hint at the learner's own line."""

import subprocess
import sys
import textwrap
import warnings

import matplotlib

import legacy_tf.compat  # noqa: F401  (importing it installs the fallback)
from legacy_tf import fonts

KOREAN = "학습 비용 (cost)과 정확도"


def draw(path):
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(3, 2))
    axes.set_title(KOREAN)
    axes.plot([0, 1], [1, 0], label="비용")
    axes.legend()
    figure.savefig(path)
    plt.close(figure)


def test_korean_renders_with_the_installed_cjk_font(tmp_path):
    family = fonts.use_cjk_fallback()
    assert family is not None, (
        "no Korean font found, not even the koreanize-matplotlib dependency's NanumGothic")
    assert matplotlib.rcParams["font.family"] == ["sans-serif", family]  # Latin text unchanged
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(tmp_path / "korean.png")
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyphs == []
    assert (tmp_path / "korean.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_carrier_font_is_found_without_importing_its_package():
    path = fonts.carrier_font_file()
    assert path is not None and path.endswith("NanumGothic.ttf")
    assert fonts.CARRIER_PACKAGE not in sys.modules
    from matplotlib import font_manager

    assert font_manager.FontProperties(fname=path).get_name() == "NanumGothic"


# A fresh interpreter, as a learner's: with -W error::UserWarning a missing glyph would fail
# savefig. The Korean font must come from the system or from the carrier package, the Latin tick
# labels from matplotlib's default family (DejaVu Sans), and koreanize_matplotlib stays unimported.
FRESH_PROCESS_FIGURE = """
import sys
import matplotlib
from matplotlib import font_manager
default_latin = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
import legacy_tf.compat
import matplotlib.pyplot as plt
figure, axes = plt.subplots()
axes.set_title("학습률")
axes.set_ylabel("비용")
axes.plot([0, 1, 2], [3, 1, 0])
figure.savefig(sys.argv[1])
ticks = [label for label in axes.get_xticklabels() if label.get_text()]
print(matplotlib.rcParams["font.family"])
print(font_manager.findfont(ticks[0].get_fontproperties()) == default_latin, ticks[0].get_text())
print("koreanize_matplotlib" in sys.modules)
"""


def test_a_korean_title_saves_without_a_glyph_warning_in_a_fresh_process(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-c", FRESH_PROCESS_FIGURE,
         str(tmp_path / "figure.png")], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    family, latin_ticks, imported = completed.stdout.splitlines()
    assert family.startswith("['sans-serif', '") and family != "['sans-serif']"
    assert latin_ticks.startswith("True ") and imported == "False"
    assert (tmp_path / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_a_cjk_font_legacy_tf_run_gives_one_hint_at_the_scripts_line(tmp_path):
    script = tmp_path / "plot_korean.py"
    script.write_text(textwrap.dedent(f"""\
        import matplotlib
        matplotlib.rcParams["font.family"] = ["sans-serif"]  # as on a machine without one
        import matplotlib.pyplot as plt
        plt.title({KOREAN!r})
        plt.show()
        plt.title("정확도 두 번째")
        plt.show()
        """), encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "legacy_tf", "run", str(script)],
                               cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.count("pip install koreanize-matplotlib") == 1, completed.stderr
    assert f"{script}:5: UserWarning" in completed.stderr, completed.stderr
    assert "runner.py" not in completed.stderr
    assert "Glyph" not in completed.stderr
    assert (tmp_path / "plot_korean_figure_2.png").exists()
