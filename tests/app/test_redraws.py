"""The redraw scheduler: a snapshot's redraws come after it, one turn of the event loop each."""

from __future__ import annotations

from PySide6 import QtCore

from nnviz.app.window.redraws import ORDER, Redraws
from nnviz.model.causes import Cause
from nnviz.model.pacing import Redraw


class Jobs:
    def __init__(self):
        self.done: list[str] = []

    def edges(self):
        self.done.append("edges")

    def plots(self):
        self.done.append("plots")

    def activations(self):
        self.done.append("activations")


def turn():
    QtCore.QCoreApplication.processEvents()


def test_a_snapshots_redraws_run_after_it_one_turn_each_activations_first_and_their_cost_goes_to_the_pacer(qapp):
    redraws, jobs = Redraws(), Jobs()
    redraws.pacer.plan(0.0)  # the first plan of a run holds every kind; this one at full speed too
    with redraws.snapshot(every=False, also=frozenset(Redraw)):
        redraws.request(Redraw.EDGES, jobs.edges, Cause.SNAPSHOT)
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
        redraws.request(Redraw.ACTIVATIONS, jobs.activations, Cause.SNAPSHOT)
        assert jobs.done == []  # the snapshot's own turn only takes it in
    assert redraws.pending
    counts = []
    while redraws.pending:
        turn()
        counts.append(len(jobs.done))
    assert jobs.done == ["activations", "edges", "plots"] and counts == [1, 2, 3]
    # the next plan folds what the edges' redraw spent into its cost
    redraws.pacer.plan(1e6, every=True)
    assert Redraw.EDGES in redraws.pacer.costs


def test_anything_but_a_snapshot_redraws_at_once_even_what_a_snapshot_queued(qapp):
    redraws, jobs = Redraws(), Jobs()
    with redraws.snapshot(every=False, also=frozenset(Redraw)):
        redraws.request(Redraw.EDGES, jobs.edges, Cause.SNAPSHOT)
    redraws.request(Redraw.EDGES, jobs.edges, Cause.CURSOR)
    assert jobs.done == ["edges"] and not redraws.pending
    turn()
    assert jobs.done == ["edges"]  # not twice


def test_stopping_runs_what_is_queued_now(qapp):
    redraws, jobs = Redraws(), Jobs()
    with redraws.snapshot(every=False, also=frozenset(Redraw)):
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
    redraws.flush()
    assert jobs.done == ["plots"] and not redraws.pending


def test_a_snapshot_drawn_whole_is_drawn_before_its_handling_ends(qapp):
    redraws, jobs = Redraws(), Jobs()
    with redraws.snapshot(every=True):
        redraws.request(Redraw.EDGES, jobs.edges, Cause.SNAPSHOT)
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
    assert jobs.done == ["edges", "plots"] and not redraws.pending


def test_a_redraw_asked_for_again_before_its_turn_runs_once(qapp):
    redraws, jobs = Redraws(), Jobs()
    for _ in range(3):  # snapshots coming faster than the turns
        with redraws.snapshot(every=False, also=frozenset(Redraw)):
            redraws.request(Redraw.ACTIVATIONS, jobs.activations, Cause.SNAPSHOT)
    while redraws.pending:
        turn()
    assert jobs.done == ["activations"]


def test_every_kind_of_redraw_has_its_turn_in_the_order():
    assert sorted(ORDER, key=str) == sorted(Redraw, key=str) and len(set(ORDER)) == len(ORDER)


def test_a_queued_redraw_a_later_plan_leaves_for_later_runs_once(qapp):
    from nnviz.model.pacing import Pace, Pacer

    redraws, jobs = Redraws(Pacer(paces={Redraw.PLOTS: Pace(share=0.06, least=0.5)})), Jobs()
    with redraws.snapshot(every=False):
        assert redraws.due(Redraw.PLOTS)
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
    with redraws.snapshot(every=False):  # the next snapshot at once: the plots not due, kept for later as well
        assert not redraws.due(Redraw.PLOTS)
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
    for _ in range(5):
        turn()
    assert jobs.done == ["plots"] and not redraws.pending
    redraws.flush()
    assert jobs.done == ["plots"]


def test_stopping_runs_what_is_left_activations_first(qapp):
    redraws, jobs = Redraws(), Jobs()
    with redraws.snapshot(every=False, also=frozenset(Redraw)):
        redraws.request(Redraw.PLOTS, jobs.plots, Cause.SNAPSHOT)
        redraws.request(Redraw.EDGES, jobs.edges, Cause.SNAPSHOT)
        redraws.request(Redraw.ACTIVATIONS, jobs.activations, Cause.SNAPSHOT)
    redraws.flush()
    assert jobs.done == ["activations", "edges", "plots"]
