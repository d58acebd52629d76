import sys

from legacy_tf.cli import main

sys.exit(main())
