"""Half of a big job done by a forked child while this process does the other half.

A check of 50,000 indicators is Python work from end to end, and a desk machine has a second CPU
idle meanwhile. The readers hand part of their work to a child made with ``fork`` — which shares
everything already read, for free — and take its answer back through a pipe, pickled (plain
tuples and strings: pickling the model's objects would cost more than making them):
workbook/read/sheet_halves.py the second half of a sheet, workbook/read/plain_sheet.py the expat
pass over one, its texts sent piece by piece as they are parsed (``streams=True``).

The callers keep one rule: the child's answer is only used when it is complete and they can tell
it is right; otherwise (``ChildFailed``) they do that part themselves, so a failure costs time and
never changes a result or a message.
"""
from __future__ import annotations

import os
import pickle
import signal
import threading
from typing import Any, Callable

enabled = True  # batch turns it off in its workers: the pool already keeps every CPU busy


class ChildFailed(Exception):
    """The child ended without a complete answer (an exception there, or it was killed)."""


def worth_forking() -> bool:
    """A second CPU, fork, no threads (forking a process that runs threads can deadlock the child)."""
    if not enabled or not hasattr(os, "fork") or os.environ.get("PLANREPORT_FORK") == "0":
        return False
    if threading.active_count() != 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cpus = os.cpu_count() or 1
    return cpus >= 2


class Child:
    """``work()`` running in a forked child; ``answer()`` here, once this process has done its part."""

    def __init__(self, work: Callable[..., Any], *, streams: bool = False):
        """OSError when there is no pipe or process to be had (a process limit, no memory).

        ``streams``: ``work(send)`` may also hand values over as it goes, each one ``send(value)``,
        taken here in turn with ``receive()`` before the ``answer()``."""
        read_end, write_end = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if self.pid == 0:
            os.close(read_end)
            _run_child(work, write_end, streams)  # never returns
        os.close(write_end)
        self.fd = read_end
        self.pipe = open(read_end, "rb", closefd=False)  # one buffer for every value: a second would lose bytes
        self.done = False

    def receive(self) -> Any:
        """The next value the child sent; ChildFailed when it ended instead (its answer, an error, or death)."""
        try:
            kind, value = self._load()
        except ChildFailed:
            self.close()
            raise
        if kind != "sent":
            self.close()
            raise ChildFailed(value if kind == "failed" else "the child answered before sending")
        return value

    def answer(self) -> Any:
        """What ``work()`` returned; ChildFailed when it raised or the child died."""
        try:
            kind, value = self._load()
            if kind == "answer":
                os.waitpid(self.pid, 0)
                self.done = True
        finally:
            self.close()
        if kind != "answer":
            raise ChildFailed(value if kind == "failed" else "a value sent was not taken")
        return value

    def _load(self) -> tuple[str, Any]:
        try:
            # Unpickled straight from the pipe: the payload (8 MB at 50,000 rows) never sits here whole.
            return pickle.load(self.pipe)
        except Exception as exc:  # a truncated pickle: the child was killed half way
            raise ChildFailed(str(exc)) from None

    def close(self) -> None:
        """End the child if it is still running (this process gave up on it) and reap it."""
        if self.fd >= 0:
            self.pipe.close()
            os.close(self.fd)
            self.fd = -1
        if not self.done:
            self.done = True
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass

    def __enter__(self) -> "Child":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _run_child(work: Callable[..., Any], fd: int, streams: bool) -> None:
    code = 0
    try:
        # Only memory and the pipe are used here: the parent's files and locks (a refresh holds the
        # workbook's flock) are let go at once, so they are never held on the parent's behalf.
        os.closerange(3, fd)
        os.closerange(fd + 1, _open_max())
        with open(fd, "wb", closefd=False) as pipe:
            def send(value: Any) -> None:
                pickle.dump(("sent", value), pipe, pickle.HIGHEST_PROTOCOL)
                pipe.flush()  # the parent is waiting for it

            try:
                answer = ("answer", work(send) if streams else work())
            except BaseException as exc:  # the parent does this part itself, and meets whatever this was
                answer = ("failed", f"{type(exc).__name__}: {exc}")
            pickle.dump(answer, pipe, pickle.HIGHEST_PROTOCOL)
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit, no flushing the parent's buffered output a second time


def _open_max() -> int:
    try:
        return min(os.sysconf("SC_OPEN_MAX"), 1 << 20)
    except (AttributeError, ValueError, OSError):
        return 1 << 16
