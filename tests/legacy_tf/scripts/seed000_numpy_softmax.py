# Seed 000, "소프트맥스": the slide's NumPy softmax, its one-line code blocks joined.
#### SoftMax ####

import numpy as np

def softmax(x):
    ex = np.exp(x)
    return ex / ex.sum()

x = np.array([1.0, 1.0, 2.0])

y = softmax(x)

print(y)
