"""a = a + 1, three ways: defining a graph is not running it, and a Variable needs initialising.

Lecture: seed 003, "Computational Graph 정의와 실행의 분리 이해", "Variable 사용시 반드시
  초기화(Initialization)" and "SESSION (Cont.)" (파이썬 기본)
Origin: seed only
Expect: exact values: FailedPreconditionError without the initialiser; 1 1 1 with it;
  1 2 3 with tf.assign; 1 2 3 4 5 from both the Python loop and the Session loop
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.lazy_update
View: python -m legacy_tf board
Changed from the slide: the first program's FailedPreconditionError is caught and shown (class
  and first line of the message) instead of ending the program with a traceback.
"""

from legacy_tf import lesson, tf

LESSON = "lazy_update"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def without_initializer():
    # computational graph 정의: a = a + 1 -- and run it without initialising a
    print("\n== a = a + 1 without the initialiser ==")
    a = tf.Variable(0)  # a = 0
    a = tf.add(a, tf.constant(1))  # a = a+1
    sess = tf.Session()
    with lesson.expected_error(tf.errors.FailedPreconditionError) as failure:
        for _ in range(3):
            print(sess.run(a))
    sess.close()
    return failure.name


def with_initializer():
    # 초기화!!!! 꼭 해야해요! -- but a itself never changes: 1 1 1
    print("\n== a = a + 1 with tf.global_variables_initializer() ==")
    a = tf.Variable(0)
    a = tf.add(a, tf.constant(1))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    values = []
    for _ in range(3):
        values.append(int(sess.run(a)))
        print(values[-1])
    sess.close()
    return values


def with_assign():
    # tf.assign writes temp back into a: 1 2 3
    print("\n== a <- a + 1 with tf.assign ==")
    a = tf.Variable(0)  # a = 0
    temp = tf.add(a, tf.constant(1))  # assign을 위해 temp 정의: temp = a+1
    update = tf.assign(a, temp)  # a <- temp; a = a+1;
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    values = []
    for _ in range(3):
        sess.run(update)  # update를 실행
        values.append(int(sess.run(a)))  # a값 출력을 실행
        print(values[-1])
    sess.close()
    return values


def python_loop():
    # 파이썬 기본: x = x + 1 five times
    print("\n== SESSION (Cont.): the Python loop ==")
    x = 0
    values = []
    for i in range(5):
        x = x + 1
        values.append(x)
        print(x)
    return values


def session_loop():
    # The same loop in TensorFlow: each pass adds a new node x + 1 on top of the last
    print("\n== SESSION (Cont.): the TensorFlow loop ==")
    x = tf.Variable(0, name="x")
    model = tf.global_variables_initializer()
    values = []
    with tf.Session() as session:
        for i in range(5):
            session.run(model)
            x = x + 1
            values.append(int(session.run(x)))
            print(values[-1])
    return values


def run(config=None, **overrides):
    """Runs the slides' programs in order in one graph and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():
            error = without_initializer()
            initialised = with_initializer()
            assigned = with_assign()
            python_values = python_loop()
            session_values = session_loop()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(uninitialised_error=error, with_initializer=initialised,
                       with_assign=assigned, python_loop=python_values,
                       session_loop=session_values)
        return run.result(figures, headline="with_assign", lecture="1 2 3 with tf.assign")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
