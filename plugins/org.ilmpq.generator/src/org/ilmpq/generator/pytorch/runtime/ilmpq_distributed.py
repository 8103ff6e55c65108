"""The processes of a distributed training run (torch.distributed): which process this is, the process group, the
one-node launcher of `train --nproc N`, and what keeps the replicas identical.

A run is distributed when its launcher sets WORLD_SIZE above 1, with RANK, LOCAL_RANK, MASTER_ADDR and
MASTER_PORT, one process per rank: torchrun does, and so does the sbatch script of docs/distributed-training.md.
Without them it is one process, as before.
"""

import hashlib
import os
import socket

import torch
import torch.distributed as dist


class World:
    """This process's place in the run: its rank among `size` processes and its rank on its node (which GPU)."""

    def __init__(self, rank=0, size=1, local_rank=0):
        self.rank = rank
        self.size = size
        self.local_rank = local_rank

    @property
    def distributed(self):
        return self.size > 1

    @property
    def leader(self):
        """Rank 0, which alone logs and writes checkpoints and results."""
        return self.rank == 0

    @staticmethod
    def from_environment(environ=None):
        """The run the launcher describes: WORLD_SIZE processes, this one RANK, LOCAL_RANK on its node; one
        process where WORLD_SIZE is unset or 1."""
        environ = os.environ if environ is None else environ
        size = _whole(environ, "WORLD_SIZE", 1)
        if size == 1:
            return World()
        missing = [name for name in ("RANK", "MASTER_ADDR", "MASTER_PORT") if not environ.get(name)]
        if missing:
            named = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
            raise SystemExit("error: WORLD_SIZE is %d but %s %s not set: start each process with RANK, WORLD_SIZE, "
                             "LOCAL_RANK, MASTER_ADDR and MASTER_PORT, as torchrun does, or use train --nproc N"
                             % (size, named, "is" if len(missing) == 1 else "are"))
        rank = _whole(environ, "RANK", None)
        if rank >= size:
            raise SystemExit("error: RANK is %d, but WORLD_SIZE %d allows ranks 0 to %d" % (rank, size, size - 1))
        return World(rank, size, _whole(environ, "LOCAL_RANK", 0))


def _whole(environ, name, default):
    text = environ.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or (name == "WORLD_SIZE" and int(text) < 1):
        raise SystemExit("error: %s is %r; expected a whole number%s" % (name, text,
                                                                     " from 1" if name == "WORLD_SIZE" else ""))
    return int(text)


def join(world, device):
    """Join the process group of a distributed run (env://): NCCL where the process computes on CUDA, gloo on CPU."""
    if not world.distributed:
        return
    backend = "nccl" if device.type == "cuda" else "gloo"
    if device.type == "cuda":
        torch.cuda.set_device(device)
    try:
        dist.init_process_group(backend, init_method="env://", rank=world.rank, world_size=world.size)
    except (RuntimeError, ValueError) as error:
        raise SystemExit("error: rank %d cannot join the %d processes at %s:%s (%s): %s" % (
            world.rank, world.size, os.environ.get("MASTER_ADDR"), os.environ.get("MASTER_PORT"), backend, error))


def leave(world):
    if world.distributed and dist.is_initialized():
        dist.destroy_process_group()


def leader_first(world, load):
    """load() on rank 0, then on the other ranks: a data function that downloads its files does so once. When rank 0
    fails, it reports why and the others stop without a second message."""
    if not world.distributed:
        return load()
    failure, result = None, None
    if world.leader:
        try:
            result = load()
        except SystemExit as error:
            failure = error
    flag = torch.tensor([0 if failure is None else 1], device=_device_of(world))
    dist.broadcast(flag, src=0)
    if failure is not None:
        raise failure
    if flag.item():
        raise SystemExit(1)
    return result if world.leader else load()


def _device_of(world):
    """Where the tensors of a collective live: the process's GPU under NCCL, the CPU under gloo."""
    return torch.device("cuda", torch.cuda.current_device()) if dist.get_backend() == "nccl" else torch.device("cpu")


def broadcast_from_leader(world, tensors):
    """Overwrite the tensors of every rank with rank 0's (in place): what rank 0 alone computed, such as the row
    assignment of an epoch."""
    if world.distributed:
        for tensor in tensors:
            dist.broadcast(tensor, src=0)


def summed(world, values):
    """Per-rank figures (a float64 tensor, on any device) summed over the ranks, as a new tensor on the collective's
    device; every rank gets the same sums."""
    if world.distributed:
        values = values.to(_device_of(world), copy=True)
        dist.all_reduce(values, op=dist.ReduceOp.SUM)
    return values


def average_batchnorm_statistics(world, model):
    """Set every BatchNorm's running mean and variance to their mean over the ranks. Each rank updates them from its
    own share of the batch (unless --sync-batchnorm), and DistributedDataParallel keeps them apart (it is built
    without broadcast_buffers, whose copy of rank 0's would still leave the last batch's update apart); their mean
    is what one process would track from the whole batch, to first order, and the same on every rank."""
    if not world.distributed:
        return
    for module in model.modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm) and module.track_running_stats:
            for statistic in (module.running_mean, module.running_var):
                dist.all_reduce(statistic, op=dist.ReduceOp.SUM)
                statistic.div_(world.size)


def state_digests(state):
    """Per entry of a model's state (parameters and buffers, in state_dict order), the SHA-256 of its bytes."""
    digests = []
    for tensor in state.values():
        data = tensor.detach().cpu().contiguous().reshape(-1)
        raw = data.view(torch.uint8) if data.numel() and data.element_size() > 1 else data.to(torch.uint8)
        digests.append(hashlib.sha256(raw.numpy().tobytes()).digest())
    return digests


def check_replicas(world, model):
    """Stop the run, on every rank, when the ranks' models differ in any parameter or buffer: the replicas must be
    identical after every epoch, or the checkpoint rank 0 writes is one replica among several. Returns the number of
    state entries compared."""
    state = model.state_dict()
    names = list(state.keys())
    if not world.distributed:
        return len(names)
    mine = torch.tensor(list(b"".join(state_digests(state))), dtype=torch.uint8, device=_device_of(world))
    everyone = [torch.empty_like(mine) for _ in range(world.size)]
    dist.all_gather(everyone, mine)
    reference = everyone[0].reshape(len(names), 32)
    for rank in range(1, world.size):
        differing = [names[i] for i, row in enumerate(everyone[rank].reshape(len(names), 32))
                     if not torch.equal(row, reference[i])]
        if differing:
            raise SystemExit("error: the replicas diverged: rank %d differs from rank 0 in %s%s" % (
                rank, ", ".join(differing[:5]), " and %d more" % (len(differing) - 5) if len(differing) > 5 else ""))
    return len(names)


# ------------------------------------------------------------------------------------------------ one-node launcher

def launch(processes, function, arguments):
    """Run function(*arguments) in `processes` new processes on this machine, set up as torchrun sets up its workers
    (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT), for users without a working torchrun.
    Each process that fails prints its own error; this one then stops with status 1."""
    import torch.multiprocessing as mp
    port = _free_port()
    try:
        mp.start_processes(_started, args=(processes, port, function, arguments), nprocs=processes,
                           start_method="spawn")
    except mp.ProcessExitedException as error:
        raise SystemExit(error.exit_code or 1)
    except mp.ProcessRaisedException as error:
        raise SystemExit("error: process %d of train --nproc %d failed:\n%s" % (error.error_index, processes,
                                                                                 error))


def _started(index, processes, port, function, arguments):
    os.environ.update(RANK=str(index), WORLD_SIZE=str(processes), LOCAL_RANK=str(index),
                      LOCAL_WORLD_SIZE=str(processes), MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    if "OMP_NUM_THREADS" not in os.environ:
        # as torchrun does: N processes each using every core would oversubscribe the CPU N times
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // processes))
    function(*arguments)


def _free_port():
    """A TCP port that no process listens on now, for rank 0's rendezvous store."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
