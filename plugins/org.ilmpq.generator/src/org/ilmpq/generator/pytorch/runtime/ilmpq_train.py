"""ILMPQ quantization-aware training: data, training loop, calibration, export, and the command line the
network file runs (python3 NETWORK.py --help).

Training runs in one process, or in several under torch.distributed: started by torchrun (one node or many), by any
launcher that sets what torchrun sets, or by train --nproc N on one node (docs/distributed-training.md).

Runs on torch 1.13 and 2.x, CPU or CUDA; nothing newer than torch 1.13 is used.
"""

import argparse
import importlib
import importlib.util
import io
import itertools
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

import ilmpq_distributed
from ilmpq_distributed import World
from ilmpq_progress import Progress
from ilmpq_quant import (RowQuantized, assign_rows, quantize_model, quantized_layers, write_atomically,
                         write_export)


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


def evaluate(model, dataset, batch_size, device, world=None):
    """Test accuracy in percent. In a distributed run each rank evaluates every world.size-th sample and the counts
    are summed, so that every rank gets the accuracy of the whole set."""
    world = world or World()
    shard = dataset if not world.distributed else torch.utils.data.Subset(
        dataset, range(world.rank, len(dataset), world.size))
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in torch.utils.data.DataLoader(shard, batch_size=batch_size):
            correct += (model(x.to(device)).argmax(dim=1).cpu() == y).sum().item()
    correct = ilmpq_distributed.summed(world, torch.tensor([float(correct)], dtype=torch.float64))
    return 100.0 * float(correct[0]) / len(dataset)


# What defines a training run: the options that a resumed run takes from its checkpoint and may not change, with
# their defaults (train's --help explains them).
RUN_OPTIONS = {"quantization": "spec", "epochs": 10, "batch_size": 64, "lr": 1e-3, "optimizer": "adam",
               "momentum": 0.9, "weight_decay": 0.0, "schedule": "cosine", "warmup": 0, "train_subset": 0, "seed": 0}


def _settle_options(args, saved):
    """Fill in the run options the command line left out: from the checkpoint when resuming, else the defaults. An
    option given explicitly that differs from the checkpoint's is an error: the run would not be the one resumed."""
    if saved is None:
        for name, default in RUN_OPTIONS.items():
            if getattr(args, name) is None:
                setattr(args, name, default)
        return
    conflicts = []
    for name in RUN_OPTIONS:
        given, recorded = getattr(args, name), saved["training"]["options"][name]
        if given is not None and given != recorded:
            conflicts.append("--%s %s (the run has %s)" % (name.replace("_", "-"), given, recorded))
        setattr(args, name, recorded)
    if conflicts:
        raise SystemExit("error: --resume %s: %s; leave them out to continue the run, or start a new run"
                         % (args.resume, "; ".join(conflicts)))


def train(spec, network_class, args):
    """train: one process, the processes of a launcher (WORLD_SIZE > 1), or --nproc N processes started here."""
    if args.nproc > 1:
        if World.from_environment().distributed:
            raise SystemExit("error: --nproc %d: this process is already rank %s of %s started by a launcher; "
                             "give one or the other" % (args.nproc, os.environ["RANK"], os.environ["WORLD_SIZE"]))
        # the checks each process makes, made once here first, so that a mistake is reported once
        _prepare(spec, args, World(0, args.nproc, 0))
        ilmpq_distributed.launch(args.nproc, train_process, (spec, network_class, args))
        return None
    return train_process(spec, network_class, args)


def train_process(spec, network_class, args):
    """Quantization-aware training in this process: all of it, or its rank's share of a distributed run."""
    world = World.from_environment()
    try:
        return _train(spec, network_class, args, world)
    except SystemExit as error:
        if world.distributed and isinstance(error.code, str):
            # every rank may stop for the same reason: say which one speaks
            raise SystemExit("rank %d: %s" % (world.rank, error.code))
        raise
    finally:
        ilmpq_distributed.leave(world)


def _prepare(spec, args, world):
    """This process's device, the checkpoint to resume (or None) and the learning-rate schedule, with the run's
    options settled and checked."""
    device = _device(args.device, world)
    saved = _load_resumable(spec, args.resume, device) if args.resume else None
    _settle_options(args, saved)
    _check_training_options(args, world, device)
    return device, saved, parse_schedule(args.schedule)


def _train(spec, network_class, args, world):
    device, saved, schedule = _prepare(spec, args, world)
    ilmpq_distributed.join(world, device)
    if saved is not None and world.leader and saved["processes"] != world.size:
        print("warning: the run was started with %d processes and resumes with %d: the same global batches, but "
              "BatchNorm sees each rank's share, so it does not end as an uninterrupted run would"
              % (saved["processes"], world.size))

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    model = build_model(spec, network_class, args.quantization, device)
    if args.init:
        load_init(model, spec, args.init, quiet=not world.leader)
    train_set, test_set = ilmpq_distributed.leader_first(world, lambda: load_datasets(args, spec["input_shape"]))
    train_set = _subset(train_set, args.train_subset, args.seed)
    # the processes share each global batch of --batch-size samples; DistributedSampler gives rank r every
    # world.size-th sample of the epoch's permutation, so that the global batches are those of one process
    sampler = torch.utils.data.distributed.DistributedSampler(train_set, num_replicas=world.size, rank=world.rank,
                                                              shuffle=True, seed=args.seed)
    # the loader draws its workers' seeds from this generator; it is saved with the checkpoint
    loader_random = torch.Generator().manual_seed(args.seed)
    loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size // world.size, sampler=sampler,
                                         num_workers=args.workers, pin_memory=device.type == "cuda",
                                         generator=loader_random)
    if len(loader) == 0:
        raise SystemExit("error: the training data set is empty")
    if args.sync_batchnorm:
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    optimizer = _optimizer(model, args)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, learning_rate_factor(
        schedule, args.warmup, args.epochs, len(loader)))
    scaler = torch.cuda.amp.GradScaler(enabled=args.amp)
    first_epoch = 0
    if saved is not None:
        model.load_state_dict(saved["state_dict"])
        optimizer.load_state_dict(saved["training"]["optimizer"])
        scheduler.load_state_dict(saved["training"]["scheduler"])
        scaler.load_state_dict(saved["training"]["scaler"])
        _restore_random_state(saved["training"]["random"], loader_random, device)
        first_epoch = saved["training"]["epoch"]
        if world.leader:
            print("resuming %s after epoch %d of %d" % (args.resume, first_epoch, args.epochs), flush=True)
    replica = model
    if world.distributed:
        # no broadcast_buffers: the activation scales agree by construction (ilmpq_quant takes the peak over the
        # ranks), the row assignment is broadcast when it changes, BatchNorm statistics are averaged each epoch
        replica = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None, broadcast_buffers=False)

    quantized = bool(quantized_layers(model))
    progress = Progress(args.epochs, len(loader), first_epoch, args.log_every, shown=world.leader)
    started, images = time.monotonic(), 0
    for epoch in range(first_epoch, args.epochs):
        sampler.set_epoch(epoch)
        if quantized and reassigns(spec["reassign"], epoch):
            _assign_rows(model, spec, train_set, args.seed, epoch, world, device)
        progress.start_epoch(epoch)
        figures = _train_epoch(replica, loader, (optimizer, scheduler, scaler), args.amp, progress, world, device)
        images += int(figures[2])
        progress.end_epoch(figures)
        ilmpq_distributed.average_batchnorm_statistics(world, model)
        ilmpq_distributed.check_replicas(world, model)
        if world.leader:
            _save_checkpoint(model, spec, args.quantization, args.checkpoint, quiet=True, training={
                "epoch": epoch + 1, "options": {name: getattr(args, name) for name in RUN_OPTIONS},
                "processes": world.size, "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "scaler": scaler.state_dict(), "random": _random_state(loader_random, device)})
        if args.stop_after and epoch + 1 == args.stop_after and epoch + 1 < args.epochs:
            if world.leader:
                print("stopped after epoch %d of %d as asked; continue with --resume %s"
                      % (epoch + 1, args.epochs, args.checkpoint))
            return None
    seconds = time.monotonic() - started

    accuracy = evaluate(model, test_set, 256, device, world)
    if not world.leader:
        return accuracy
    if world.distributed:
        print("replicas: %d processes hold identical parameters and buffers (%d tensors)"
              % (world.size, len(model.state_dict())))
    print("%s %s: test accuracy %.2f %% on %d samples" % (spec["name"], args.quantization, accuracy, len(test_set)))
    print("wrote %s" % args.checkpoint)
    if args.result:
        write_atomically(args.result, json.dumps({
            "network": spec["name"], "quantization": args.quantization, "epochs": args.epochs, "seed": args.seed,
            "processes": world.size, "batch_size": args.batch_size, "train_samples": len(train_set),
            "test_samples": len(test_set), "accuracy": accuracy,
            "images_per_second": images / seconds if images else None}, indent=2) + "\n")
    return accuracy


def _train_epoch(replica, loader, steppers, amp, progress, world, device):
    """One epoch of this rank's batches; returns the epoch's loss sum, correct predictions and images over all
    ranks."""
    optimizer, scheduler, scaler = steppers
    replica.train()
    # loss sum, correct predictions, images: this rank's, kept on the device (no synchronisation per batch) and
    # summed over the ranks when progress is shown
    totals = torch.zeros(3, dtype=torch.float64, device=device)
    figures = None
    for batch, (x, y) in enumerate(loader, 1):
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        optimizer.zero_grad()
        with torch.autocast(device.type, enabled=amp):
            output = replica(x)
            loss = F.cross_entropy(output, y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        totals += torch.stack([loss.detach().double() * len(y), (output.argmax(dim=1) == y).sum().double(),
                               torch.tensor(float(len(y)), dtype=torch.float64, device=device)])
        figures = ilmpq_distributed.summed(world, totals) if progress.due(batch) else None
        progress.batch_done(batch, figures)
    return figures


def _device(name, world=None):
    world = world or World()
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise SystemExit("error: --device %s: this torch sees no CUDA device" % name)
    device = torch.device(name)
    if device.type == "cuda" and device.index is None:
        # each process of a node its own GPU, as torchrun numbers them
        if world.local_rank >= torch.cuda.device_count():
            raise SystemExit("error: LOCAL_RANK %d, but this node has %d CUDA devices"
                             % (world.local_rank, torch.cuda.device_count()))
        device = torch.device("cuda", world.local_rank if world.distributed else torch.cuda.current_device())
    return device


def _check_training_options(args, world, device):
    if args.batch_size % world.size:
        raise SystemExit("error: --batch-size %d is the global batch, shared by %d processes: give a multiple of %d"
                         % (args.batch_size, world.size, world.size))
    if args.amp and device.type != "cuda":
        raise SystemExit("error: --amp: automatic mixed precision needs a CUDA device, not %s" % device)
    if args.sync_batchnorm and device.type != "cuda":
        # torch's SyncBatchNorm takes CUDA tensors only
        raise SystemExit("error: --sync-batchnorm needs CUDA devices; on CPU each rank's BatchNorm sees its share "
                         "of the batch")
    if args.warmup >= args.epochs:
        raise SystemExit("error: --warmup %d: the run has %d epochs; the warm-up must end before the run does"
                         % (args.warmup, args.epochs))
    if args.stop_after and args.stop_after >= args.epochs:
        raise SystemExit("error: --stop-after %d: the run has %d epochs" % (args.stop_after, args.epochs))
    if args.resume and args.init:
        raise SystemExit("error: --init and --resume: a resumed run continues from its checkpoint's weights")


def _assign_rows(model, spec, train_set, seed, epoch, world, device):
    """Recompute the row assignment from the calibration batch, the first 32 samples of the epoch in the order one
    process sees them (FILM-QNN: the first batch of the epoch), on rank 0; then broadcast it, so that every replica
    computes with the same rows whatever the number of processes."""
    if world.leader:
        order = torch.utils.data.distributed.DistributedSampler(train_set, num_replicas=1, rank=0, shuffle=True,
                                                                seed=seed)
        order.set_epoch(epoch)
        samples = [train_set[index] for index in itertools.islice(iter(order), 32)]
        batch = torch.utils.data.default_collate(samples)[0].to(device)
        assign_rows(model, batch, spec["sensitivity"])
    ilmpq_distributed.broadcast_from_leader(world, [getattr(layer, name) for _, layer in quantized_layers(model)
                                                    for name in ("row_scheme",) + RowQuantized.FIGURES])


def _optimizer(model, args):
    if args.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    return torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)


def parse_schedule(text):
    """--schedule: cosine, constant, or step:EPOCH,EPOCH...[:FACTOR] (the rate times FACTOR, 0.1 unless given, at
    each of those epochs)."""
    if text in ("cosine", "constant"):
        return text, (), None
    kind, _, rest = text.partition(":")
    epochs, _, factor = rest.partition(":")
    try:
        milestones = tuple(int(e) for e in epochs.split(","))
        factor = float(factor) if factor else 0.1
        if kind == "step" and all(m > 0 for m in milestones) and list(milestones) == sorted(set(milestones)):
            return kind, milestones, factor
    except ValueError:
        pass
    raise SystemExit("error: --schedule %s: expected cosine, constant or step:EPOCH,EPOCH...[:FACTOR] with "
                     "increasing epochs, such as step:30,60,80:0.1" % text)


def learning_rate_factor(schedule, warmup_epochs, epochs, batches_per_epoch):
    """The learning rate's factor at each batch of the run: a linear warm-up over --warmup epochs, then the
    schedule (cosine: half a cosine from 1 to 0 over the rest of the run)."""
    kind, milestones, factor = schedule
    warmup, total = warmup_epochs * batches_per_epoch, max(1, epochs * batches_per_epoch)

    def at(batch):
        if batch < warmup:
            return (batch + 1) / warmup
        if kind == "cosine":
            return 0.5 * (1 + math.cos(math.pi * (batch - warmup) / max(1, total - warmup)))
        if kind == "step":
            return factor ** sum(batch >= m * batches_per_epoch for m in milestones)
        return 1.0
    return at


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, not %s" % text)
    return value


def _whole(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be at least 0, not %s" % text)
    return value


def _save_checkpoint(model, spec, quantization, path, quiet=False, training=None):
    """model's state (and, while training, what --resume needs: epoch, options, optimizer, schedule and random
    state), written atomically: a run stopped while writing keeps the previous checkpoint."""
    saved = {"format": "ilmpq-checkpoint", "network": spec["name"], "quantization": quantization,
             "state_dict": model.state_dict()}
    if training is not None:
        saved["training"] = _without_floats(training)
    buffer = io.BytesIO()
    torch.save(saved, buffer)
    write_atomically(path, buffer.getvalue())
    if not quiet:
        print("wrote %s" % path)


def _read_checkpoint(spec, path, device):
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
    return saved


# torch 1.13's weights_only loader, which reads checkpoints without running their code, knows no Python float: the
# training state keeps each one as {FLOAT: repr(value)}, which float() reads back exactly
FLOAT = "ilmpq-float"


def _without_floats(value):
    if isinstance(value, float):
        return {FLOAT: repr(value)}
    if isinstance(value, dict):
        return {key: _without_floats(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_floats(item) for item in value)
    return value


def _with_floats(value):
    if isinstance(value, dict):
        if set(value) == {FLOAT}:
            return float(value[FLOAT])
        return {key: _with_floats(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_with_floats(item) for item in value)
    return value


def _load_resumable(spec, path, device):
    saved = _read_checkpoint(spec, path, device)
    if saved.get("training") is None:
        raise SystemExit("error: --resume %s: the checkpoint has no training state (calibrate writes such "
                         "checkpoints; train writes resumable ones)" % path)
    training = saved["training"] = _with_floats(saved["training"])
    if training["epoch"] >= training["options"]["epochs"]:
        raise SystemExit("error: --resume %s: the run finished its %d epochs" % (path, training["epoch"]))
    saved["processes"] = training["processes"]
    return saved


def _random_state(loader_random, device):
    """What the rest of the run draws from: torch's generators (initialisation, dropout, augmentation), the data
    loader's (its workers' seeds), Python's and NumPy's (a data set's own augmentation)."""
    state = {"torch": torch.get_rng_state(), "loader": loader_random.get_state(), "python": random.getstate()}
    if device.type == "cuda":
        state["cuda"] = torch.cuda.get_rng_state(device)
    try:
        import numpy
        kind, keys, position, has_gauss, gauss = numpy.random.get_state()
        state["numpy"] = {"keys": torch.from_numpy(keys.astype("int64")), "position": int(position),
                          "has_gauss": int(has_gauss), "gauss": float(gauss)}
    except ImportError:
        pass
    return state


def _restore_random_state(state, loader_random, device):
    torch.set_rng_state(state["torch"].cpu())
    loader_random.set_state(state["loader"].cpu())
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if "cuda" in state and device.type == "cuda":
        torch.cuda.set_rng_state(state["cuda"].cpu(), device)
    if "numpy" in state:
        import numpy
        saved = state["numpy"]
        numpy.random.set_state(("MT19937", saved["keys"].numpy().astype("uint32"), saved["position"],
                                saved["has_gauss"], saved["gauss"]))


def load_checkpoint(spec, network_class, path, device):
    saved = _read_checkpoint(spec, path, device)
    model = build_model(spec, network_class, saved["quantization"], device)
    try:
        model.load_state_dict(saved["state_dict"])
    except RuntimeError as error:
        raise SystemExit("error: %s does not fit the network of this script (was the spec changed since?): %s"
                         % (path, error))
    return model, saved["quantization"]


def load_init(model, spec, path, quiet=False):
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
    if not quiet:
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

    def data_options(command, seed=0):
        command.add_argument("--data", metavar="SOURCE:FUNCTION",
                             help="FILE.py:FUNCTION or MODULE:FUNCTION returning (train, test) datasets; "
                                  "called with the input shape")
        command.add_argument("--image-folder", metavar="DIR", help="torchvision ImageFolder data in DIR/train, "
                                                                     "DIR/val")
        command.add_argument("--seed", type=int, default=seed, help="(default: 0)")
        command.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default: the GPU of the "
                                                                "process's LOCAL_RANK where CUDA is available)")

    default_checkpoint = spec["name"] + ".pt"
    command = commands.add_parser("train", help="quantization-aware training, from scratch, from --init or "
                                                "--resume; in one process or several (torchrun, --nproc)")
    # the options that define the run (RUN_OPTIONS) default to None here: a resumed run takes them from its
    # checkpoint, a new one from RUN_OPTIONS
    data_options(command, seed=None)
    run = command.add_argument_group("the run (a resumed run keeps its own)")
    run.add_argument("--quantization", help="spec (default: the spec's split), float, or one scheme for all rows: "
                                            "fixed4, pot4, sp2-4")
    run.add_argument("--epochs", type=_positive, help="(default: 10)")
    run.add_argument("--batch-size", type=_positive,
                     help="the global batch, shared by the processes of a distributed run (default: 64)")
    run.add_argument("--lr", type=float, help="the peak learning rate (default: 1e-3)")
    run.add_argument("--optimizer", choices=("adam", "sgd"), help="(default: adam)")
    run.add_argument("--momentum", type=float, help="SGD's momentum (default: 0.9)")
    run.add_argument("--weight-decay", type=float, help="L2 penalty on every parameter (default: 0)")
    run.add_argument("--schedule", help="the learning rate over the run: cosine (default: to 0 at the end), "
                                        "constant, or step:EPOCH,EPOCH...[:FACTOR] (times FACTOR, 0.1 unless given, "
                                        "at each epoch named)")
    run.add_argument("--warmup", type=_whole, metavar="EPOCHS", help="linear warm-up over this many epochs first "
                                                                 "(default: 0)")
    run.add_argument("--train-subset", type=_whole, help="train on this many samples (default: 0, all)")
    command.add_argument("--init", metavar="FLOAT_CHECKPOINT",
                         help="start from these float weights (ilmpq import --weights): fine-tuning")
    command.add_argument("--resume", metavar="CHECKPOINT",
                         help="continue the run that wrote this checkpoint (train writes one after every epoch)")
    command.add_argument("--stop-after", type=_positive, metavar="EPOCH",
                         help="stop after this epoch, to continue later with --resume (a cluster's time limit)")
    command.add_argument("--checkpoint", help="written after every epoch (default: the --resume checkpoint, else "
                                              "%s)" % default_checkpoint)
    command.add_argument("--result", metavar="JSON", help="write the test accuracy here")
    processes = command.add_argument_group("processes and speed")
    processes.add_argument("--nproc", type=_positive, default=1,
                           help="start this many processes on this machine (torch.distributed, one per GPU on "
                                "CUDA); under torchrun leave it out (default: 1)")
    processes.add_argument("--workers", type=_whole, default=0, help="data-loading processes per training process "
                                                                   "(default: 0, load in the training process)")
    processes.add_argument("--sync-batchnorm", action="store_true",
                           help="BatchNorm statistics over the whole global batch (CUDA)")
    processes.add_argument("--amp", action="store_true", help="automatic mixed precision (CUDA)")
    processes.add_argument("--log-every", type=_positive, default=50, metavar="BATCHES",
                           help="a progress line every this many batches and after each epoch (default: 50)")
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
    if args.command == "train" and args.checkpoint is None:
        args.checkpoint = args.resume or default_checkpoint
    if args.command == "train":
        train(spec, network_class, args)
    elif args.command == "calibrate":
        calibrate(spec, network_class, args)
    else:
        export(spec, network_class, args)
    return 0
