"""The part of ``tf.contrib.rnn`` that TensorFlow 2.21's ``tf.compat.v1.nn`` does not have.

TF 1.15's ``tf.contrib.rnn.BasicLSTMCell``, ``LSTMCell``, ``GRUCell``, ``BasicRNNCell``,
``MultiRNNCell``, ``DropoutWrapper``, ``LSTMStateTuple`` and ``static_rnn`` were the core
``tf.nn.rnn_cell`` / ``tf.nn`` objects under a second name, and :data:`legacy_tf.contrib.CONTRIB`
maps them there. ``OutputProjectionWrapper`` lived only in contrib; it is here.

Used by: :mod:`legacy_tf.contrib`.
"""

from legacy_tf.compat import tf


class OutputProjectionWrapper(tf.nn.rnn_cell.RNNCell):
    """A cell whose output is ``activation(cell_output @ kernel + bias)``, ``output_size`` wide.

    The variables are ``kernel`` and ``bias`` (zeros) in the wrapper's own scope
    (``rnn/output_projection_wrapper/kernel``), the wrapped cell's inside it
    (``rnn/output_projection_wrapper/basic_lstm_cell/kernel``), as in TF 1.15. The state is
    the wrapped cell's.

    Args:
        cell: the RNN cell to wrap.
        output_size: width of the projection.
        activation: applied to the projection; None keeps it linear.
        reuse: reuse the variables of an existing scope.

    Raises:
        TypeError: ``cell`` is not an RNN cell.
        ValueError: ``output_size`` is not positive.
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        if not isinstance(cell, tf.nn.rnn_cell.RNNCell):
            raise TypeError(f"OutputProjectionWrapper(cell={cell!r}): the cell must be an "
                            "RNNCell, e.g. tf.contrib.rnn.BasicLSTMCell(num_units).")
        if output_size < 1:
            raise ValueError(f"OutputProjectionWrapper(output_size={output_size!r}): the "
                             "projection needs a positive width.")
        self._cell = cell
        self._output_size = output_size
        self._activation = activation

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        kernel = tf.get_variable("kernel", [int(output.get_shape()[-1]), self._output_size],
                                 dtype=output.dtype)
        bias = tf.get_variable("bias", [self._output_size], dtype=output.dtype,
                               initializer=tf.constant_initializer(0.0, dtype=output.dtype))
        projected = tf.nn.bias_add(tf.matmul(output, kernel), bias)
        if self._activation is not None:
            projected = self._activation(projected)
        return projected, new_state
