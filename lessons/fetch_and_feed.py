"""Fetch and feed: sess.run computes what it is asked for, with placeholder values from feed_dict.

Lecture: seed 003, "Example", "fetch: 한개 실행예시", "TensorFlow feed 실행 예시", "feed" and
  "Tensor Types in TensorFlow - Placeholder"
Origin: seed only
Expect: exact values: 15625 10; 2; 9.0, 32.0, [1. 2. 2. 2.]; [array([14.], dtype=float32)];
  InvalidArgumentError for the unfed placeholder B, then [6. 7. 8.] with it fed
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.fetch_and_feed
View: python -m legacy_tf board
Changed from the slide: the unfed placeholder's InvalidArgumentError is caught and shown
  (class and first line of the message) and the program goes on to the fed run, which the
  slide shows as a second program; both slides share one graph here, so the second slide's
  "Add" is named Add_1 (the first "Add" belongs to the Example's graph).
"""

from legacy_tf import lesson, tf

LESSON = "fetch_and_feed"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole


Config = lesson.Settings  # the slides have no settings: only where the graph goes


def example():
    # Example: useless_op is in the graph but only the fetched ops and their inputs run
    print("\n== Example: Add, Multiply, Power ==")
    x = 2
    y = 3
    add_op = tf.add(x, y, name="Add")
    mul_op = tf.multiply(x, y, name="Multiply")
    pow_op = tf.pow(add_op, mul_op, name="Power")
    useless_op = tf.multiply(x, add_op, name="Useless")
    with tf.Session() as sess:
        pow_out, useless_out = sess.run([pow_op, useless_op])
    print(pow_out, useless_out)
    return int(pow_out), int(useless_out)


def fetch_one():
    # fetch: 한개 실행예시 -- .eval() on a Tensor runs the operations behind it
    print("\n== fetch: tf.add(1, 1).eval() ==")
    with tf.Session() as sess:
        value = tf.add(1, 1).eval()
        print(value)
    return int(value)


def feed():
    # TensorFlow feed 실행 예시: placeholders get their values from feed_dict on every run
    print("\n== feed: feed_dict into placeholders ==")
    a = tf.placeholder("float")
    b = tf.placeholder("float")
    y = tf.multiply(a, b)
    z = tf.add(y, y)
    elems = tf.Variable([1.0, 2.0, 2.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        # feed로 호출하기
        y_value = sess.run(y, feed_dict={a: 3, b: 3})
        print(y_value)
        # placeholder를 다시 사용할 때는 재할당 필요
        z_value = sess.run(z, feed_dict={a: 4, b: 4})
        print(z_value)
        # fetch로 호출하기
        elems_value = sess.run(elems)
        print(elems_value)
    return float(y_value), float(z_value), elems_value


def feed_list():
    # feed: a list of fetches gives a list of values
    print("\n== feed: sess.run([output], feed_dict=...) ==")
    input1 = tf.placeholder(tf.float32)
    input2 = tf.placeholder(tf.float32)
    output = tf.multiply(input1, input2)
    with tf.Session() as sess:
        fetched = sess.run([output], feed_dict={input1: [7,], input2: [2.]})
        print(fetched)
    return fetched


def placeholder_add():
    # Placeholder: a constant vector plus a placeholder, first without a value for B ...
    print("\n== Placeholder: A + B, B not fed ==")
    a = tf.constant([5, 5, 5], tf.float32, name="A")
    b = tf.placeholder(tf.float32, shape=[3], name="B")
    c = tf.add(a, b, name="Add")
    with tf.Session() as sess:
        with lesson.expected_error(tf.errors.InvalidArgumentError) as failure:
            print(sess.run(c))
    # ... then with B fed through a dictionary
    print("\n== Placeholder: A + B, B fed ==")
    with tf.Session() as sess:
        # create a dictionary:
        d = {b: [1, 2, 3]}
        # feed it to the placeholder
        value = sess.run(c, feed_dict=d)
        print(value)
    return failure.name, value


def run(config=None, **overrides):
    """Runs the slides' programs in order in one graph and returns what they printed."""
    config = lesson.resolve_config(Config, config, overrides)
    with lesson.Run(LESSON, config) as run:
        graph = tf.Graph()
        with graph.as_default():
            pow_out, useless_out = example()
            one_plus_one = fetch_one()
            y_value, z_value, elems_value = feed()
            fetched = feed_list()
            unfed_error, fed_value = placeholder_add()
        run.graph_only(graph)  # FileWriter(logdir, graph) writes the graph for TensorBoard
        figures = dict(pow_out=pow_out, useless_out=useless_out, one_plus_one=one_plus_one,
                       y=y_value, z=z_value, elems=elems_value.tolist(),
                       output=[array.tolist() for array in fetched], output_repr=repr(fetched),
                       unfed_error=unfed_error, fed=fed_value.tolist())
        return run.result(figures, headline="pow_out", lecture="15625 10")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
