"""One convention for every number a person reads: examples, pixels and hidden neurons count
from 1; output neurons are named by their class; arrays stay 0-based."""

from nnviz.core.edits import CutEdge, Prune, SetWeight, SwitchOff
from nnviz.core.naming import from_shown, neuron_name, shown

SIZES = (784, 16, 16, 10)


def test_people_count_from_one_and_outputs_are_named_by_their_class():
    assert shown(0) == 1 and from_shown(1) == 0 and from_shown(shown(15)) == 15
    assert neuron_name(SIZES, 0, 0) == "pixel 1"
    assert neuron_name(SIZES, 1, 2) == "neuron 3 of layer 1"
    assert neuron_name(SIZES, 2, 15) == "neuron 16 of layer 2"
    assert neuron_name(SIZES, 3, 7) == "output 7"
    assert neuron_name((4, 3, 2), 2, 1, ("cat", "dog")) == "output dog"


def test_edits_are_described_as_a_person_counts():
    assert SwitchOff(1, 2).describe(SIZES) == "Switch off neuron 3 of layer 1"
    assert CutEdge(1, 2, 0).describe(SIZES) == "Cut the edge pixel 1 → neuron 3 of layer 1"
    assert CutEdge(3, 4, 7).describe(SIZES) == "Cut the edge neuron 8 of layer 2 → output 4"
    assert SetWeight(2, 0, None, 0.5).describe(SIZES) == "Set the bias of neuron 1 of layer 2 to 0.5"
    assert SetWeight(2, 0, 15, -2.0).describe(SIZES) == "Set the weight neuron 16 of layer 1 → neuron 1 of layer 2 to -2"
    assert Prune(3, 50).describe(SIZES) == "Prune the weakest 50% of layer 3's weights"
