"""Back-propagation: the chain rule on f = w*x + b and on the sigmoid, checked with tf.gradients.

Lecture: seed 004, "03.Back propagation", "03.Back propagation(chain rule)" and "04. Sigmoid"
Origin: seed only
Expect: exact values: f = -7 (g = w*x = -10) for w = -2, x = 5, b = 3; a change of 1 in w,
  x, b changes f by 5, -2, 1; tf.gradients gives df/dw = 5, df/dx = -2, df/db = 1 and
  df/dg = 1, dg/dw = x = 5, dg/dx = w = -2; the sigmoid built from its four primitive ops
  matches tf.sigmoid, and its tf.gradients matches the chain of local derivatives and the
  closed form sigmoid(z) * (1 - sigmoid(z)) (0.25 at z = 0) to float32 tolerance
Runtime: under 1 s after importing TensorFlow (4-8 s in all on the 2-core reference machine)
Run: python -m lessons.backprop
View: python -m legacy_tf board
Changed from the slide: the slide works the numbers by hand; here the graph computes them, and
  the sigmoid is evaluated at z = -1, 0, 1 (the slide gives no z).
"""

import dataclasses

import numpy as np

from legacy_tf import lesson, tf

LESSON = "backprop"
QUICK = {}  # the lesson is tiny: smoke and CLI tests run it whole
Z_VALUES = [-1.0, 0.0, 1.0]  # where the sigmoid's derivative is checked (not on the slide)


@dataclasses.dataclass(frozen=True)
class Config(lesson.Settings):
    w: float = -2.0  # w = -2
    x: float = 5.0  # x = 5
    b: float = 3.0  # b = 3


@lesson.fresh_graph
def build_graph(config):
    # 03. Back propagation: f = wx + b, g = wx, f = g + b
    w = tf.placeholder(tf.float32, [], name="w")
    x = tf.placeholder(tf.float32, [], name="x")
    b = tf.placeholder(tf.float32, [], name="b")
    g = tf.multiply(w, x, name="g")
    f = tf.add(g, b, name="f")
    # Backward: tf.gradients applies the chain rule through the graph
    df_dwxb = tf.gradients(f, [w, x, b], name="df")
    df_dg = tf.gradients(f, g, name="df_dg")[0]
    dg_dwx = tf.gradients(g, [w, x], name="dg")

    # 04. Sigmoid g(z) = 1 / (1 + e^-z), as four primitive ops
    z = tf.placeholder(tf.float32, [None], name="z")
    negated = tf.multiply(z, -1.0, name="negate")  # 1. z 에 -1 을 곱해서 음수로 만든다.
    exponential = tf.exp(negated, name="exp")  # 2. exp(지수)를 계산한다.
    denominator = tf.add(exponential, 1.0, name="add_one")  # 3. 1 을 더한다.
    sigmoid = tf.reciprocal(denominator, name="reciprocal")  # 4. 앞의 결과를 분모로 취한다.
    reference = tf.sigmoid(z, name="tf_sigmoid")
    # d sigmoid / d(each intermediate), from the output back to z
    upstream = tf.gradients(sigmoid, [denominator, exponential, negated, z], name="dsigmoid")
    ds_dz = upstream[-1]
    return lesson.Net(w=w, x=x, b=b, g=g, f=f, df_dwxb=df_dwxb, df_dg=df_dg, dg_dwx=dg_dwx, z=z,
                      negated=negated, exponential=exponential, denominator=denominator,
                      sigmoid=sigmoid, reference=reference, upstream=upstream, ds_dz=ds_dz)


def forward(net, sess, config):
    print("\n== Forward: f = w*x + b ==")
    feed = {net.w: config.w, net.x: config.x, net.b: config.b}
    g, f = sess.run([net.g, net.f], feed)
    print(f"w = {config.w:g}, x = {config.x:g}, b = {config.b:g} -> g = {g:g}, f = {f:g}")
    return float(g), float(f)


def changes(net, sess, config):
    # The slide's experiment: move one input by 1 and watch f
    print("\n== Forward again, one input moved by 1 ==")
    base = {net.w: config.w, net.x: config.x, net.b: config.b}
    f0 = sess.run(net.f, base)
    change = {}
    for name, placeholder in (("w", net.w), ("x", net.x), ("b", net.b)):
        moved = {**base, placeholder: base[placeholder] + 1}
        f1 = sess.run(net.f, moved)
        change[name] = float(f1 - f0)
        print(f"{name} = {moved[placeholder]:g} -> f = {f1:g}   # {name}가 1 변할 때 "
              f"{change[name]:g}만큼 변화")
    return change


def gradients(net, sess, config):
    print("\n== Backward: tf.gradients and the chain rule ==")
    feed = {net.w: config.w, net.x: config.x, net.b: config.b}
    (df_dw, df_dx, df_db), df_dg, (dg_dw, dg_dx) = sess.run(
        [net.df_dwxb, net.df_dg, net.dg_dwx], feed)
    print(f"df/dg = {df_dg:g}, df/db = {df_db:g}   # f = g + b")
    print(f"dg/dw = x = {dg_dw:g}, dg/dx = w = {dg_dx:g}   # g = w*x")
    print(f"df/dw = df/dg * dg/dw = {df_dg:g} * {dg_dw:g} = {df_dg * dg_dw:g}"
          f"   (tf.gradients: {df_dw:g})")
    print(f"df/dx = df/dg * dg/dx = {df_dg:g} * {dg_dx:g} = {df_dg * dg_dx:g}"
          f"   (tf.gradients: {df_dx:g})")
    return dict(df_dw=float(df_dw), df_dx=float(df_dx), df_db=float(df_db),
                df_dg=float(df_dg), dg_dw=float(dg_dw), dg_dx=float(dg_dx))


def sigmoid_chain(net, sess, z_values):
    # 복잡한 수식도 기본미분값을 이용하여 풀 수 있음: local derivative of each primitive op
    print("\n== Sigmoid as a chain of primitive ops ==")
    feed = {net.z: z_values}
    n, e, d, s, reference, upstream = sess.run(
        [net.negated, net.exponential, net.denominator, net.sigmoid, net.reference,
         net.upstream], feed)
    local = [-1.0 / d ** 2,  # 4. d(1/d)/dd
             np.ones_like(e),  # 3. d(e + 1)/de
             np.exp(n),  # 2. d(exp n)/dn
             -np.ones_like(n)]  # 1. d(-z)/dz
    by_hand = np.prod(local, axis=0)
    closed_form = s * (1 - s)
    rows = [("z", np.asarray(z_values, np.float32)), ("sigmoid (4 ops)", s),
            ("tf.sigmoid(z)", reference)]
    rows += [(f"dsigmoid/d{name}", values)
             for name, values in zip(["(1 + e^-z)", "(e^-z)", "(-z)", "z"], upstream)]
    rows += [("local grads multiplied", by_hand), ("s * (1 - s)", closed_form)]
    for label, values in rows:
        print(f"{label:<24}{values}")
    return dict(z=list(z_values), sigmoid=s, tf_sigmoid=reference, tf_gradient=upstream[-1],
                chain=by_hand, closed_form=closed_form)


def run(config=None, **overrides):
    """Runs forward and backward passes and returns the slide's numbers from the graph."""
    config = lesson.resolve_config(Config, config, overrides)
    net = build_graph(config)
    with lesson.Run(LESSON, config) as run, tf.Session(graph=net.graph) as sess:
        run.graph_only(net.graph)  # TensorBoard shows the graph the gradients come from
        g, f = forward(net, sess, config)
        change = changes(net, sess, config)
        grads = gradients(net, sess, config)
        sigmoid = sigmoid_chain(net, sess, Z_VALUES)
        figures = dict(g=g, f=f, change=change, **grads,
                       **{f"sigmoid_{key}": np.asarray(value).tolist()
                          for key, value in sigmoid.items()})
        return run.result(figures, headline="df_dw", lecture="df/dw = 5")


main = lesson.command(run, Config, __doc__)


if __name__ == "__main__":
    main()
