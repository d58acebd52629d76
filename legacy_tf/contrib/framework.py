"""``tf.contrib.framework.arg_scope`` and ``add_arg_scope``, as TensorFlow 1.15 had them.

``with arg_scope([fully_connected, conv2d], activation_fn=tf.nn.elu): ...`` gives every call of
those functions inside the block the listed keyword arguments as defaults; an argument the call
passes itself wins, an inner ``arg_scope`` overrides an outer one, and ``with arg_scope(saved):``
re-enters a scope saved from ``with arg_scope(...) as saved``. Only functions decorated with
:func:`add_arg_scope` take part -- the :mod:`legacy_tf.contrib.layers` functions are.

Used by: :mod:`legacy_tf.contrib.layers` and :mod:`legacy_tf.contrib`.
"""

import contextlib
import functools

_stack = [{}]  # one dict per open arg_scope: function key -> its default keyword arguments


def _key(function):
    return getattr(function, "_key_op", f"{function.__module__}.{function.__name__}")


def add_arg_scope(function):
    """Decorates ``function`` so that :func:`arg_scope` can set its keyword defaults."""

    @functools.wraps(function)
    def with_scope_defaults(*args, **kwargs):
        defaults = _stack[-1].get(_key(function), {})
        return function(*args, **{**defaults, **kwargs})

    with_scope_defaults._key_op = _key(function)
    return with_scope_defaults


def has_arg_scope(function):
    """Whether ``function`` was decorated with :func:`add_arg_scope`."""
    return hasattr(function, "_key_op")


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Default keyword arguments for the listed functions while the block runs.

    Args:
        list_ops_or_scope: a list or tuple of decorated functions, or a scope dict saved from
            an earlier ``with arg_scope(...) as scope``.
        **kwargs: the defaults.

    Yields:
        The scope now in force (a dict that can be re-entered later).

    Raises:
        ValueError: a saved scope given together with keyword arguments, or a function that
            was not decorated with ``add_arg_scope``.
        TypeError: ``list_ops_or_scope`` is neither a list, a tuple nor a dict.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("arg_scope(saved_scope, ...): a saved scope takes no keyword "
                             "arguments. Fix: open a nested arg_scope for the new defaults.")
        scope = list_ops_or_scope
    elif isinstance(list_ops_or_scope, (list, tuple)):
        scope = {key: dict(defaults) for key, defaults in _stack[-1].items()}
        for function in list_ops_or_scope:
            if not has_arg_scope(function):
                raise ValueError(f"arg_scope: {function!r} is not decorated with "
                                 "add_arg_scope, so it cannot take scope defaults. Fix: pass "
                                 "the arguments in the call, or decorate the function with "
                                 "tf.contrib.framework.add_arg_scope.")
            scope.setdefault(_key(function), {}).update(kwargs)
    else:
        raise TypeError(f"arg_scope({list_ops_or_scope!r}): expected a list or tuple of "
                        "functions, or a saved scope dict.")
    _stack.append(scope)
    try:
        yield scope
    finally:
        _stack.pop()
