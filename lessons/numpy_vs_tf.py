"""NumPy vs TensorFlow: the same array operations, computed at once by NumPy and in a session by TF.

Lecture: seed 003, "TensorFlow vs NumPy" (the table, the 열축 합산 programs, and "TensorFlow는
  작성과 실행영역이 분리 되어 있음")
Origin: seed only
Expect: exact values, equal on both sides: zeros and ones 2x2; sum over axis 1 = [2. 2.];
  shape (2, 2); reshape to [[0. 0. 0. 0.]]; every row of the table (mean, subtract, sqrt,
  argmax, argmin, matmul) the same from NumPy and from TensorFlow; 1 + 10 = 11 three ways
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.numpy_vs_tf
View: python -m legacy_tf board
Changed from the slide: the table's rows without a program on the slide (mean, subtract, sqrt,
  argmax, argmin, matmul) are computed here on the matrix [[1, 4], [9, 2]] and b = ones;
  the slide's np.reshap and reduction_indices[1] typos are written np.reshape and
  reduction_indices=1.
"""

import numpy as np

from legacy_tf import lesson, tf

LESSON = "numpy_vs_tf"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def numpy_side():
    print("\n== NumPy ==")
    a = np.zeros((2, 2))
    print(a)
    b = np.ones((2, 2))
    print(b)
    # 열단위로 합산
    row_sums = np.sum(b, axis=1)
    print(row_sums)
    print(a.shape)
    reshaped = np.reshape(a, (1, 4))
    print(reshaped)
    return dict(zeros=a, ones=b, sum=row_sums, shape=a.shape, reshape=reshaped)


def tensorflow_side():
    # InteractiveSession makes itself the default session, so .eval() needs no `sess`
    print("\n== TensorFlow (InteractiveSession) ==")
    sess = tf.InteractiveSession()
    a = tf.zeros((2, 2))
    b = tf.ones((2, 2))
    zeros, ones = a.eval(), b.eval()  # not printed on the slide; compared with NumPy's
    row_sums = tf.reduce_sum(b, reduction_indices=1).eval()
    print(row_sums)
    shape = a.get_shape()
    print(shape)
    reshaped = tf.reshape(a, (1, 4)).eval()
    print(reshaped)
    sess.close()
    return dict(zeros=zeros, ones=ones, sum=row_sums, shape=tuple(shape.as_list()),
                reshape=reshaped)


def correspondence_table():
    # The table, row by row: NumPy's value and TensorFlow's, side by side
    print("\n== NumPy | TensorFlow ==")
    m = np.array([[1., 4.], [9., 2.]])
    b = np.ones((2, 2))
    print(f"m = {one_line(m)}, b = np.ones((2, 2))")
    sess = tf.InteractiveSession()
    tm, tb = tf.constant(m), tf.constant(b)
    rows = [
        ("np.mean(m)", np.mean(m), "tf.reduce_mean(m)", tf.reduce_mean(tm)),
        ("np.subtract(m, b)", np.subtract(m, b), "tf.subtract(m, b)", tf.subtract(tm, tb)),
        ("np.sqrt(m)", np.sqrt(m), "tf.sqrt(m)", tf.sqrt(tm)),
        ("np.argmax(m, axis=1)", np.argmax(m, axis=1), "tf.math.argmax(m, 1)",
         tf.math.argmax(tm, 1)),
        ("np.argmin(m, axis=0)", np.argmin(m, axis=0), "tf.math.argmin(m, 0)",
         tf.math.argmin(tm, 0)),
        ("np.dot(m, b)", np.dot(m, b), "tf.matmul(m, b)", tf.matmul(tm, tb)),
    ]
    table = {}
    for numpy_text, numpy_value, tf_text, tensor in rows:
        tf_value = tensor.eval()
        table[numpy_text] = (numpy_value, tf_value)
        print(f"{numpy_text:<22}{one_line(numpy_value):<24}| {tf_text:<22}{one_line(tf_value)}")
    sess.close()
    return table


def one_line(value):
    return " ".join(np.array2string(np.asarray(value), precision=4).split())


def python_vs_tensorflow():
    # TensorFlow는 작성과 실행영역이 분리 되어 있음: Python computes at once ...
    print("\n== Python vs TensorFlow: 1 + 10 ==")
    c = 1
    v = c + 10
    print(v)
    python_value = v
    # ... TensorFlow builds first and computes in a session
    c = tf.constant(1)
    c10 = tf.constant(10)
    v = tf.add(c, c10)
    sess = tf.Session()
    added = sess.run(v)
    print(added)
    sess.close()
    # ... and the same with a Variable that starts at 0
    v = tf.Variable(0)
    ca = tf.add(c, c10)
    va = tf.add(v, ca)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    with_variable = sess.run(va)
    print(with_variable)
    sess.close()
    return [python_value, int(added), int(with_variable)]


def run(config=None, **overrides):
    """Runs the slides' programs in order in one graph and returns both sides' values."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():
            numpy_values = numpy_side()
            tf_values = tensorflow_side()
            table = correspondence_table()
            elevens = python_vs_tensorflow()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        agreeing = sum(np.array_equal(numpy_values[key], tf_values[key]) for key in numpy_values)
        agreeing += sum(np.allclose(numpy_value, tf_value)
                        for numpy_value, tf_value in table.values())
        figures = dict(numpy=numpy_values, tensorflow=tf_values, table=table, elevens=elevens,
                       agreeing=f"{agreeing} of {len(numpy_values) + len(table)}")
        return run.result(figures, headline="agreeing", lecture="the same numbers from both sides")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
