"""ImageNet (ILSVRC 2012) for fine-tuning a network pretrained by torchvision: ImageFolders in $IMAGENET_DIR/train
and $IMAGENET_DIR/val (one folder per class, the layout torchvision's reference scripts read), with the transforms
and statistics of torchvision's classification reference: random resized crops and flips for training; resize to
256/224 of the crop and centre crop for validation; ImageNet's channel means and deviations. The crop is the spec's
input size (224 for the ResNet examples). Nothing is downloaded.

    python3 resnet18.py train --data ../../examples/data/imagenet.py:datasets --init ... (docs/quantization.md)
"""
import os

# the per-channel mean and standard deviation of ImageNet's training images, as torchvision's pretrained
# weights expect their input (torchvision.models, "weights" transforms)
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def datasets(input_shape):
    import torchvision.transforms as T
    from torchvision.datasets import ImageFolder
    if len(input_shape) != 3 or input_shape[0] != 3 or input_shape[1] != input_shape[2]:
        raise SystemExit("error: ImageNet gives square colour images (3 x N x N); the spec's input is %s"
                         % " x ".join(map(str, input_shape)))
    root = os.environ.get("IMAGENET_DIR", "/data/imagenet")
    for part in ("train", "val"):
        if not os.path.isdir(os.path.join(root, part)):
            raise SystemExit("error: no folder %s: set IMAGENET_DIR to the folder that holds ImageNet's train/ and "
                             "val/" % os.path.join(root, part))
    crop = input_shape[1]
    normalize = T.Normalize(MEAN, STD)
    train = ImageFolder(os.path.join(root, "train"), T.Compose([
        T.RandomResizedCrop(crop), T.RandomHorizontalFlip(), T.ToTensor(), normalize]))
    val = ImageFolder(os.path.join(root, "val"), T.Compose([
        T.Resize(round(crop * 256 / 224)), T.CenterCrop(crop), T.ToTensor(), normalize]))
    if train.class_to_idx != val.class_to_idx:
        raise SystemExit("error: %s/train and %s/val have different classes" % (root, root))
    return train, val
