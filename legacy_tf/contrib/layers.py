"""``tf.contrib.layers`` as TensorFlow 1.15 computed it, rebuilt on ``tf.compat.v1``.

Each function keeps TF 1.15's signature, defaults and variable names: ``fully_connected``
creates ``fully_connected/weights`` and ``fully_connected/biases`` (``fully_connected_1/...``
for the next call), ``conv2d`` creates ``Conv/weights`` and ``Conv/biases``, ``batch_norm``
creates ``BatchNorm/beta`` (``gamma`` with ``scale=True``), ``BatchNorm/moving_mean`` and
``BatchNorm/moving_variance``; so a checkpoint or a TensorBoard graph shows the names a TF1
run showed. Weights default to Xavier (Glorot uniform), biases to zeros, ``fully_connected``
and ``conv2d`` to ReLU. Layer variables also go into ``tf.GraphKeys.MODEL_VARIABLES``.

The layer functions take :func:`legacy_tf.contrib.framework.arg_scope` defaults. Not kept:
``batch_norm``'s ``batch_weights``, ``renorm``, ``zero_debias_moving_mean`` and ``adjustment``
options (asking for one raises :class:`UnsupportedContribOption`). ``batch_norm`` normalises with the batch's biased variance
for every input rank (TF 1.15's non-fused formula); ``fused`` is accepted and changes nothing.

Used by: :mod:`legacy_tf.contrib` (the table of names a run serves under ``tf.contrib``).
"""

import math
import numbers

from legacy_tf.compat import tf
from legacy_tf.contrib.framework import add_arg_scope


class UnsupportedContribOption(ValueError):
    """A ``tf.contrib`` argument legacy_tf's re-implementation does not provide."""


def _unsupported(function, option, value):
    raise UnsupportedContribOption(
        f"tf.contrib.layers.{function}({option}={value!r}): legacy_tf re-implements "
        f"{function} without the {option} option (legacy_tf/contrib/layers.py). Fix: drop the "
        "argument, or build the layer with tf.compat.v1 ops yourself.")


# --- initializers -----------------------------------------------------------------------------

def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=tf.float32):
    """He-style initializer: variance ``factor / n``, ``n`` the fan-in, fan-out or their mean.

    Uniform draws lie in ``[-sqrt(3 * factor / n), sqrt(3 * factor / n)]``; otherwise a
    truncated normal with standard deviation ``sqrt(1.3 * factor / n)`` (TF 1.15's factor 1.3
    makes up for the truncation at two standard deviations). For kernels of rank > 2 the fans
    are multiplied by the receptive field (all but the last two dimensions).

    Raises:
        TypeError: ``dtype`` is not a floating type.
        ValueError: ``mode`` is not ``FAN_IN``, ``FAN_OUT`` or ``FAN_AVG``.
    """
    if not tf.as_dtype(dtype).is_floating:
        raise TypeError(f"variance_scaling_initializer(dtype={dtype!r}): the dtype must be a "
                        "floating type. Fix: pass dtype=tf.float32.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise ValueError(f"variance_scaling_initializer(mode={mode!r}): expected 'FAN_IN', "
                         "'FAN_OUT' or 'FAN_AVG'. Fix: pass one of them.")

    def _initializer(shape, dtype=dtype, partition_info=None):
        if partition_info is not None:
            shape = partition_info.full_shape
        shape = [int(dim) for dim in shape]
        if shape:
            fan_in = float(shape[-2] if len(shape) > 1 else shape[-1])
            fan_out = float(shape[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in shape[:-2]:
            fan_in *= dim
            fan_out *= dim
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return tf.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return tf.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)

    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Glorot and Bengio's initializer: variance ``2 / (fan_in + fan_out)``.

    Uniform (the default) in ``[-sqrt(6 / (fan_in + fan_out)), +...]``, the same draws as
    ``tf.glorot_uniform_initializer(seed)``; ``uniform=False`` draws a truncated normal.
    """
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed,
                                        dtype=dtype)


xavier_initializer_conv2d = xavier_initializer


# --- regularizers -----------------------------------------------------------------------------

def _checked_scale(function, scale):
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"{function}(scale={scale!r}): scale cannot be an integer. "
                         f"Fix: write it as a float, e.g. {float(scale)}.")
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError(f"{function}(scale={scale!r}): scale must be >= 0. "
                         "Fix: pass a non-negative float.")
    return scale


def _regularizer(kind, scale, scope, penalty):
    """``weights -> scale * penalty(weights)`` under a ``kind`` name scope; zero scale: None."""
    if _checked_scale(kind, scale) == 0.0:
        return lambda _: None

    def regularizer(weights, name=None):
        with tf.name_scope(scope, kind, [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, penalty(weights), name=name)

    return regularizer


def l1_regularizer(scale, scope=None):
    """``weights -> scale * sum(|weights|)``; a zero scale gives a function returning None."""
    return _regularizer("l1_regularizer", scale, scope, lambda w: tf.reduce_sum(tf.abs(w)))


def l2_regularizer(scale, scope=None):
    """``weights -> scale * sum(weights ** 2) / 2`` (``tf.nn.l2_loss``); zero scale: None."""
    return _regularizer("l2_regularizer", scale, scope, tf.nn.l2_loss)


def apply_regularization(regularizer, weights_list=None):
    """The sum of ``regularizer(w)`` over ``weights_list`` (default: ``tf.GraphKeys.WEIGHTS``).

    The sum is also added to ``tf.GraphKeys.REGULARIZATION_LOSSES``.

    Raises:
        ValueError: no weights to regularize, or a penalty that is not a scalar.
    """
    if not weights_list:
        weights_list = tf.get_collection(tf.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("apply_regularization: no weights to regularize (weights_list is empty "
                         "and so is tf.GraphKeys.WEIGHTS). Fix: pass weights_list=[W1, W2, ...].")
    with tf.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(weights) for weights in weights_list]
        penalties = [tf.constant(0.0) if p is None else p for p in penalties]
        for penalty in penalties:
            if penalty.get_shape().ndims != 0:
                raise ValueError("apply_regularization: the regularizer returned a tensor of rank "
                                 f"{penalty.get_shape().ndims}; it must return a scalar.")
        total = tf.add_n(penalties, name=scope)
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, total)
        return total


# --- layers -----------------------------------------------------------------------------------

def _smart_cond(pred, true_fn, false_fn):
    """``tf.cond`` unless ``pred`` is a Python bool or a constant (then one branch, no cond)."""
    static = pred if isinstance(pred, bool) else tf.get_static_value(pred)
    if static is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if static else false_fn()


def _collect(collections, key, value):
    """Adds ``value`` to ``collections`` (a list, or a dict keyed like TF1's ``'weights'``)."""
    if isinstance(collections, dict):
        collections = collections.get(key)
    if collections:
        tf.add_to_collections(list(collections), value)


def _model_variable(name, shape, dtype, initializer, regularizer, trainable, collections, key):
    variable = tf.get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=trainable,
        collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES])
    _collect(collections, key, variable)
    return variable


def _finish(outputs, normalizer_fn, normalizer_params, biases, activation_fn):
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    elif biases is not None:
        outputs = tf.nn.bias_add(outputs, biases)
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return outputs


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=xavier_initializer(),
                    weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """``activation_fn(inputs @ weights + biases)``, with the variables in ``fully_connected``.

    With a ``normalizer_fn`` (such as :func:`batch_norm`) no biases are created: the
    normaliser is applied to ``inputs @ weights`` before the activation. ``activation_fn=None``
    gives a linear layer. Inputs of rank > 2 are multiplied along their last dimension.
    """
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        num_inputs = int(inputs.get_shape()[-1])
        weights = _model_variable("weights", [num_inputs, num_outputs], dtype,
                                  weights_initializer, weights_regularizer, trainable,
                                  variables_collections, "weights")
        if inputs.get_shape().ndims == 2:
            outputs = tf.matmul(inputs, weights)
        else:
            outputs = tf.tensordot(inputs, weights, [[inputs.get_shape().ndims - 1], [0]])
        biases = None
        if normalizer_fn is None and biases_initializer is not None:
            biases = _model_variable("biases", [num_outputs], dtype, biases_initializer,
                                     biases_regularizer, trainable, variables_collections,
                                     "biases")
        outputs = _finish(outputs, normalizer_fn, normalizer_params, biases, activation_fn)
        _collect(outputs_collections, None, outputs)
        return outputs


def _pair(value, name):
    if isinstance(value, int):
        return [value, value]
    value = list(value)
    if len(value) != 2:
        raise ValueError(f"{name}={value!r}: expected an int or a pair of ints. "
                         f"Fix: pass {name}=3 or {name}=[3, 3].")
    return value


@add_arg_scope
def conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
           activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
           weights_initializer=xavier_initializer(), weights_regularizer=None,
           biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """A 2-D convolution (``Conv/weights`` of shape ``[kh, kw, in, out]``, ``Conv/biases``).

    ``data_format`` ``None``/``'NHWC'`` (channels last) or ``'NCHW'``; ``rate`` > 1 dilates.
    """
    data_format = data_format or "NHWC"
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"conv2d(data_format={data_format!r}): expected 'NHWC' or 'NCHW'. "
                         "Fix: pass one of them (None means 'NHWC').")
    with tf.variable_scope(scope, "Conv", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        channel_axis = 3 if data_format == "NHWC" else 1
        num_inputs = int(inputs.get_shape()[channel_axis])
        kernel_h, kernel_w = _pair(kernel_size, "kernel_size")
        stride_h, stride_w = _pair(stride, "stride")
        rate_h, rate_w = _pair(rate, "rate")
        weights = _model_variable("weights", [kernel_h, kernel_w, num_inputs, num_outputs], dtype,
                                  weights_initializer, weights_regularizer, trainable,
                                  variables_collections, "weights")
        if data_format == "NHWC":
            strides, dilations = [1, stride_h, stride_w, 1], [1, rate_h, rate_w, 1]
        else:
            strides, dilations = [1, 1, stride_h, stride_w], [1, 1, rate_h, rate_w]
        outputs = tf.nn.conv2d(inputs, weights, strides, padding, data_format=data_format,
                               dilations=dilations)
        if normalizer_fn is None and biases_initializer is not None:
            biases = _model_variable("biases", [num_outputs], dtype, biases_initializer,
                                     biases_regularizer, trainable, variables_collections,
                                     "biases")
            outputs = tf.nn.bias_add(outputs, biases, data_format=data_format)
        outputs = _finish(outputs, normalizer_fn, normalizer_params, None, activation_fn)
        _collect(outputs_collections, None, outputs)
        return outputs


convolution2d = conv2d


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    """Max pooling over ``kernel_size`` windows, ``stride`` 2 and ``VALID`` padding by default."""
    with tf.name_scope(scope, "MaxPool2D", [inputs]):
        kernel_h, kernel_w = _pair(kernel_size, "kernel_size")
        stride_h, stride_w = _pair(stride, "stride")
        if data_format == "NHWC":
            ksize, strides = [1, kernel_h, kernel_w, 1], [1, stride_h, stride_w, 1]
        else:
            ksize, strides = [1, 1, kernel_h, kernel_w], [1, 1, stride_h, stride_w]
        outputs = tf.nn.max_pool(inputs, ksize, strides, padding, data_format=data_format)
        _collect(outputs_collections, None, outputs)
        return outputs


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """``inputs`` reshaped to ``[batch, everything else]``, keeping the static sizes."""
    with tf.name_scope(scope, "Flatten", [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        rest = inputs.get_shape()[1:]
        if rest.is_fully_defined():
            outputs = tf.reshape(inputs, [-1, int(rest.num_elements())])
        else:
            outputs = tf.reshape(inputs, tf.stack([tf.shape(inputs)[0], -1]))
        _collect(outputs_collections, None, outputs)
        return outputs


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """While ``is_training`` (a bool or a boolean tensor): keeps each value with probability
    ``keep_prob`` and scales it by ``1 / keep_prob``; otherwise the inputs unchanged."""
    with tf.variable_scope(scope, "Dropout", [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        outputs = _smart_cond(
            is_training,
            lambda: tf.nn.dropout(inputs, rate=1.0 - keep_prob, noise_shape=noise_shape,
                                  seed=seed),
            lambda: tf.identity(inputs))
        _collect(outputs_collections, None, outputs)
        return outputs


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None,
               updates_collections=tf.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False,
               scope=None, renorm=False, renorm_clipping=None, renorm_decay=0.99,
               adjustment=None):
    """Batch normalisation (Ioffe and Szegedy) over every axis but the channels.

    While ``is_training`` (a Python bool or a boolean tensor such as a placeholder), the batch's
    mean and (biased) variance normalise the inputs, and the moving averages
    ``moving = moving * decay + batch * (1 - decay)`` are updated by ops placed in
    ``updates_collections`` -- by default ``tf.GraphKeys.UPDATE_OPS``, which the training step
    must run (``with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))``).
    ``updates_collections=None`` runs the updates with every training-mode output instead.
    Otherwise the moving averages normalise and nothing is updated. Then ``* gamma`` (if
    ``scale``), ``+ beta`` (if ``center``) and ``activation_fn``.
    """
    for option, value, default in [("batch_weights", batch_weights, None),
                                   ("renorm", renorm, False),
                                   ("zero_debias_moving_mean", zero_debias_moving_mean, False),
                                   ("adjustment", adjustment, None)]:
        if value is not default and value != default:
            _unsupported("batch_norm", option, value)
    del fused, renorm_clipping, renorm_decay
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"batch_norm(data_format={data_format!r}): expected 'NHWC' or "
                         "'NCHW'. Fix: pass one of them.")
    initializers = param_initializers or {}
    regularizers = param_regularizers or {}
    with tf.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        rank = inputs.get_shape().ndims
        channel_axis = 1 if data_format == "NCHW" and rank > 2 else rank - 1
        params_shape = [int(inputs.get_shape()[channel_axis])]
        moments_axes = [axis for axis in range(rank) if axis != channel_axis]

        def parameter(name, default, trainable_parameter):
            return _model_variable(name, params_shape, dtype,
                                   initializers.get(name, default), regularizers.get(name),
                                   trainable_parameter, variables_collections, name)

        beta = parameter("beta", tf.zeros_initializer(), trainable) if center else None
        gamma = parameter("gamma", tf.ones_initializer(), trainable) if scale else None
        moving_mean = tf.get_variable(
            "moving_mean", params_shape, dtype, initializers.get("moving_mean",
                                                                 tf.zeros_initializer()),
            trainable=False,
            collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES,
                         tf.GraphKeys.MOVING_AVERAGE_VARIABLES])
        moving_variance = tf.get_variable(
            "moving_variance", params_shape, dtype,
            initializers.get("moving_variance", tf.ones_initializer()), trainable=False,
            collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES,
                         tf.GraphKeys.MOVING_AVERAGE_VARIABLES])
        _collect(variables_collections, "moving_mean", moving_mean)
        _collect(variables_collections, "moving_variance", moving_variance)

        static_training = is_training if isinstance(is_training, bool) \
            else tf.get_static_value(is_training)
        if static_training is False:
            mean, variance = moving_mean, moving_variance
        else:
            mean, variance = tf.nn.moments(inputs, moments_axes)  # one value per channel

            def update():
                with tf.name_scope("AssignMovingAvg"):
                    new_mean = tf.assign_sub(moving_mean, (moving_mean - mean) * (1.0 - decay))
                with tf.name_scope("AssignMovingAvg_1"):
                    new_variance = tf.assign_sub(moving_variance,
                                                 (moving_variance - variance) * (1.0 - decay))
                return new_mean, new_variance

            def moving():
                return tf.identity(moving_mean), tf.identity(moving_variance)

            if updates_collections is None:
                def forced():
                    new_mean, new_variance = update()
                    with tf.control_dependencies([new_mean, new_variance]):
                        return tf.identity(mean), tf.identity(variance)
                mean, variance = _smart_cond(is_training, forced, moving)
            else:
                new_mean, new_variance = _smart_cond(is_training, update, moving)
                tf.add_to_collections(updates_collections, new_mean)
                tf.add_to_collections(updates_collections, new_variance)
                batch = (mean, variance)
                mean, variance = _smart_cond(is_training, lambda: batch, moving)
        if channel_axis != rank - 1:
            broadcast = [1] * rank
            broadcast[channel_axis] = params_shape[0]
            mean, variance = tf.reshape(mean, broadcast), tf.reshape(variance, broadcast)
            beta = None if beta is None else tf.reshape(beta, broadcast)
            gamma = None if gamma is None else tf.reshape(gamma, broadcast)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        _collect(outputs_collections, None, outputs)
        return outputs


# --- summaries --------------------------------------------------------------------------------

def summarize_tensor(tensor, tag=None):
    """A scalar summary for a scalar tensor, a histogram otherwise.

    The tag defaults to ``<op name>_summary``, as in TF 1.15.
    """
    tag = tag or f"{tensor.op.name}_summary"
    if tensor.get_shape().ndims == 0:
        return tf.summary.scalar(tag, tensor)
    return tf.summary.histogram(tag, tensor)


def summarize_activation(op):
    """A histogram ``<op>/activation``; after ReLU, Softplus or ReLU6 also the scalar
    ``<op>/zeros`` (the fraction of its inputs below zero), after ReLU6 ``<op>/sixes`` (above
    six). Returns the histogram summary."""
    inputs = op.op.inputs[0] if op.op.inputs else None
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        below = tf.reduce_mean(tf.cast(tf.less(inputs, tf.cast(0.0, inputs.dtype)), tf.float32))
        tf.summary.scalar(f"{op.op.name}/zeros", below)
    if op.op.type == "Relu6":
        above = tf.reduce_mean(tf.cast(tf.greater(inputs, tf.cast(6.0, inputs.dtype)),
                                       tf.float32))
        tf.summary.scalar(f"{op.op.name}/sixes", above)
    return tf.summary.histogram(f"{op.op.name}/activation", op)
