"""A lesson's settings and flags: its ``Config`` checked value by value, and its command line.

A lesson's ``Config`` is a frozen dataclass extending :class:`Settings` (or :class:`Trained`
for a lesson that trains): the defaults are the slide's values, each field's trailing
``# comment`` becomes its ``--help`` text, and every value is checked when a Config is made,
by the rule its name or type gives (:data:`RULE_BY_NAME`; a lesson's ``BOUNDS`` for the sizes
that cost memory or time), so a bad flag stops before anything is built. :func:`build_parser`
and :func:`parse_config` turn a Config class into kebab-case flags (``--learning-rate``);
:func:`resolve_config` is ``run(config=None, **overrides)``'s one line.

Used by: :mod:`legacy_tf.lesson` (which gives lessons these names as ``lesson.Settings``,
``lesson.resolve_config``, ...), :mod:`legacy_tf.display` (``VERBOSE_VARIABLE``).
"""

import argparse
import dataclasses
import inspect
import math
import os
import re
import sys
import typing


def _field_comments(config_class):
    """The trailing ``# comment`` of each field in the dataclass's source (and in the sources
    of the classes it extends, such as :class:`Settings`), for ``--help``."""
    comments = {}
    for klass in reversed(config_class.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        comments.update(re.findall(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+?)\s*$", source,
                                   flags=re.MULTILINE))
    return comments


def _fields_for_help(config_class):
    """The fields, the lesson's own first and those every lesson has (``logdir``) last."""
    shared = {field.name for field in dataclasses.fields(Trained)}  # Settings' and precision
    fields = dataclasses.fields(config_class)
    return [f for f in fields if f.name not in shared] + [f for f in fields if f.name in shared]


def _field_type(field, default):
    annotation = field.type
    if isinstance(annotation, str):  # from __future__ import annotations
        annotation = {"int": int, "float": float, "str": str, "bool": bool}.get(annotation, annotation)
    origin_args = typing.get_args(annotation)
    if origin_args:  # Optional[X] / X | None
        candidates = [arg for arg in origin_args if arg is not type(None)]
        annotation = candidates[0] if candidates else str
    if isinstance(annotation, type):
        return annotation
    return type(default) if default is not None else str


SEED_MAX = 2**31 - 1
VERBOSE_VARIABLE = "LEGACY_TF_VERBOSE"


@dataclasses.dataclass(frozen=True)
class FlagRule:
    """What values a ``Config`` field accepts: ``check(value)`` is True for those, ``allowed``
    says so in words (for the error message)."""

    check: object
    allowed: str


def _positive_int(value):
    return value >= 1


def _finite(value):
    return math.isfinite(value)


RULE_BY_NAME = (
    # (how a field's name ends, the rule); the first match wins. Lessons declare nothing else:
    # a field's name and annotation say what it may hold.
    ("seed", FlagRule(lambda value: 0 <= value <= SEED_MAX, f"an integer in 0..{SEED_MAX}")),
    ("index", FlagRule(lambda value: value >= 0, "an integer >= 0")),
    ("prob", FlagRule(lambda value: 0.0 < value <= 1.0, "a probability in (0, 1]")),
    ("decay_rate", FlagRule(lambda value: 0.0 < value <= 1.0, "a factor in (0, 1]")),
    ("learning_rate", FlagRule(lambda value: math.isfinite(value) and value > 0.0,
                               "a finite number > 0")),
    ("scale", FlagRule(lambda value: math.isfinite(value) and value >= 0.0,
                       "a finite number >= 0")),
)
"""Rules by field name; every other ``int`` field is a count (steps, batch size, an interval,
a layer size: an integer >= 1) and every other ``float`` a finite number. A field may instead
declare ``dataclasses.field(default=..., metadata={"rule": FlagRule(...)})``."""

def bound_rule(low, high, why):
    """The rule of a flag in a Config's ``BOUNDS``: an integer in ``low..high``."""
    return FlagRule(lambda value: low <= value <= high, f"an integer in {low}..{high} ({why})")


def check_index(name, value, size, what):
    """Raises :class:`FlagError` when the index flag ``name`` is not below ``size``, the
    number of ``what`` in the data loaded (mnist_explore's ``--image-index``)."""
    if not 0 <= value < size:
        raise FlagError(name, value, f"an integer in 0..{size - 1} (the data has {size} {what})")
    return value


INT_RULE = FlagRule(_positive_int, "an integer >= 1")
FLOAT_RULE = FlagRule(_finite, "a finite number")


def flag_rules(config_class):
    """``{field name: FlagRule}`` for the fields of ``config_class`` whose values are limited."""
    rules = {}
    bounds = getattr(config_class, "BOUNDS", {})
    for field in dataclasses.fields(config_class):
        kind = _field_type(field, field.default)
        if field.name in bounds:
            rules[field.name] = bound_rule(*bounds[field.name])
        elif "rule" in field.metadata:
            rules[field.name] = field.metadata["rule"]
        elif kind in (int, float):
            rules[field.name] = next(
                (rule for suffix, rule in RULE_BY_NAME if field.name.endswith(suffix)),
                INT_RULE if kind is int else FLOAT_RULE)
    return rules


class FlagError(ValueError):
    """A lesson setting outside its allowed range; the message names flag, value and range."""

    def __init__(self, name, value, allowed):
        self.flag = "--" + name.replace("_", "-")
        self.value = value
        self.allowed = allowed
        super().__init__(f"argument {self.flag}: invalid value {value!r}: must be {allowed}. "
                         f"Fix: pass {self.flag} with {allowed}, or leave it out for the "
                         "lecture's default.")


def check_config(config):
    """Raises :class:`FlagError` for the first setting of ``config`` its rule refuses."""
    for name, rule in flag_rules(type(config)).items():
        value = getattr(config, name)
        if value is None or isinstance(value, bool):
            continue
        if not rule.check(value):
            raise FlagError(name, value, rule.allowed)
    return config


def build_parser(config_class, description=None):
    """An argparse parser with one ``--kebab-case`` flag per field of ``config_class``."""
    first_line = (description or "").strip().splitlines()[0] if description else None
    parser = argparse.ArgumentParser(
        description=first_line,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    comments = _field_comments(config_class)
    for field in _fields_for_help(config_class):
        default = field.default
        flag = "--" + field.name.replace("_", "-")
        help_text = comments.get(field.name, " ")
        if field.name in getattr(config_class, "BOUNDS", {}):  # the bound and its reason
            low, high, why = config_class.BOUNDS[field.name]
            help_text = f"{help_text}; at least {low}, at most {high}: {why}"
        help_text = help_text.replace("%", "%%")  # argparse %-formats help
        kind = _field_type(field, default)
        if kind is bool:
            parser.add_argument(flag, dest=field.name, default=default, help=help_text,
                                action=argparse.BooleanOptionalAction)
        else:
            parser.add_argument(flag, dest=field.name, default=default, type=kind,
                                help=help_text, metavar=field.name.upper())
    if "verbose" not in {field.name for field in dataclasses.fields(config_class)}:
        parser.add_argument("--verbose", dest="_verbose", action="store_true",
                            help=f"on a failed check, print the full traceback (also: "
                                 f"{VERBOSE_VARIABLE}=1)")
    return parser


def parse_config(config_class, argv=None, description=None):
    """Parses ``argv`` (default ``sys.argv[1:]``) into a ``config_class`` instance.

    Every value is checked against :func:`flag_rules` before anything runs: a refused one
    exits with status 2 and an argparse error naming the flag, the value and the range.
    """
    parser = build_parser(config_class, description)
    namespace = vars(parser.parse_args(_negative_words_joined(
        sys.argv[1:] if argv is None else argv)))
    if namespace.pop("_verbose", False):
        os.environ[VERBOSE_VARIABLE] = "1"
    try:
        return _checked(config_class(**namespace))
    except ValueError as error:  # FlagError, or a refusal of the lesson's own Config
        parser.error(str(error))


def _negative_words_joined(argv):
    """``--learning-rate -inf`` as ``--learning-rate=-inf``: argparse takes ``-inf`` (not a
    number by its test) for an option and says only "expected one argument"; joined, the
    value reaches its flag's rule, which names the range."""
    argv = list(argv)
    for index in range(len(argv) - 1, 0, -1):
        if argv[index].lower() in ("-inf", "-infinity", "-nan") and \
                argv[index - 1].startswith("--") and "=" not in argv[index - 1]:
            argv[index - 1:index + 1] = [f"{argv[index - 1]}={argv[index]}"]
    return argv


def resolve_config(config_class, config=None, overrides=None):
    """``config`` (default: the lecture's) with ``overrides`` applied; unknown names fail, and
    so does a value outside its field's range (:class:`FlagError`, see :func:`flag_rules`)."""
    names = {field.name for field in dataclasses.fields(config_class)}
    unknown = set(overrides or {}) - names
    if unknown:
        raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are {sorted(names)}")
    if config is None:  # built from the overrides, so a Config's named presets see what was given
        config = config_class(**(overrides or {}))
    elif overrides:
        config = dataclasses.replace(config, **overrides)
    return _checked(config)


def _checked(config):
    """``config``, checked by :func:`check_config` unless it is a :class:`Settings`, which
    checks itself when it is made: the one place a lesson's settings are checked."""
    return config if isinstance(config, Settings) else check_config(config)


@dataclasses.dataclass(frozen=True)
class Settings:
    """What every lesson's ``Config`` holds whatever its slides say: where its files go.

    A lesson's ``Config`` extends it (``class Config(lesson.Settings):``) with the lecture's
    settings; a lesson whose slides have none uses it as it is (``Config = lesson.Settings``).
    A ``Config`` with its own ``__post_init__`` calls ``super().__post_init__()`` last.
    """

    logdir: typing.Optional[str] = None  # TensorBoard root (default logs/ or $LEGACY_TF_LOGDIR)

    def __post_init__(self):
        """Refuses a setting outside its range (:class:`FlagError`) whichever way the Config
        is made: from flags, by ``run(steps=...)``, or by ``dataclasses.replace``."""
        check_config(self)


PRECISIONS = ("float32", "bfloat16")  # legacy_tf.precision.PRECISIONS (that module loads TF)


def precision_field():
    """The ``precision`` field of :class:`Trained`, for a lesson that redeclares it to say in
    its ``--help`` comment how bfloat16 changes its figure."""
    return dataclasses.field(default="float32", metadata={"rule": FlagRule(
        lambda value: value in PRECISIONS, " or ".join(PRECISIONS))})


@dataclasses.dataclass(frozen=True)
class Trained(Settings):
    """What every lesson that trains holds besides: the arithmetic of its Sessions.

    A trained lesson's ``Config`` extends it (``class Config(lesson.Trained):``). float32 is
    what TensorFlow 1 computed and the default; bfloat16 applies oneDNN's bfloat16 rewrite to
    every Session made inside the lesson's :class:`Run` (:mod:`legacy_tf.precision`), and is
    refused in one line on a machine without bfloat16 arithmetic.
    """

    precision: str = precision_field()  # float32 (TF1's), or bfloat16: needs AVX512_BF16/AMX
