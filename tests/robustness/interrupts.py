"""A Ctrl+C at every point of a run where CPython could raise one, one run per point."""

from __future__ import annotations

import dis
import gc
import sys
import traceback
import warnings
from pathlib import Path


class InterruptAt:
    """A tracer (``sys.settrace``) that raises KeyboardInterrupt at the ``moment``-th of the points
    where CPython 3.11 runs a pending signal's handler, as a Ctrl+C there would.

    Those points are the start of a Python function (RESUME), the end of a call (the opcode
    after CALL: a slow system call such as open() runs the handler as soon as it returns) and a
    loop's jump back; C code is never interrupted in its middle, nor is entering an exception
    handler (raising there breaks CPython's state, as no real Ctrl+C does). Every function's
    start counts; the other two only in the code of the file ``closely`` (say, the one that
    makes, names and removes a temporary file): tracing every opcode of zipfile and NumPy would
    take minutes.

    After a run, ``raised_at`` says where the interrupt came (None: the run ended first) and
    ``in_finaliser`` whether that was inside a ``__del__``, where Python swallows it."""

    CHECKS = {dis.opmap["CALL"], dis.opmap["JUMP_BACKWARD"]}

    def __init__(self, moment: int, closely: str):
        self.moment, self.closely = moment, closely
        self.count, self.raised_at, self.in_finaliser = 0, None, False
        self.previous_opcode: dict[int, int] = {}  # frame id -> the opcode it ran last

    def __call__(self, frame, event, arg):  # a function starts (or, a point CPython skips, a generator resumes)
        self._point(frame)
        if frame.f_code.co_filename != self.closely:
            return None
        frame.f_trace_opcodes = True
        return self._local

    def _local(self, frame, event, arg):
        if event == "opcode":
            if self.previous_opcode.get(id(frame)) in self.CHECKS:
                self._point(frame)
            self.previous_opcode[id(frame)] = frame.f_code.co_code[frame.f_lasti]
        elif event == "return":
            self.previous_opcode.pop(id(frame), None)
        return self._local

    def _point(self, frame) -> None:
        self.count += 1
        if self.count == self.moment:
            self.raised_at = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno} ({frame.f_code.co_name})"
            self.in_finaliser = any(f.f_code.co_name == "__del__" for f, _ in traceback.walk_stack(frame))
            raise KeyboardInterrupt  # a trace function that raises is switched off: this happens once

    def run(self, function, *args, **kwargs):
        sys.settrace(self)
        try:
            return function(*args, **kwargs)
        finally:
            sys.settrace(None)



def run_interrupted(interrupt: InterruptAt, function, *args, **kwargs) -> None:
    """Run ``function`` to be interrupted by ``interrupt``. If the interrupt came, the run must
    end with a KeyboardInterrupt, unless it landed in a ``__del__``, where Python swallows it."""
    # An interrupt between open() returning a file and a ``with`` taking it leaves the file to
    # the garbage collector, which closes it with a ResourceWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        ended_by = None
        try:
            interrupt.run(function, *args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - what ended it is checked below
            ended_by = repr(error)
        # What the interrupt left half made goes now (young objects: a cheap collection), not
        # during the next run, whose interrupt would land in its __del__ instead.
        gc.collect(1)
    if ended_by is None:
        assert interrupt.raised_at is None or interrupt.in_finaliser, f"the interrupt in {interrupt.raised_at} was lost"
    else:
        assert ended_by == "KeyboardInterrupt()", f"interrupted in {interrupt.raised_at}, the run ended with {ended_by}"
