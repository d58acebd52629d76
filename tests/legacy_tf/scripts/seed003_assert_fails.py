# Seed 003, "assert 처리하기 (Cont.)", the failing case: the slide's listing without the line
# numbers the PDF printed into it and without one duplicated line (print('yp', ...) twice).
import tensorflow as tf

#tf.assert_negative(x, data=None, summarize=None, message=None, name=None)

x = tf.constant([-2.25, -3.25])
y = tf.assert_negative(x)

#tf.assert_positive(x, data=None, summarize=None, message=None, name=None)
xp = tf.constant([-2.25, 3.25])
yp = tf.assert_positive(xp)

with tf.Session() as sess:
    print('y', type(y))
    print(y.run())
    print('yp', type(yp))
    print(yp.run())
