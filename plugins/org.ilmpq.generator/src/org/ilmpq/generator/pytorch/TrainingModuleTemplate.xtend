package org.ilmpq.generator.pytorch

/**
 * {@code quant/ilmpq_train.py}: data, training loop, calibration, export and the command line the network file
 * runs; the same for every spec.
 */
final class TrainingModuleTemplate {

	private new() {
	}

	def static String render(String header) '''
		«header»
		"""ILMPQ quantization-aware training: data, training loop, calibration, export, and the command line the
		network file runs (python3 NETWORK.py --help).

		Runs on torch 1.13 and 2.x, CPU or CUDA; nothing newer than torch 1.13 is used.
		"""

		import argparse
		import importlib
		import importlib.util
		import io
		import json
		import os
		import random
		import sys

		import torch
		import torch.nn.functional as F

		from ilmpq_quant import assign_rows, quantize_model, quantized_layers, write_atomically, write_export


		# ------------------------------------------------------------------------------------------------ data

		def load_datasets(args, input_shape):
		    """(train, test) data sets from --data FILE.py:FUNCTION or MODULE:FUNCTION (a function of the input shape
		    returning two torch Datasets of (tensor, label)) or from --image-folder DIR (DIR/train, DIR/val)."""
		    if args.image_folder:
		        return _image_folders(args.image_folder, input_shape)
		    if not args.data:
		        raise SystemExit("error: give the data: --data FILE.py:FUNCTION, --data MODULE:FUNCTION or "
		                         "--image-folder DIR")
		    source, _, function = args.data.rpartition(":")
		    if not source or not function:
		        raise SystemExit("error: --data %s: expected FILE.py:FUNCTION or MODULE:FUNCTION" % args.data)
		    if source.endswith(".py"):
		        if not os.path.isfile(source):
		            raise SystemExit("error: --data %s: no file %s" % (args.data, source))
		        loader = importlib.util.spec_from_file_location("ilmpq_user_data", source)
		        module = importlib.util.module_from_spec(loader)
		        loader.loader.exec_module(module)
		    else:
		        # a module of the folder the command runs in, as python -m would find it
		        if os.getcwd() not in sys.path:
		            sys.path.append(os.getcwd())
		        try:
		            module = importlib.import_module(source)
		        except ImportError as error:
		            raise SystemExit("error: --data %s: cannot import %s: %s" % (args.data, source, error))
		    if not hasattr(module, function):
		        raise SystemExit("error: --data %s: %s has no function %s" % (args.data, source, function))
		    return getattr(module, function)(tuple(input_shape))


		def _image_folders(root, input_shape):
		    import torchvision.transforms as T
		    from torchvision.datasets import ImageFolder
		    if len(input_shape) != 3:
		        raise SystemExit("error: --image-folder needs an image input (channels x height x width); the spec's is %s"
		                         % "x".join(map(str, input_shape)))
		    channels, height, width = input_shape
		    steps = [T.Resize((height, width))]
		    if channels == 1:
		        steps.append(T.Grayscale(1))
		    steps += [T.ToTensor(), T.Normalize([0.5] * channels, [0.5] * channels)]
		    transform = T.Compose(steps)
		    test = os.path.join(root, "val") if os.path.isdir(os.path.join(root, "val")) else os.path.join(root, "test")
		    for folder in (os.path.join(root, "train"), test):
		        if not os.path.isdir(folder):
		            raise SystemExit("error: --image-folder %s: no folder %s (expected train/ and val/ or test/)"
		                             % (root, folder))
		    try:
		        train_set, test_set = ImageFolder(os.path.join(root, "train"), transform), ImageFolder(test, transform)
		    except (FileNotFoundError, RuntimeError) as error:
		        raise SystemExit("error: --image-folder %s: %s" % (root, error))
		    if test_set.class_to_idx != train_set.class_to_idx:
		        # ImageFolder numbers the classes of each folder on its own: different sets would mislabel the test images
		        raise SystemExit("error: --image-folder %s: %s has classes %s, %s has %s" % (
		            root, train_set.root, sorted(train_set.class_to_idx), test_set.root, sorted(test_set.class_to_idx)))
		    return train_set, test_set


		def _subset(dataset, size, seed):
		    if not size or size >= len(dataset):
		        return dataset
		    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed))
		    return torch.utils.data.Subset(dataset, order[:size].tolist())


		# ------------------------------------------------------------------------------------------------ training

		def build_model(spec, network_class, quantization, device):
		    """The spec's network: float ('float'), the spec's split ('spec') or one scheme for all rows ('fixed4')."""
		    model = network_class()
		    if quantization != "float":
		        override = None if quantization == "spec" else _parse_scheme(quantization)
		        quantize_model(model, spec, override=override)
		    return model.to(device)


		# the widths each scheme takes, as the spec language allows them (org.ilmpq.core.quant.SchemeKind)
		SCHEME_BITS = {"fixed": (2, 16), "pot": (2, 5), "sp2": (3, 6)}


		def _parse_scheme(text):
		    for kind, (low, high) in SCHEME_BITS.items():
		        bits = text[len(kind):].lstrip(" -:")
		        if text.startswith(kind) and bits.isdigit():
		            if not low <= int(bits) <= high:
		                raise SystemExit("error: --quantization %s: %s takes %d to %d bits" % (text, kind, low, high))
		            return kind, int(bits)
		    raise SystemExit("error: --quantization %s: expected float, spec, or a scheme such as fixed4, pot4, sp2-4"
		                     % text)


		def reassigns(schedule, epoch):
		    """Whether the row assignment is recomputed at the start of epoch (0-based): at epoch 0, then every
		    interval epochs until the schedule freezes it (RMSMP)."""
		    if schedule is None:
		        return epoch == 0
		    interval, until = schedule
		    return epoch % interval == 0 and (until is None or epoch < until)


		def evaluate(model, dataset, batch_size, device):
		    model.eval()
		    correct = 0
		    with torch.no_grad():
		        for x, y in torch.utils.data.DataLoader(dataset, batch_size=batch_size):
		            correct += (model(x.to(device)).argmax(dim=1).cpu() == y).sum().item()
		    return 100.0 * correct / len(dataset)


		def train(spec, network_class, args):
		    torch.manual_seed(args.seed)
		    random.seed(args.seed)
		    device = _device(args.device)
		    model = build_model(spec, network_class, args.quantization, device)
		    if args.init:
		        load_init(model, spec, args.init)
		    train_set, test_set = load_datasets(args, spec["input_shape"])
		    train_set = _subset(train_set, args.train_subset, args.seed)
		    loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
		                                         generator=torch.Generator().manual_seed(args.seed))
		    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
		    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, max(1, args.epochs * len(loader)))
		    quantized = bool(quantized_layers(model))
		    for epoch in range(args.epochs):
		        model.train()
		        total, count = 0.0, 0
		        for step, (x, y) in enumerate(loader):
		            x, y = x.to(device), y.to(device)
		            if quantized and step == 0 and reassigns(spec["reassign"], epoch):
		                # FILM-QNN: the first batch of an epoch is the calibration batch of the row assignment
		                assign_rows(model, x[:32], spec["sensitivity"])
		            optimizer.zero_grad()
		            loss = F.cross_entropy(model(x), y)
		            loss.backward()
		            optimizer.step()
		            schedule.step()
		            total += loss.item() * len(y)
		            count += len(y)
		        print("epoch %d/%d: loss %.4f" % (epoch + 1, args.epochs, total / count), flush=True)
		    accuracy = evaluate(model, test_set, 256, device)
		    print("%s %s: test accuracy %.2f %% on %d samples" % (spec["name"], args.quantization, accuracy,
		                                                          len(test_set)))
		    _save_checkpoint(model, spec, args.quantization, args.checkpoint)
		    if args.result:
		        write_atomically(args.result, json.dumps({"network": spec["name"], "quantization": args.quantization,
		                                                   "epochs": args.epochs, "seed": args.seed,
		                                                   "train_samples": len(train_set), "test_samples": len(test_set),
		                                                   "accuracy": accuracy}, indent=2) + "\n")
		    return accuracy


		def _device(name):
		    if name == "auto":
		        return "cuda" if torch.cuda.is_available() else "cpu"
		    if name.startswith("cuda") and not torch.cuda.is_available():
		        raise SystemExit("error: --device %s: this torch sees no CUDA device" % name)
		    return name


		def _positive(text):
		    value = int(text)
		    if value < 1:
		        raise argparse.ArgumentTypeError("must be at least 1, not %s" % text)
		    return value


		def _save_checkpoint(model, spec, quantization, path):
		    buffer = io.BytesIO()
		    torch.save({"format": "ilmpq-checkpoint", "network": spec["name"], "quantization": quantization,
		                "state_dict": model.state_dict()}, buffer)
		    write_atomically(path, buffer.getvalue())
		    print("wrote %s" % path)


		def load_checkpoint(spec, network_class, path, device):
		    if not os.path.isfile(path):
		        raise SystemExit("error: no checkpoint %s (train writes one)" % path)
		    try:
		        saved = torch.load(path, map_location=device, weights_only=True)
		    except Exception as error:  # torch raises whatever its unpickler meets
		        raise SystemExit("error: %s is not an ILMPQ checkpoint: %s" % (path, error))
		    if not isinstance(saved, dict) or saved.get("format") != "ilmpq-checkpoint":
		        raise SystemExit("error: %s is not an ILMPQ checkpoint" % path)
		    if saved["network"] != spec["name"]:
		        raise SystemExit("error: %s holds network %s, not %s" % (path, saved["network"], spec["name"]))
		    model = build_model(spec, network_class, saved["quantization"], device)
		    try:
		        model.load_state_dict(saved["state_dict"])
		    except RuntimeError as error:
		        raise SystemExit("error: %s does not fit the network of this script (was the spec changed since?): %s"
		                         % (path, error))
		    return model, saved["quantization"]


		def load_init(model, spec, path):
		    """Load the float parameters and BatchNorm statistics of --init FILE, which `ilmpq import --weights` writes: a
		    NumPy .npz of one array per spec layer and parameter (conv1.weight, layer1_0.bn1.running_var, ...). The names
		    map one to one onto the network's: a name missing on either side, or a shape that differs, is an error."""
		    import numpy
		    try:
		        arrays = numpy.load(path)
		        names = set(arrays.files)
		    except Exception as error:  # numpy raises what its zip and format readers meet
		        raise SystemExit("error: %s is not a float checkpoint of ilmpq import: %s" % (path, error))
		    state = model.state_dict()
		    wanted = {}
		    for layer, module in spec["modules"].items():
		        for parameter in ("weight", "bias", "running_mean", "running_var"):
		            if module + "." + parameter in state:
		                wanted[layer + "." + parameter] = module + "." + parameter
		    missing = sorted(set(wanted) - names)
		    unknown = sorted(names - set(wanted))
		    if missing or unknown:
		        raise SystemExit("error: %s does not fit network %s: %s" % (path, spec["name"], "; ".join(
		            part for part in ("missing " + ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
		                              if missing else "", "not in the network " + ", ".join(unknown[:5])
		                              + (" ..." if len(unknown) > 5 else "") if unknown else "") if part)))
		    with torch.no_grad():
		        for name, key in sorted(wanted.items()):
		            value = torch.from_numpy(arrays[name])
		            if tuple(value.shape) != tuple(state[key].shape):
		                raise SystemExit("error: %s: %s has shape %s where network %s has %s"
		                                 % (path, name, tuple(value.shape), spec["name"], tuple(state[key].shape)))
		            state[key].copy_(value)
		    print("loaded %d arrays of %s" % (len(wanted), path))


		def calibrate(spec, network_class, args):
		    """Set every activation scale to the largest value its stored tensors reach on --batches training batches,
		    BatchNorm in inference mode. A float checkpoint (train --quantization float, or --init FILE of ilmpq import)
		    is first quantized with the spec's split and its rows assigned on the first batch: post-training
		    quantization. --assign-rows reassigns the rows of a quantized checkpoint too."""
		    device = _device(args.device)
		    if args.init:
		        model, quantization = build_model(spec, network_class, "float", device), "float"
		        load_init(model, spec, args.init)
		    else:
		        model, quantization = load_checkpoint(spec, network_class, args.checkpoint, device)
		    assign = args.assign_rows
		    if quantization == "float":
		        trained = model.state_dict()
		        model, quantization, assign = build_model(spec, network_class, "spec", device), "spec", True
		        # the float model's parameters and BatchNorm statistics; the quantization buffers are set below
		        model.load_state_dict(trained, strict=False)
		    train_set, _ = load_datasets(args, spec["input_shape"])
		    loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
		                                         generator=torch.Generator().manual_seed(args.seed))
		    model.eval()
		    with torch.no_grad():
		        for batch, (x, _) in enumerate(loader):
		            if batch == args.batches:
		                break
		            x = x.to(device)
		            if batch == 0:
		                if assign:
		                    assign_rows(model, x[:32], spec["sensitivity"])
		                model.activations.calibrating(True)
		            model(x)
		    model.activations.calibrating(False)
		    _save_checkpoint(model, spec, quantization, args.checkpoint)


		def export(spec, network_class, args):
		    device = "cpu"
		    model, quantization = load_checkpoint(spec, network_class, args.checkpoint, device)
		    if quantization == "float":
		        raise SystemExit("error: %s holds a float model; export needs a quantized one" % args.checkpoint)
		    model.eval()
		    test_set = None
		    if args.data or args.image_folder:
		        _, test_set = load_datasets(args, spec["input_shape"])
		        sample = test_set[0][0].unsqueeze(0)
		    else:
		        sample = torch.randn((1,) + tuple(spec["input_shape"]), generator=torch.Generator().manual_seed(args.seed))
		    try:
		        network, codes = write_export(model, spec, sample, args.output)
		    except ValueError as error:
		        raise SystemExit("error: cannot export %s: %s" % (spec["name"], error))
		    for warning in network.warnings:
		        print("warning: %s" % warning)
		    with torch.no_grad():
		        fake = model(sample).double()
		    output = codes[spec["output"]].reshape(fake.shape)
		    differing = int((torch.round(fake / network.steps[spec["output"]]).long() != output).sum())
		    print("wrote %s/weights.txt, golden.txt and rows.txt; integer pipeline vs fake-quantized model on the sample: "
		          "%d of %d output codes differ" % (args.output, differing, output.numel()))
		    if test_set is not None:
		        fake_accuracy = evaluate(model, test_set, 256, device)
		        integer_accuracy = evaluate_integer(network, test_set, 256)
		        print("test accuracy on %d samples: fake-quantized %.2f %%, integer pipeline %.2f %%, difference %+.2f "
		              "points" % (len(test_set), fake_accuracy, integer_accuracy, integer_accuracy - fake_accuracy))
		        if args.result:
		            write_atomically(args.result, json.dumps({"network": spec["name"], "test_samples": len(test_set),
		                                                       "fake_quantized_accuracy": fake_accuracy,
		                                                       "integer_accuracy": integer_accuracy}, indent=2) + "\n")


		def evaluate_integer(network, dataset, batch_size):
		    """Test accuracy of the integer pipeline: the class of the largest output code (the first of equal ones)."""
		    correct = 0
		    for x, y in torch.utils.data.DataLoader(dataset, batch_size=batch_size):
		        codes = network.run(network.input_codes(x))
		        correct += (codes[network.spec["output"]].flatten(1).argmax(dim=1) == y).sum().item()
		    return 100.0 * correct / len(dataset)


		# ------------------------------------------------------------------------------------------------ command line

		def main(spec, network_class, argv=None):
		    parser = argparse.ArgumentParser(prog=spec["script"], description="ILMPQ quantization-aware training of "
		                                     "network %s (%s)." % (spec["name"], spec["producer"]))
		    commands = parser.add_subparsers(dest="command", required=True)

		    def data_options(command):
		        command.add_argument("--data", metavar="SOURCE:FUNCTION",
		                             help="FILE.py:FUNCTION or MODULE:FUNCTION returning (train, test) datasets; "
		                                  "called with the input shape")
		        command.add_argument("--image-folder", metavar="DIR", help="torchvision ImageFolder data in DIR/train, "
		                                                                     "DIR/val")
		        command.add_argument("--seed", type=int, default=0)
		        command.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default)")

		    default_checkpoint = spec["name"] + ".pt"
		    command = commands.add_parser("train", help="quantization-aware training, from scratch or from --init")
		    data_options(command)
		    command.add_argument("--quantization", default="spec",
		                         help="spec (default: the spec's split), float, or one scheme for all rows: fixed4, pot4, sp2-4")
		    command.add_argument("--epochs", type=_positive, default=10)
		    command.add_argument("--batch-size", type=_positive, default=64)
		    command.add_argument("--lr", type=float, default=1e-3)
		    command.add_argument("--train-subset", type=int, default=0, help="train on this many samples (0: all)")
		    command.add_argument("--init", metavar="FLOAT_CHECKPOINT",
		                         help="start from these float weights (ilmpq import --weights): fine-tuning")
		    command.add_argument("--checkpoint", default=default_checkpoint)
		    command.add_argument("--result", metavar="JSON", help="write the test accuracy here")
		    command = commands.add_parser("calibrate", help="activation scales and row assignment from data")
		    data_options(command)
		    command.add_argument("--batches", type=_positive, default=8)
		    command.add_argument("--assign-rows", action="store_true", help="recompute the row assignment too")
		    command.add_argument("--batch-size", type=_positive, default=64)
		    command.add_argument("--init", metavar="FLOAT_CHECKPOINT",
		                         help="quantize these float weights (ilmpq import --weights) instead of --checkpoint's")
		    command.add_argument("--checkpoint", default=default_checkpoint)
		    command = commands.add_parser("export", help="the accelerator's integers and the golden codes of one sample "
		                                                   "(docs/export-format.md); with data, the integer pipeline's "
		                                                   "test accuracy")
		    data_options(command)
		    command.add_argument("--checkpoint", default=default_checkpoint)
		    command.add_argument("-o", "--output", default="export")
		    command.add_argument("--result", metavar="JSON", help="write the test accuracies here")
		    args = parser.parse_args(argv)
		    if args.command == "train":
		        train(spec, network_class, args)
		    elif args.command == "calibrate":
		        calibrate(spec, network_class, args)
		    else:
		        export(spec, network_class, args)
		    return 0
	'''
}
