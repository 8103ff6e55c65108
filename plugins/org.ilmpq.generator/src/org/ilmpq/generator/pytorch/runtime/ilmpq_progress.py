"""How far a training run has come, shown by rank 0 alone: every --log-every batches and at the end of each epoch, a
line with the epoch, the batch, the loss and accuracy of the epoch so far, images per second and the time left.
Lines, not a bar, when the output is a log file or tqdm is missing, so that logs stay readable; a tqdm bar when
tqdm is importable and the output is a terminal.

    epoch 3/15 batch 10/23: loss 0.4123, accuracy 87.50 %, 1523 images/s, 0:00:41 left
    epoch 3/15: loss 0.4012, accuracy 88.02 %, 1498 images/s, 0:00:40 left
"""

import sys
import time


class Progress:
    """The progress of epochs first_epoch .. epochs - 1 of batches_per_epoch batches each."""

    def __init__(self, epochs, batches_per_epoch, first_epoch, every, shown=True, stream=None, clock=time.monotonic):
        self.epochs = epochs
        self.batches = batches_per_epoch
        self.every = every
        self.shown = shown
        self.stream = sys.stdout if stream is None else stream
        self.clock = clock
        self.left_at_start = (epochs - first_epoch) * batches_per_epoch
        self.started = None
        self.done = 0
        self.epoch = first_epoch
        self.epoch_started = None
        self.bar = None

    def start_epoch(self, epoch):
        self.epoch = epoch
        self.epoch_started = self.clock()
        if self.started is None:
            self.started = self.epoch_started
        if self.shown and _tqdm() is not None and self.stream.isatty():
            self.bar = _tqdm()(total=self.batches, desc="epoch %d/%d" % (epoch + 1, self.epochs), unit="batch",
                               file=self.stream, leave=False, dynamic_ncols=True)

    def due(self, batch):
        """Whether the figures are wanted after this batch (1-based): every `every` batches and the epoch's last."""
        return batch % self.every == 0 or batch == self.batches

    def batch_done(self, batch, figures=None):
        """Batch `batch` (1-based) of the epoch is done; figures (loss sum, correct, images; over all ranks) when
        due(batch)."""
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if figures is not None:
                self.bar.set_postfix_str(self._figures(figures))
        elif self.shown and figures is not None and batch != self.batches:
            self._print("epoch %d/%d batch %d/%d: %s" % (self.epoch + 1, self.epochs, batch, self.batches,
                                                         self._figures(figures)))

    def end_epoch(self, figures):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.shown:
            self._print("epoch %d/%d: %s" % (self.epoch + 1, self.epochs, self._figures(figures)))

    def _figures(self, figures):
        loss_sum, correct, images = (float(v) for v in figures)
        now = self.clock()
        epoch_seconds = max(now - self.epoch_started, 1e-9)
        per_batch = (now - self.started) / max(self.done, 1)
        left = per_batch * (self.left_at_start - self.done)
        return "loss %.4f, accuracy %.2f %%, %.0f images/s, %s left" % (
            loss_sum / max(images, 1), 100.0 * correct / max(images, 1), images / epoch_seconds, clock_time(left))

    def _print(self, line):
        print(line, file=self.stream, flush=True)


def clock_time(seconds):
    """Seconds as H:MM:SS."""
    seconds = int(round(max(seconds, 0)))
    return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def _tqdm():
    try:
        from tqdm import tqdm
        return tqdm
    except ImportError:
        return None
