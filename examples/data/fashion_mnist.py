"""Fashion-MNIST (Xiao et al. 2017) from Debian's dataset-fashion-mnist package: 60,000 training and 10,000
test images, 28 x 28 grey-scale, 10 classes, in the original idx files."""
import gzip
import os

import numpy as np
import torch

FOLDER = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
# mean and standard deviation of the training images' pixels in [0, 1]
MEAN, STD = 0.2860, 0.3530


def _read(name, offset):
    path = os.path.join(FOLDER, name)
    if not os.path.isfile(path):
        raise SystemExit("error: no %s: install Debian's dataset-fashion-mnist or set FASHION_MNIST_DIR" % path)
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def _split(prefix):
    images = _read(prefix + "-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = _read(prefix + "-labels-idx1-ubyte.gz", 8)
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    return torch.utils.data.TensorDataset(x, torch.from_numpy(labels.astype(np.int64)))


def datasets(input_shape):
    if tuple(input_shape) != (1, 28, 28):
        raise SystemExit("error: Fashion-MNIST images are 1 x 28 x 28, the spec's input is %s"
                         % " x ".join(map(str, input_shape)))
    return _split("train"), _split("t10k")
