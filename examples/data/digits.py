"""scikit-learn's digits (UCI optical recognition of handwritten digits: 1,797 images of 8 x 8 pixels, values
0-16, 10 classes) from Debian's python3-sklearn, which ships the data: nothing is downloaded. The last 360
images are the test set, as in scikit-learn's own examples."""
import torch

# mean and standard deviation of the pixels scaled to [0, 1]
MEAN, STD = 0.3053, 0.3760


def datasets(input_shape):
    from sklearn.datasets import load_digits
    if tuple(input_shape) != (1, 8, 8):
        raise SystemExit("error: digits are 1 x 8 x 8 images, the spec's input is %s"
                         % " x ".join(map(str, input_shape)))
    digits = load_digits()
    x = (torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0 - MEAN) / STD
    y = torch.tensor(digits.target, dtype=torch.long)
    split = len(y) - 360
    return (torch.utils.data.TensorDataset(x[:split], y[:split]),
            torch.utils.data.TensorDataset(x[split:], y[split:]))
