"""Korean text in a figure: drawn with a CJK font when one is installed (no missing-glyph
warning from matplotlib), else one hint at the learner's own line."""

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
        "no CJK font found: install fonts-nanum (the test extra's .ci/run does) to run this check")
    assert matplotlib.rcParams["font.family"] == ["sans-serif", family]  # Latin text unchanged
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(tmp_path / "korean.png")
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyphs == []
    assert (tmp_path / "korean.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
    assert completed.stderr.count("fonts-nanum") == 1, completed.stderr
    assert f"{script}:5: UserWarning" in completed.stderr, completed.stderr
    assert "runner.py" not in completed.stderr
    assert "Glyph" not in completed.stderr
    assert (tmp_path / "plot_korean_figure_2.png").exists()
