"""What the network sees, in the model: what is asked follows the person's choices and the model's
state; a result is current exactly while it answers that on the network on show; the dead neurons
are computed once per state of the parameters."""

import numpy as np
import pytest

from nnviz.core import evaluation
from nnviz.core.dreams import DreamSettings
from nnviz.core.edits import SwitchOff
from nnviz.core.network import Network
from nnviz.model import Cause, Source
from nnviz.model.seeing import DEAD, EXTREMES, FOOLING, KINDS, NEURON, OUTPUTS, STATIC


@pytest.fixture
def model(run):
    return run


def seeing_events(model):
    fired = []
    model.events.seeing.connect(fired.append)
    return fired


def test_what_is_asked_follows_the_choices_the_example_and_the_neuron(model, mnist):
    seeing = model.seeing
    assert seeing.asked(FOOLING) is None  # nothing until a person chooses a digit
    assert seeing.asked(NEURON) is None and seeing.asked(EXTREMES) is None  # no neuron selected
    fired = seeing_events(model)
    seeing.fool(7)
    seeing.fool(7)  # the same again changes nothing
    assert fired == [Cause.USER]
    model.go_to(1, "test")
    first = seeing.asked(FOOLING)
    assert first.what == (7, "example", mnist.test.inputs(1, np.float32).tobytes())
    model.go_to(2, "test")
    assert seeing.asked(FOOLING) != first
    model.select_neuron((1, 4))
    assert seeing.asked(EXTREMES).what == (1, 4)
    assert seeing.asked(NEURON).what == (1, 4, DreamSettings(), None)
    settings = DreamSettings(smoothness=0.03)
    seeing.dream_neuron(settings, True)
    assert seeing.asked(NEURON).what == (1, 4, settings, mnist.test.inputs(2, np.float32).tobytes())
    model.set_source(Source.DRAWING)  # nothing drawn: nothing to start from, nothing to fool
    assert seeing.asked(NEURON) is None and seeing.asked(FOOLING) is None
    before = seeing.asked(STATIC)
    seeing.new_static()
    assert seeing.asked(STATIC).what == (before.what[0] + 1,)
    seeing.fool(3, "static")  # static needs no example
    assert seeing.asked(FOOLING).what == (3, "static", before.what[0] + 1)
    seeing.dream_outputs(settings)
    assert seeing.asked(OUTPUTS).what == (settings,)


def test_a_result_is_current_until_the_network_on_show_or_the_request_changes(model):
    seeing = model.seeing
    model.select_neuron((2, 3))
    for kind in (OUTPUTS, STATIC, NEURON, EXTREMES):
        seeing.found(seeing.asked(kind), model.shown.params, kind)
    assert all(seeing.current(kind) for kind in (OUTPUTS, STATIC, NEURON, EXTREMES))
    model.move_to(0)  # an earlier checkpoint is on show
    assert not any(seeing.current(kind) for kind in KINDS)
    assert seeing.result(OUTPUTS).value == OUTPUTS  # kept, out of date, until found again
    model.move_to(None)
    assert seeing.current(OUTPUTS)
    model.select_neuron((2, 4))
    assert seeing.current(OUTPUTS) and not seeing.current(NEURON) and not seeing.current(EXTREMES)
    model.add_edit(SwitchOff(1, 0))  # an edit changes the parameters on show
    assert not seeing.current(OUTPUTS)
    model.undo()
    assert seeing.current(OUTPUTS) and seeing.current(STATIC)
    seeing.new_static()
    assert not seeing.current(STATIC) and seeing.current(OUTPUTS)


def test_the_found_parameters_are_a_copy_and_another_network_forgets_everything(model):
    seeing = model.seeing
    params = model.shown.params.copy()
    seeing.found(seeing.asked(OUTPUTS), model.shown.params, "dreams")
    model.set_params(params + 0.01, Cause.EDIT)
    assert not seeing.current(OUTPUTS)
    np.testing.assert_array_equal(seeing.result(OUTPUTS).params, params)
    fired = seeing_events(model)
    model.set_network(Network(seed=1))
    assert seeing.result(OUTPUTS) is None and fired == [Cause.NETWORK]


def test_dead_neurons_are_computed_once_per_state_of_the_parameters(model, mnist, monkeypatch):
    calls = []
    real = evaluation.dead_neurons

    def counted(network, split, *args):
        calls.append(split.name)
        return real(network, split, *args)

    monkeypatch.setattr("nnviz.model.examples.dead_neurons", counted)
    network = model.network
    # a ReLU-like death made by hand: neuron 3 of layer 1 never active (sigmoid of a huge negative z)
    params = network.params.copy()
    network.biases[0][2] = -1e4
    model.set_params(network.params.copy(), Cause.EDIT)
    assert not model.seeing.current(DEAD)
    assert model.dead_neurons() == real(model.shown, mnist.train) == [(1, 2)]
    assert model.dead_neurons() == [(1, 2)] and model.seeing.current(DEAD)
    assert calls == ["train"]
    model.measure_ablation()
    assert model.ablation_dead == [(1, 2)] and calls == ["train"]
    model.set_params(params, Cause.EDIT)
    assert model.dead_neurons() == [] and calls == ["train", "train"]
