"""One convention for every number a person reads: examples, pixels and hidden neurons count
from 1; output neurons are named by their class; arrays stay 0-based."""

import pytest

from nnviz.core.edits import CutEdge, Prune, SetWeight, SwitchOff
from nnviz.core.errors import NnvizError
from nnviz.core.naming import from_shown, neuron_name, neuron_reference, parse_class, parse_neuron, shown

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


def test_neurons_on_the_command_line_round_trip_and_count_as_the_picture_does():
    for sizes in (SIZES, (784, 100, 30, 10), (64, 8, 3)):
        for layer in range(1, len(sizes)):
            for k in range(sizes[layer]):
                assert parse_neuron(neuron_reference(sizes, layer, k), sizes) == (layer, k)
    assert neuron_reference(SIZES, 1, 4) == "hidden1:5" and parse_neuron("hidden1:5", SIZES) == (1, 4)
    assert parse_neuron("output:2", SIZES) == (3, 2) and parse_neuron("Output:dog", (4, 3, 2), ("cat", "dog")) == (2, 1)


def test_a_neuron_or_class_that_does_not_exist_is_one_line_naming_what_does():
    for text, message in [("hidden3:1", "no hidden layer 3"), ("hidden1:17", "neurons 1 to 16"), ("hidden1:0", "neurons 1 to 16"),
                          ("output:10", "classes are 0 to 9"), ("neuron 5", "like hidden1:5 or output:2"), ("", "like hidden1:5")]:
        with pytest.raises(NnvizError, match=message):
            parse_neuron(text, SIZES)
    with pytest.raises(NnvizError, match="'x' is not a class of this network"):
        parse_class("x", 10)
    assert parse_class(" 7", 10) == 7
