"""Hello, Session: constants are graph nodes, a Session computes their values.

Lecture: seed 003, "TensorFlow Execution Environment", "TensorFlow (Cont.)", "GRAPH", "SESSION",
  "Tensor Types in TensorFlow - Constant" and "TensorFlow Strings"
Origin: seed only
Expect: exact values: Tensor("Const:0", shape=(), dtype=int32) then 1; Tensor("Add:0", ...)
  then 5; 2 + 3 = 5 with the constants A, B, Sum; 2.3 and [[1 2] [3 4]];
  b'Hello, TensorFlow' then Hello, TensorFlow; the GPU device, or a plain "none"
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.hello_session
View: python -m legacy_tf board
Changed from the slide: the Colab GPU check raises SystemError when there is no GPU; here it
  says so and goes on. The slides are notebook cells sharing one default graph (hence the
  slide's "Const 170:0"); here they share one fresh graph, so the first constant is Const:0.
  tf.__version__ prints 2.21.0 where the slide shows '1.14.0'.
"""

from legacy_tf import lesson, tf

LESSON = "hello_session"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def version():
    # Jupyter Notebook: tf.__version__ ('1.14.0' on the slide)
    print("\n== Jupyter Notebook: tf.__version__ ==")
    print(repr(tf.__version__))
    return tf.__version__


def gpu_check():
    # Google Colaboratory: look for the GPU
    print("\n== Google Colaboratory: GPU ==")
    device_name = tf.test.gpu_device_name()
    if device_name:
        print("GPU 장치를 찾았습니다. 장치 : {}".format(device_name))
    else:  # the slide raises SystemError here; a learner without a GPU just goes on
        print("GPU 장치를 찾지 못했습니다. (no GPU device: TensorFlow runs on the CPU)")
    return device_name or None


def tensor_vs_value():
    # TensorFlow (Cont.): a is a node of the graph; its value needs a Session
    print("\n== TensorFlow (Cont.): print(a) vs a.eval() ==")
    a = tf.constant(1)
    print(a)
    with tf.Session() as sess:
        value = a.eval()
        print(value)
    return str(a), int(value)


def graph_then_session():
    # GRAPH: c = tf.add(a, b, name='Add') is only defined ...
    print("\n== GRAPH / SESSION: tf.add(2, 3, name='Add') ==")
    a = 2
    b = 3
    c = tf.add(a, b, name="Add")
    print(c)
    # SESSION: ... and computed in a session, closed by hand or by `with`
    sess = tf.Session()
    print(sess.run(c))
    sess.close()
    with tf.Session() as sess:
        value = sess.run(c)
        print(value)
    return str(c), int(value)


def constants():
    # Tensor Types in TensorFlow - Constant: a + b with default names Const, Const_1, add
    print("\n== Constant: a + b ==")
    a = tf.constant(2)
    b = tf.constant(3)
    c = a + b
    with tf.Session() as sess:
        value = sess.run(c)
        print(value)
    return int(value)


def named_constants():
    # The same graph with the names TensorBoard shows: A, B, Sum
    print("\n== Constant: named A, B, Sum ==")
    a = tf.constant(2, name="A")
    b = tf.constant(3, name="B")
    c = tf.add(a, b, name="Sum")
    with tf.Session() as sess:
        value = sess.run(c)
        print(value)
    return [a.name, b.name, c.name], int(value)


def scalar_and_matrix():
    print("\n== Constant: scalar and matrix ==")
    s = tf.constant(2.3, name="scalar", dtype=tf.float32)
    m = tf.constant([[1, 2], [3, 4]], name="matrix")
    with tf.Session() as sess:
        scalar = sess.run(s)
        print(scalar)
        matrix = sess.run(m)
        print(matrix)
    return float(scalar), matrix.tolist()


def strings():
    # TensorFlow Strings: a string constant comes back as bytes; decode it for str
    print("\n== TensorFlow Strings ==")
    sess = tf.Session()
    hello = tf.constant("Hello, TensorFlow")
    raw = sess.run(hello)
    print(raw)
    text = str(sess.run(hello), encoding="utf-8")
    print(text)
    sess.close()  # not on the slide
    return raw, text


def run(config=None, **overrides):
    """Runs the slides' blocks in order in one graph and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():  # the notebook's default graph: every block adds its nodes here
            tf_version = version()
            device = gpu_check()
            tensor_text, one = tensor_vs_value()
            add_text, add_value = graph_then_session()
            constant_sum = constants()
            names, named_sum = named_constants()
            scalar, matrix = scalar_and_matrix()
            hello_bytes, hello = strings()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(version=tf_version, gpu_device=device, tensor=tensor_text, one=one,
                       add_tensor=add_text, add=add_value, sum=constant_sum, names=names,
                       named_sum=named_sum, scalar=scalar, matrix=matrix,
                       hello_bytes=hello_bytes, hello=hello)
        return run.result(figures, headline="sum", lecture="5 for 2 + 3")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
