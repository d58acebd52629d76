"""The PyTorch legs of bench.mnist_deep: the mnist_deep architecture, trained by a plain loop.

Runs in its own process, started by ``bench.mnist_deep`` only when ``torch`` is importable: it
never imports TensorFlow, so the two runtimes do not share one process's thread pools. Same
network as the lesson (conv 5x5x32, pool, conv 5x5x64, pool, fc 1024, dropout, 10, SAME
padding), same initialisation (weights truncated normal with stddev 0.1 cut at 2 stddevs,
biases 0.1), Adam at the lesson's rate, and the same batches in the same order: the images come
from ``legacy_tf.data.read_data_sets(seed=...)`` and ``next_batch``, as in the feed_dict leg.
``--autocast bfloat16`` runs the step under ``torch.autocast("cpu", torch.bfloat16)``, PyTorch's
own mixed precision. At its best on this CPU: the model and batches in ``channels_last`` memory
format, which oneDNN's convolutions prefer (measured under load 3: 665 against 407 images/s
contiguous, one thread), and ``bench.mnist_deep`` starts this process with
``OMP_WAIT_POLICY=PASSIVE`` unless you set it: on a 2-core machine shared with other jobs,
OpenMP threads that spin while waiting collapsed to 123 images/s against 439 passive. Prints one JSON line: images/s, the torch version, the parameter count.

torch is not a dependency of legacy_tf. For this benchmark, install a CPU-only build into the
same environment (the default wheel on PyPI for Linux is a multi-GB CUDA build)::

    .venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu

Run: python -m bench.torch_fit --batch-size 50 --steps 300 --warmup 20 [--autocast bfloat16]
"""

import contextlib
import json
import time

import numpy as np
import torch
from torch import nn

from bench import peer_parser
from legacy_tf.data import generated_data_sets, read_data_sets  # no TensorFlow import inside


def build_model(keep_prob=0.5):
    """The lesson's CNN, initialised as the lesson's ``weight_variable``/``bias_variable``."""
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(7 * 7 * 64, 1024), nn.ReLU(), nn.Dropout(1.0 - keep_prob),
        nn.Linear(1024, 10),
    )
    for layer in model:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.trunc_normal_(layer.weight, std=0.1, a=-0.2, b=0.2)
            nn.init.constant_(layer.bias, 0.1)
    return model


def main(argv=None):
    parser = peer_parser("python -m bench.torch_fit", __doc__)
    parser.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    parser.add_argument("--autocast", choices=["none", "bfloat16"], default="none")
    parser.add_argument("--memory-format", choices=["channels_last", "contiguous"],
                        default="channels_last")
    arguments = parser.parse_args(argv)

    if arguments.threads:
        torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    data = (generated_data_sets(num_train=2000) if arguments.generated
            else read_data_sets(None, one_hot=True, seed=arguments.seed, log=lambda *_: None))
    memory_format = (torch.channels_last if arguments.memory_format == "channels_last"
                     else torch.contiguous_format)
    model = build_model(arguments.keep_prob).to(memory_format=memory_format)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=arguments.learning_rate)
    loss_function = nn.CrossEntropyLoss()

    def step():
        images, labels = data.train.next_batch(arguments.batch_size)
        x = torch.from_numpy(np.ascontiguousarray(images)).view(-1, 1, 28, 28).contiguous(
            memory_format=memory_format)
        y = torch.from_numpy(np.argmax(labels, axis=1))
        mixed = (torch.autocast("cpu", dtype=torch.bfloat16) if arguments.autocast == "bfloat16"
                 else contextlib.nullcontext())
        optimizer.zero_grad(set_to_none=True)
        with mixed:
            loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(arguments.warmup):
        step()
    started = time.perf_counter()
    for _ in range(arguments.steps):
        step()
    seconds = time.perf_counter() - started
    print(json.dumps({
        "images_per_sec": arguments.steps * arguments.batch_size / seconds,
        "torch": torch.__version__,
        "autocast": arguments.autocast,
        "memory_format": arguments.memory_format,
        "threads": torch.get_num_threads(),
        "trainable_parameters": int(sum(p.numel() for p in model.parameters())),
    }), flush=True)


if __name__ == "__main__":
    main()
