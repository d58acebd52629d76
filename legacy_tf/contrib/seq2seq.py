"""``tf.contrib.seq2seq.sequence_loss`` as TensorFlow 1.15 computed it.

Used by: :mod:`legacy_tf.contrib`.
"""

from legacy_tf.compat import tf


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """Weighted softmax cross-entropy of a batch of sequences.

    Args:
        logits: ``[batch, time, classes]`` float tensor.
        targets: ``[batch, time]`` int tensor of class numbers.
        weights: ``[batch, time]`` float tensor (1 where a position counts, 0 for padding).
        average_across_timesteps / average_across_batch: divide the weighted sum over that axis
            by the sum of the weights over it (both: one scalar, the default).
        sum_over_timesteps / sum_over_batch: divide the weighted sum over that axis by the
            number of non-zero weights over it.
        softmax_loss_function: ``f(labels=..., logits=...)`` replacing the sparse softmax
            cross-entropy.
        name: name scope (default ``sequence_loss``).

    Returns:
        A scalar, ``[time]``, ``[batch]`` or ``[batch, time]`` tensor as the flags choose.

    Raises:
        ValueError: wrong ranks, or an average flag combined with a sum flag.
    """
    if len(logits.get_shape()) != 3:
        raise ValueError("sequence_loss: logits must be [batch_size, sequence_length, classes]; "
                         f"got shape {logits.get_shape()}.")
    if len(targets.get_shape()) != 2:
        raise ValueError("sequence_loss: targets must be [batch_size, sequence_length]; "
                         f"got shape {targets.get_shape()}.")
    if len(weights.get_shape()) != 2:
        raise ValueError("sequence_loss: weights must be [batch_size, sequence_length]; "
                         f"got shape {weights.get_shape()}.")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("sequence_loss: average_across_timesteps and sum_over_timesteps cannot "
                         "both be True. Fix: set one of them to False.")
    if average_across_batch and sum_over_batch:
        raise ValueError("sequence_loss: average_across_batch and sum_over_batch cannot both be "
                         "True. Fix: set one of them to False.")
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        targets_flat = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets_flat,
                                                                      logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets_flat, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            count = tf.cast(tf.count_nonzero(weights), crossent.dtype)
            return tf.div_no_nan(tf.reduce_sum(crossent), count)
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            count = tf.cast(tf.count_nonzero(weights, axis=axis), crossent.dtype)
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis), count)
        return crossent
