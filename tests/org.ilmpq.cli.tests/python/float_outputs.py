#!/usr/bin/env python3
"""Runs the float network of a generated script with the weights of ilmpq import (--init) on the inputs the
original PyTorch model was run on, and prints the largest absolute difference from its outputs:

    float_outputs.py QUANT_DIR NETWORK FLOAT_CHECKPOINT INPUT.npy OUTPUT.npy
"""
import importlib.util
import sys

import numpy
import torch


def main(quant, network, checkpoint, inputs, outputs):
    sys.path.insert(0, quant)
    spec = importlib.util.spec_from_file_location(network, "%s/%s.py" % (quant, network))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import ilmpq_train
    network_class = next(value for value in vars(module).values()
                         if isinstance(value, type) and issubclass(value, torch.nn.Module)
                         and value.__module__ == network)
    model = ilmpq_train.build_model(module.SPEC, network_class, "float", "cpu")
    ilmpq_train.load_init(model, module.SPEC, checkpoint)
    model.eval()
    with torch.no_grad():
        computed = model(torch.from_numpy(numpy.load(inputs)))
    print("largest absolute difference %.3g" % (computed - torch.from_numpy(numpy.load(outputs))).abs().max().item())


if __name__ == "__main__":
    main(*sys.argv[1:])
