"""What-if edits: what each edit does to the parameters and the answers, undo, the ablation table."""

import numpy as np
import pytest

from nnviz.core.data import bundled_mnist_dir
from nnviz.core.edits import (
    CutEdge,
    EditError,
    EditList,
    Prune,
    SetWeight,
    SwitchOff,
    ablation_table,
    what_if,
)
from nnviz.core.evaluation import accuracy, confusion_matrix, predictions
from nnviz.core.files import load_network
from nnviz.core.network import Network


@pytest.fixture(scope="module")
def pretrained():
    return load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")[0]


def forward_with_neuron_held_at_zero(network, x, layer, neuron):
    """The forward pass written out, with a[layer][:, neuron] forced to 0 (the oracle)."""
    a = x
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        f = network.layer_activation(l)
        a = np.array(f(a @ w.T + b))  # elementwise: the pretrained network's outputs are sigmoids
        if l == layer:
            a[:, neuron] = 0
    return a


def test_a_switched_off_neuron_outputs_as_if_its_activation_were_held_at_zero(pretrained, mnist):
    x = mnist.test.inputs(slice(0, 200))
    edited = EditList().added(SwitchOff(2, 5), pretrained.sizes).apply(pretrained)
    np.testing.assert_allclose(edited.output(x), forward_with_neuron_held_at_zero(pretrained, x, 2, 5), atol=1e-5)  # float32 sums in another order
    # and it is the network with that neuron's outgoing weights zeroed, nothing else changed
    expected = pretrained.copy()
    expected.weights[2][:, 5] = 0
    np.testing.assert_array_equal(edited.params, expected.params)
    assert not np.array_equal(edited.output(x), pretrained.output(x))


def test_edits_never_change_the_network_they_are_applied_to(pretrained):
    before = pretrained.params.copy()
    edits = EditList().added(SwitchOff(1, 0), pretrained.sizes).added(Prune(1, 50), pretrained.sizes)
    edits.apply(pretrained)
    np.testing.assert_array_equal(pretrained.params, before)


def test_a_switched_off_neuron_stays_off_when_a_later_edit_sets_one_of_its_weights(pretrained):
    edits = EditList().added(SwitchOff(1, 3), pretrained.sizes).added(SetWeight(2, 0, 3, 2.5), pretrained.sizes)
    assert edits.apply(pretrained).weights[1][0, 3] == 0


def test_cut_and_set_change_exactly_one_parameter(pretrained):
    edits = EditList().added(CutEdge(3, 7, 4), pretrained.sizes).added(SetWeight(1, 2, None, -3.0), pretrained.sizes)
    edited = edits.apply(pretrained)
    changed = np.flatnonzero(edited.params != pretrained.params)
    assert len(changed) == 2
    assert edited.weights[2][7, 4] == 0
    assert edited.biases[0][2] == -3.0


def test_a_pruned_layer_has_the_weakest_weights_zeroed_and_matches_its_mask(pretrained):
    edits = EditList().added(Prune(1, 30), pretrained.sizes)
    edited = edits.apply(pretrained)
    mask = edits.mask_for(pretrained, neurons_only=False)
    np.testing.assert_array_equal(edited.params, pretrained.params * mask)
    zeroed = mask[: pretrained.weights[0].size + 16] == 0
    assert zeroed.sum() == round(0.3 * pretrained.weights[0].size)
    # every zeroed weight is no stronger than every kept one of that layer
    w = np.abs(pretrained.weights[0])
    kept = edited.weights[0] != 0
    assert w[~kept].max() <= w[kept].min()
    # the other layers and every bias are untouched
    np.testing.assert_array_equal(edited.biases[0], pretrained.biases[0])
    np.testing.assert_array_equal(edited.layers[1], pretrained.layers[1])


def test_the_training_mask_holds_only_switched_off_neurons(pretrained):
    edits = EditList().added(SwitchOff(1, 4), pretrained.sizes).added(CutEdge(1, 0, 0), pretrained.sizes)
    mask = edits.mask_for(pretrained)
    expected = np.ones_like(pretrained.params)
    twin = Network(pretrained.sizes, seed=0)
    twin.params[:] = 1
    twin.weights[1][:, 4] = 0
    np.testing.assert_array_equal(mask, twin.params)
    # multiplying after any step keeps the neuron off
    stepped = pretrained.copy()
    stepped.params += 0.01
    stepped.params *= mask
    assert not stepped.weights[1][:, 4].any()
    assert expected.sum() - mask.sum() == 16


def test_undo_restores_the_exact_parameters_and_redo_the_edit(pretrained, mnist):
    sizes = pretrained.sizes
    one = EditList().added(SetWeight(1, 0, 400, 7.0), sizes)
    two = one.added(Prune(2, 60), sizes)
    np.testing.assert_array_equal(two.undone().apply(pretrained).params, one.apply(pretrained).params)
    np.testing.assert_array_equal(two.undone().undone().apply(pretrained).params, pretrained.params)
    assert two.undone().can_redo and not two.can_redo
    np.testing.assert_array_equal(two.undone().redone().apply(pretrained).params, two.apply(pretrained).params)
    assert two.reset().apply(pretrained).params.tobytes() == pretrained.params.tobytes()
    # a new edit after undo drops the undone one
    branched = two.undone().added(SwitchOff(1, 1), sizes)
    assert branched.edits == (SetWeight(1, 0, 400, 7.0), SwitchOff(1, 1)) and not branched.can_redo


@pytest.mark.parametrize(
    "edit, message",
    [
        (SwitchOff(3, 0), "switch off: layer 3 is not one of 1..2"),
        (SwitchOff(1, 16), "layer 1 has neurons 0..15, not 16"),
        (CutEdge(1, 0, 784), "layer 0 has neurons 0..783, not 784"),
        (SetWeight(2, 0, 0, float("nan")), "not a finite number"),
        (Prune(1, 120), "120% is not between 0 and 100"),
    ],
)
def test_an_edit_that_does_not_fit_says_why(pretrained, edit, message):
    with pytest.raises(EditError, match=message.replace("(", r"\(").replace(".", r"\.")):
        EditList().added(edit, pretrained.sizes)


def test_edits_round_trip_through_metadata_and_damage_is_an_error(pretrained):
    import json

    sizes = pretrained.sizes
    edits = EditList()
    for edit in (SwitchOff(1, 2), CutEdge(2, 3, 4), SetWeight(3, 1, None, 0.5), Prune(1, 12.5)):
        edits = edits.added(edit, sizes)
    saved = json.loads(json.dumps(edits.undone().undone().redone().to_metadata()))
    restored = EditList.from_metadata(saved, sizes)
    assert restored.applied == edits.applied[:3]
    for damaged in ([{"kind": "explode"}], [{"kind": "switch_off", "layer": "1", "neuron": 0}],
                    [{"kind": "cut_edge", "layer": 1, "neuron": 0}], "switch_off", [{"kind": "prune", "layer": 9, "percent": 5}]):
        with pytest.raises(EditError):
            EditList.from_metadata(damaged, sizes)


def test_the_ablation_table_matches_32_direct_evaluations(pretrained, mnist):
    table = ablation_table(pretrained, mnist.test)
    assert table.baseline == accuracy(pretrained, mnist.test)
    assert len(table.rows) == 32
    assert {(row.layer, row.neuron) for row in table.rows} == {(l, n) for l in (1, 2) for n in range(16)}
    for row in table.rows:
        direct = accuracy(EditList().added(SwitchOff(row.layer, row.neuron), pretrained.sizes).apply(pretrained), mnist.test)
        assert row.accuracy == direct
        assert row.change == pytest.approx(direct - table.baseline)
    accuracies = [row.accuracy for row in table.rows]
    assert accuracies == sorted(accuracies)
    # some neuron matters: switching it off costs accuracy
    assert table.rows[0].change < -0.005


def test_what_if_recomputes_answers_accuracies_and_confusion_of_the_edited_network(pretrained, mnist):
    edits = EditList().added(Prune(1, 90), pretrained.sizes)
    x = mnist.test.inputs(slice(0, 3))
    result = what_if(pretrained, edits, mnist.validation, mnist.test, x)
    edited = edits.apply(pretrained)
    np.testing.assert_array_equal(result.network.params, edited.params)
    np.testing.assert_allclose(result.outputs, edited.output(x))
    assert result.validation_accuracy == accuracy(edited, mnist.validation)
    assert result.test_accuracy == accuracy(edited, mnist.test) < accuracy(pretrained, mnist.test)
    np.testing.assert_array_equal(
        result.confusion, confusion_matrix(mnist.test.labels, predictions(edited, mnist.test), 10)
    )


def test_eval_ablate_prints_the_table_sorted_most_needed_first(capsys, mnist, pretrained):
    from nnviz.cli import main

    assert main(["eval", str(bundled_mnist_dir() / "pretrained-784-16-16-10.npz"), "--ablate"]) == 0
    out = capsys.readouterr().out
    lines = out.split("Which neurons matter:")[1].splitlines()
    assert f"(none off: {accuracy(pretrained, mnist.test):.2%})" in lines[0]
    assert lines[1].split() == ["layer", "neuron", "accuracy", "change"]
    rows = [line.split() for line in lines[2:]]
    table = ablation_table(pretrained, mnist.test)
    # neurons count from 1 in what a person reads, as examples do
    assert [(int(r[0]), int(r[1])) for r in rows] == [(row.layer, row.neuron + 1) for row in table.rows]
    assert [r[2] for r in rows] == [f"{row.accuracy:.2%}" for row in table.rows]


def test_edits_and_the_animation_writers_never_import_qt():
    import os
    import subprocess
    import sys

    code = (
        "import sys, nnviz.core.edits, nnviz.animation.writers\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
