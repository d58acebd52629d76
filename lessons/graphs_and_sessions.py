"""Graphs and sessions: every op belongs to one graph, every session runs one graph.

Lecture: seed 000, "지난시간 - graph의 assert 는 예외처리..", with seed 003's
  "TensorFlow 빌딩 / 실행 구조" (tf.get_default_graph and linspace)
Origin: seed only
Expect: exact values: the Python assert on a = 5 fails with AssertionError; the four ownership
  asserts (c and sess_1 in g_1, d and sess_2 in g_2) hold; sess_1 gives 5, sess_2 gives
  b'Node in g_2'; the default graph's op names are listed; linspace(-1, 1, 10) gives
  -1, -0.7777778, ..., 0.7777778, 1 (float32)
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.graphs_and_sessions
View: python -m legacy_tf board
Changed from the slide: sess_1 = tf.Session(g_1), as the notes write it, passes the graph as
  the first parameter, `target` (the server address), and raises TypeError -- on TF 1.x too;
  the lesson shows that error, then uses tf.Session(graph=g_1), the form the notes use for g_2.
  `assert a is 3` is written `assert a == 3` (Python 3.8+ warns about `is` with a literal).
  TF 2.x builds tf.linspace from 74 small ops in a name scope `linspace` (output
  linspace/Slice:0), where TF 1.14 had one LinSpace op, so the op list is longer than the
  slide's; the slide's list also starts with 'x', a constant left by an earlier notebook cell.
"""

from legacy_tf import lesson, tf

LESSON = "graphs_and_sessions"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def python_assert():
    # assert: "if this condition does not hold, raise an error"
    print("\n== Python assert ==")
    # 그래프 준비
    a = 3
    # 세션 실행단계
    a = 5
    print(a)
    with lesson.expected_error(AssertionError) as failure:
        assert a == 3
    return a, failure.name


def first_graph():
    print("\n== g_1 = tf.Graph() ==")
    g_1 = tf.Graph()
    with g_1.as_default():
        # Operation created in this scope will be added to g_1.
        c = tf.constant(5)
    print(c)
    return g_1, c


def session_for(g_1):
    # Session: the notes pass the graph positionally -- it lands on `target` ...
    print("\n== sess_1 = tf.Session(g_1) ==")
    with lesson.expected_error(TypeError) as failure:
        sess_1 = tf.Session(g_1)
    # ... so pass it by name, as the notes do for g_2
    print("== sess_1 = tf.Session(graph=g_1) ==")
    sess_1 = tf.Session(graph=g_1)
    print(sess_1.graph is g_1)
    return sess_1, failure.name


def second_graph():
    print("\n== g_2 = tf.Graph() ==")
    g_2 = tf.Graph()
    with g_2.as_default():
        # Operations created in this scope will be added to g_2.
        d = tf.constant("Node in g_2")
    print(d)
    # `sess_2` will run operations from `g_2`.
    sess_2 = tf.Session(graph=g_2)
    return g_2, d, sess_2


def ownership(g_1, g_2, c, d, sess_1, sess_2):
    print("\n== assert ... is g_1 / g_2 ==")
    assert c.graph is g_1
    assert sess_1.graph is g_1
    assert d.graph is g_2
    assert sess_2.graph is g_2
    holds = [c.graph is g_1, sess_1.graph is g_1, d.graph is g_2, sess_2.graph is g_2]
    print(holds)
    # Each session runs its own graph's ops (and refuses the other graph's: ValueError).
    c_value = sess_1.run(c)
    print(c_value)
    d_value = sess_2.run(d)
    print(d_value)
    with lesson.expected_error(ValueError) as failure:
        sess_1.run(d)
    return holds, int(c_value), d_value, failure.name


def default_graph():
    # 빌딩 / 실행 구조: print the tensor, the default graph's ops, then the values
    print("\n== tf.get_default_graph() and linspace ==")
    x2 = tf.linspace(-1.0, 1.0, 10)
    print(x2)
    g = tf.get_default_graph()
    names = [op.name for op in g.get_operations()]
    print(names)
    sess = tf.Session()
    values = sess.run(x2)
    print(values)
    sess.close()
    return str(x2), names, values


def run(config=None, **overrides):
    """Runs the slides' blocks in order; returns what they printed; writes g_1, g_2 and the
    default graph (the run directory itself) for TensorBoard."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        a, assert_error = python_assert()
        g_1, c = first_graph()
        sess_1, positional_error = session_for(g_1)
        g_2, d, sess_2 = second_graph()
        holds, c_value, d_value, cross_error = ownership(g_1, g_2, c, d, sess_1, sess_2)
        sess_1.close()
        sess_2.close()
        graph = tf.Graph()
        with graph.as_default():  # the program's default graph
            linspace_tensor, op_names, linspace = default_graph()
        run.graph_only(graph, g_1=g_1, g_2=g_2)  # FileWriter(logdir, graph) for each
        figures = dict(a=a, python_assert_error=assert_error,
                       positional_session_error=positional_error, ownership=holds, c=c_value,
                       d=d_value, other_graph_error=cross_error, linspace_tensor=linspace_tensor,
                       op_names=op_names, linspace=linspace.tolist())
        return run.result(figures, headline="ownership", lecture="the four asserts hold")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
