"""TensorBoard's graph tab: FileWriter(logdir, sess.graph) writes the graph a session runs.

Lecture: seed 003, "TensorBoard 실행하기", "Introduction to TensorBoard" and "Visualizing the
  Graph"
Origin: seed only
Expect: exact values: h = 94.5 for the add/multiply/divide/cast graph; 5 for a + b, unnamed
  (Const, Const_1, Add) and named (a, b, addition); each graph in its own event file
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.tensorboard_graph
View: python -m legacy_tf board
Changed from the slide: the slide writes to ./graphs/sample and twice to ./graphs; here the run
  directory logs/tensorboard_graph/<run>/ holds the named graph (a, b, addition), with the
  first graph in its sample/ folder and the unnamed one in unnamed/, so TensorBoard lists each
  as a run of its own. tf.reset_default_graph() becomes a fresh tf.Graph() per program.
"""

from legacy_tf import lesson, summaries, tf

LESSON = "tensorboard_graph"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def sample_graph(logdir):
    # TensorBoard 실행하기: add, multiply, divide, cast
    print("\n== TensorBoard 실행하기: ./graphs/sample ==")
    with tf.Graph().as_default():
        a = tf.add(1, 2)
        b = tf.multiply(a, 3)
        c = tf.add(4, 5)
        d = tf.multiply(c, 6)
        e = tf.multiply(4, 5)
        f = tf.math.divide(c, 6)
        g = tf.add(b, d)
        g = tf.cast(g, dtype=tf.float64)
        h = tf.multiply(g, f)
        with tf.Session() as sess:
            with summaries.file_writer(logdir, sess.graph):  # writer.close() on leaving
                value = sess.run(h)
                print(value)
    return float(value)


def unnamed_graph(logdir):
    # Introduction to TensorBoard: the writer created inside the session, with sess.graph
    print("\n== Visualizing the Graph: default names ==")
    with tf.Graph().as_default():  # tf.reset_default_graph() on the slide
        a = tf.constant(2)
        b = tf.constant(3)
        c = tf.add(a, b)
        with tf.Session() as sess:
            # or creating the writer inside the session
            with summaries.file_writer(logdir, sess.graph):
                value = sess.run(c)
                print(value)
    return [a.op.name, b.op.name, c.op.name], int(value)


def named_graph(logdir):
    # Visualizing the Graph: the same with names TensorBoard shows
    print("\n== Visualizing the Graph: named a, b, addition ==")
    with tf.Graph().as_default():  # tf.reset_default_graph() on the slide
        a = tf.constant(2, name="a")
        b = tf.constant(3, name="b")
        c = tf.add(a, b, name="addition")
        with tf.Session() as sess:
            # or creating the writer inside the session
            with summaries.file_writer(logdir, sess.graph):
                value = sess.run(c)
                print(value)
    return [a.op.name, b.op.name, c.op.name], int(value)


def run(config=None, **overrides):
    """Runs the three programs, each writing its graph, and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        run_dir = run.graph_only()  # each program below writes its own graph into it
        h = sample_graph(run_dir / "sample")
        unnamed, unnamed_sum = unnamed_graph(run_dir / "unnamed")
        named, named_sum = named_graph(run_dir)
        print(f"\nGraphs written under {run_dir}: sample/, unnamed/ and the named one in the "
              "folder itself; open TensorBoard's Graphs tab to see them.")
        figures = dict(h=h, unnamed_names=unnamed, unnamed_sum=unnamed_sum, named_names=named,
                       named_sum=named_sum)
        return run.result(figures, headline="h", lecture="94.5")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
