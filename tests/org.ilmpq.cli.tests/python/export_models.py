#!/usr/bin/env python3
"""Exports the models ImportCommandTest imports, with Debian's torch and torchvision (random initialisation:
nothing is downloaded), into the folder given:

  resnet18.onnx (opset 13), resnet50.onnx (opset 17), mobilenetv2.onnx (opset 11), vgg16.onnx (opset 9, its
  weights as external data in vgg16.weights beside it), every_op.onnx (opset 13, every operator the importer maps),
  every_op_9.onnx (the same at opset 9), every_op_dynamic.onnx (its input's batch, height and width symbolic);
  resnet18 and every_op with their outputs on seeded inputs (.input.npy, .output.npy); and what the importer
  refuses: mobilenetv3.onnx (opset 14, HardSwish), pool_ceil.onnx (a MaxPool whose ceil_mode changes its size).

BatchNorm stays a node of its own (TrainingMode.PRESERVE on a model in eval mode), as in the hand-written specs;
the default export folds it into the convolutions.
"""
import sys

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class EveryOp(nn.Module):
    """Every operator the importer maps, in one small network of 3 x 32 x 32 inputs."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.grouped = nn.Conv2d(16, 32, 3, padding=2, dilation=2, groups=4)
        self.depthwise = nn.Conv2d(32, 32, 3, padding=1, groups=32, bias=False)
        self.depthwise_bn = nn.BatchNorm2d(32)
        self.branch = nn.Conv2d(16, 32, 1)
        self.pool = nn.MaxPool2d(2, stride=2, ceil_mode=True)  # ceil_mode without effect: mapped
        self.average = nn.AvgPool2d(3, stride=1, padding=1)
        self.mix = nn.Conv2d(64, 32, 1, bias=False)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(32 * 8 * 8, 64)
        self.weight = nn.Parameter(torch.randn(64, 10) * 0.1)
        self.bias = nn.Parameter(torch.randn(10) * 0.1)
        self.gap_head = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        a = F.relu6(self.depthwise_bn(self.depthwise(self.grouped(x))))
        b = self.branch(x)
        x = torch.cat([a + b, b], 1)
        x = self.average(self.pool(x))
        x = F.relu(self.mix(x))
        g = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        x = self.drop(x.view(x.size(0), -1))
        x = F.relu(self.head(x))
        return x @ self.weight + self.bias + self.gap_head(g)


def export(model, path, opset, size=(3, 224, 224), reference=False, dynamic=False):
    """Exports model to path; with reference, also its output on two seeded random inputs, which the generated
    script loaded with the imported weights must compute: path.input.npy and path.output.npy."""
    model.eval()
    torch.onnx.export(model, torch.randn(1, *size), path, opset_version=opset,
                      training=torch.onnx.TrainingMode.PRESERVE, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}} if dynamic else None)
    if reference:
        x = torch.randn((2,) + tuple(size), generator=torch.Generator().manual_seed(1))
        with torch.no_grad():
            y = model(x)
        numpy.save(path + ".input.npy", x.numpy())
        numpy.save(path + ".output.npy", y.numpy())


def main(folder):
    torch.manual_seed(0)
    export(torchvision.models.resnet18(), f"{folder}/resnet18.onnx", 13, reference=True)
    export(torchvision.models.resnet50(), f"{folder}/resnet50.onnx", 17)
    export(torchvision.models.mobilenet_v2(), f"{folder}/mobilenetv2.onnx", 11)
    export(EveryOp(), f"{folder}/every_op.onnx", 13, (3, 32, 32), reference=True)
    export(EveryOp(), f"{folder}/every_op_dynamic.onnx", 13, (3, 32, 32), dynamic=True)
    export(EveryOp(), f"{folder}/every_op_9.onnx", 9, (3, 32, 32))
    export(torchvision.models.mobilenet_v3_small(), f"{folder}/mobilenetv3.onnx", 14)  # HardSwish from opset 14
    export(nn.Sequential(nn.Conv2d(3, 8, 3), nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)),
           f"{folder}/pool_ceil.onnx", 13, (3, 16, 16))
    # VGG-16's 138 million weights as ONNX external data beside the graph
    export(torchvision.models.vgg16(), f"{folder}/vgg16.onnx", 9)
    import onnx
    model = onnx.load(f"{folder}/vgg16.onnx")
    onnx.save_model(model, f"{folder}/vgg16.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                    location="vgg16.weights")


if __name__ == "__main__":
    main(sys.argv[1])
