"""What-if edits in the window's model: the base kept, the events fired, the file's list restored."""

import numpy as np
import pytest

from nnviz.core.edits import EditList, Prune, SetWeight, SwitchOff, what_if
from nnviz.core.network import Network
from nnviz.model import WindowModel
from nnviz.model.editing import EDITS_BASE_KEY, EDITS_KEY


def edits_of(*edits) -> EditList:
    return EditList(tuple(edits), len(edits))


@pytest.fixture
def model(mnist):
    return WindowModel(mnist, Network(seed=0), seed=0)


def test_an_edit_shows_what_if_of_the_base_and_fires_edits_then_params(model, mnist):
    trained = model.network.params.copy()
    seen = []
    model.events.edits.connect(lambda cause: seen.append("edits"))
    model.events.params.connect(lambda cause: seen.append("params"))
    edits = edits_of(SwitchOff(2, 4), Prune(1, 30))
    outcome = model.set_edits(edits, "two edits")
    expected = what_if(Network(seed=0), edits, mnist.validation, mnist.test, mnist.test.inputs(slice(0, 1)))
    np.testing.assert_array_equal(model.network.params, expected.network.params)
    np.testing.assert_array_equal(model.base_network.params, trained)
    assert seen == ["edits", "params"] and model.dirty
    assert outcome.test_after == pytest.approx(expected.test_accuracy)
    assert outcome.describe().startswith("two edits: test accuracy ") and "→" in outcome.describe()
    assert model.reading().forward.activations[2][0, 4] == 0
    model.set_edits(edits.undone().undone())
    np.testing.assert_array_equal(model.network.params, trained)
    assert EDITS_KEY not in model.metadata


def test_saved_edits_come_back_with_their_exact_base_and_damaged_ones_start_a_new_list(model):
    trained = model.network.params.copy()
    edits = edits_of(SwitchOff(1, 3), SetWeight(3, 1, None, 2.5), Prune(2, 50))
    model.set_edits(edits)
    edited, metadata = model.network.copy(), dict(model.metadata)
    model.set_network(edited.copy(), metadata=metadata)
    assert model.edits == edits and model.edits_note is None
    np.testing.assert_array_equal(model.base_network.params, trained)
    damaged = dict(metadata, **{EDITS_BASE_KEY: {"indices": [10**9], "values": [1.0]}})
    model.set_network(edited.copy(), metadata=damaged)
    assert model.edits == EditList() and "start a new list" in model.edits_note
    model.set_network(edited.copy(), metadata=dict(metadata, **{EDITS_KEY: [{"kind": "melt"}]}))
    assert model.edits == EditList() and "cannot be read" in model.edits_note


def test_committing_makes_the_edited_network_the_base_and_the_mask_holds_switched_off_neurons(model):
    assert model.switched_off_mask() is None
    model.set_edits(edits_of(SwitchOff(1, 7)))
    mask = model.switched_off_mask()
    assert mask.sum() == mask.size - 16 and np.all(model.network.weights[1][:, 7] == 0)
    edited = model.network.params.copy()
    model.commit_edits(keep_switched_off=True)
    assert model.edits == EditList() and model.base_network is None and EDITS_KEY not in model.metadata
    np.testing.assert_array_equal(model.training_mask, mask)
    np.testing.assert_array_equal(model.network.params, edited)
