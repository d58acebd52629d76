"""What a lesson prints while it trains and what its ``run()`` returns: the progress lines
(:class:`Progress`) and the :class:`Result`, with the summary line that closes every run.

Used by: :mod:`legacy_tf.lesson` (lessons use them as ``lesson.Progress``, ``lesson.Result``).
"""

import sys
import time


class Progress:
    """Prints a progress line every ``log_every`` steps (and at the last step), flushed.

    ``progress.report(step, cost=0.31)`` prints ``step   100/1000  cost 0.3100  (1.2 s)``
    when ``step`` is due; figures print in the order given.
    """

    def __init__(self, total_steps, log_every, stream=None):
        self.total_steps = total_steps
        self.log_every = max(1, int(log_every))
        self.stream = stream
        self.started = time.perf_counter()

    def due(self, step):
        return step % self.log_every == 0 or step == self.total_steps - 1

    def elapsed(self):
        return time.perf_counter() - self.started

    def report(self, step, **figures):
        if not self.due(step):
            return False
        width = len(str(self.total_steps))
        parts = [f"step {step:>{width}}/{self.total_steps}"]
        parts += [f"{name} {_format_figure(value)}" for name, value in figures.items()]
        parts.append(f"({self.elapsed():.1f} s)")
        print("  ".join(parts), file=self.stream or sys.stdout, flush=True)
        return True


def _format_figure(value):
    if isinstance(value, float) or hasattr(value, "dtype"):
        return f"{float(value):.4f}"
    return str(value)


class Result:
    """What a lesson's ``run()`` returns: its figures by name, the run directory, the wall time.

    Figures are read as attributes too: ``result.accuracy`` is ``result.figures["accuracy"]``.
    """

    def __init__(self, lesson, figures, run_dir=None, seconds=None, headline=None, lecture=None,
                 log_root=None):
        self.lesson = lesson
        self.log_root = log_root  # the TensorBoard root holding run_dir, when not its grandparent
        self.figures = dict(figures)
        self.run_dir = run_dir
        self.seconds = seconds
        self.headline = headline
        self.lecture = lecture

    def __getattr__(self, name):
        figures = self.__dict__.get("figures", {})
        if name in figures:
            return figures[name]
        raise AttributeError(f"{self.__dict__.get('lesson')} result has no figure {name!r}")

    def __repr__(self):
        return f"Result({self.lesson!r}, {self.figures!r}, run_dir={str(self.run_dir)!r})"

    def summary_line(self):
        """``[lesson] accuracy 0.9186 (lecture: about 0.91)  12.3 s  run logs/...``: greppable."""
        parts = [f"[{self.lesson}]"]
        if self.headline is not None:
            parts.append(f"{self.headline} {_format_figure(self.figures[self.headline])}")
        if self.lecture:
            parts.append(f"(lecture: {self.lecture})")
        if self.seconds is not None:
            parts.append(f"{self.seconds:.1f} s")
        if self.run_dir is not None:
            parts.append(f"run {self.run_dir}")
        return "  ".join(parts)
