"""``tf.contrib.factorization.KMeans``: TensorFlow's own K-means, with TF 1.4-1.15's return value.

The class moved into TensorFlow itself (``tensorflow.python.ops.clustering_ops.KMeans``), where
``training_graph()`` returns six values. The contrib class of TF 1.4 to 1.15 returned seven --
``(all_scores, cluster_idx, scores, cluster_centers_initialized, cluster_centers_var, init_op,
training_op)`` -- and the K-means programs of that time unpack seven. :class:`KMeans` is
TensorFlow's class, handing back the cluster-centre variable it creates as the fifth value.

Used by: :mod:`legacy_tf.contrib` (the table of names a run serves).
"""

from tensorflow.python.ops import clustering_ops

# The module-level names the contrib module had beside the class.
SQUARED_EUCLIDEAN_DISTANCE = clustering_ops.SQUARED_EUCLIDEAN_DISTANCE
COSINE_DISTANCE = clustering_ops.COSINE_DISTANCE
RANDOM_INIT = clustering_ops.RANDOM_INIT
KMEANS_PLUS_PLUS_INIT = clustering_ops.KMEANS_PLUS_PLUS_INIT
KMC2_INIT = clustering_ops.KMC2_INIT


class KMeans(clustering_ops.KMeans):
    """TensorFlow's ``KMeans`` whose ``training_graph()`` returns TF 1.15's seven values."""

    def _create_variables(self, num_clusters):
        created = super()._create_variables(num_clusters)
        self._cluster_centers_var = created[0]  # the variable training_graph() builds on
        return created

    def training_graph(self):
        """TF 1.15's ``(all_scores, cluster_idx, scores, cluster_centers_initialized,
        cluster_centers_var, init_op, training_op)``."""
        (all_scores, cluster_idx, scores, cluster_centers_initialized, init_op,
         training_op) = super().training_graph()
        return (all_scores, cluster_idx, scores, cluster_centers_initialized,
                self._cluster_centers_var, init_op, training_op)
