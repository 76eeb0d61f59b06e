"""Every page of the lesson writes the core's numbers: each one computed here from the core, on
its own, formatted the page's way, and looked for in the page's text."""

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.nudges import example_nudges, scaled_steps, step
from nnviz.lessons.numbers import Scale, activation, cost, significant
from nnviz.lessons.pages import Kind, layer_scale

NAMES = tuple(str(d) for d in range(10))


def pages_of(lesson, kind, layer=None):
    return [i for i, p in enumerate(lesson.pages) if p.kind is kind and (layer is None or p.layer == layer)]


@pytest.fixture(params=["pretrained", "fresh"])
def walked(request, make_lesson, pretrained):
    network = pretrained if request.param == "pretrained" else Network(seed=3, dtype=np.float64)
    lesson = make_lesson(network, "test", 1, learning_rate=0.5)
    return lesson, network


def test_the_walk_goes_back_layer_by_layer_then_the_input_the_step_eta_and_the_mini_batch(walked):
    lesson, _ = walked
    assert [(p.kind, p.layer) for p in lesson.pages] == [
        ("forward", 0), ("cost", 0), ("wants", 3), ("edges", 3), ("wants", 2), ("edges", 2), ("wants", 1),
        ("edges", 1), ("input", 0), ("step", 0), ("eta", 0), ("batch", 0)]
    lesson.go(99)
    assert lesson.index == len(lesson.pages) - 1 and lesson.title.startswith("Step 12 of 12")


def test_the_forward_and_cost_pages_show_every_output_and_every_term_of_the_sum(walked, mnist):
    lesson, network = walked
    x, label = mnist.test.inputs(1, network.dtype), int(mnist.test.labels[1])
    n = example_nudges(network, x, label, 0.5)
    lesson.go(0)
    assert all(f"<td align=right>{activation(a)}</td>" in lesson.text for a in n.output)
    lesson.go(1)
    scale = Scale(n.costs, [n.cost])
    terms = n.output - n.target
    for term in terms ** 2:  # (a - y)², every one of the ten
        assert f"<td align=right>{scale(term, sign=False)}</td>" in lesson.text
    assert f"<b>{scale(np.sum(terms ** 2), sign=False)}</b>" in lesson.text


def test_the_wants_pages_list_every_wish_whose_sum_they_give(walked, mnist):
    lesson, network = walked
    x, label = mnist.test.inputs(1, network.dtype), int(mnist.test.labels[1])
    n = example_nudges(network, x, label, 0.5)
    for l in (2, 1):
        lesson.go(pages_of(lesson, Kind.WANTS, l)[0])
        k = lesson.followed(l)
        scale = layer_scale(n.layer(l))
        # row j of the next layer asks -η w_jk δ_j, computed here from the weights and δ
        wishes = -0.5 * network.weights[l][:, k] * n.layer(l + 1).deltas
        for wish in wishes:
            assert f"<td align=right>{scale(wish)}</td></tr>" in lesson.text
        assert lesson.text.count("<tr><td>") == network.sizes[l + 1]  # every row, so that the sum can be checked
        assert f"sum: <b>{scale(wishes.sum())}</b>" in lesson.text
    lesson.go(pages_of(lesson, Kind.WANTS, 3)[0])
    scale = layer_scale(n.layer(3))
    assert f"up by <b>{scale(-0.5 * 2 * (n.output[label] - 1))}</b>" in lesson.text


def test_the_chain_pages_multiply_the_cores_numbers(walked, mnist):
    lesson, network = walked
    x, label = mnist.test.inputs(1, network.dtype), int(mnist.test.labels[1])
    n = example_nudges(network, x, label, 0.5)
    for l in (3, 2, 1):
        lesson.go(pages_of(lesson, Kind.EDGES, l)[0])
        k, layer, scale = lesson.followed(l), n.layer(l), layer_scale(n.layer(l))
        a = n.forward.activations[l][0][k]
        previous = n.forward.activations[l - 1][0]
        delta = layer.activation_gradients[k] * a * (1 - a)  # ∂C/∂a × σ'(z)
        assert delta == pytest.approx(layer.deltas[k], rel=1e-4, abs=1e-12)
        text = lesson.text
        assert f"<b>{scale(delta)}</b>" in text
        assert f"<b>{significant(a * (1 - a), sign=False)}</b>" in text
        for nudge in (-0.5 * delta, -0.5 * delta * previous.max(), -0.5 * delta * previous.min()):
            assert f"<b>{scale(nudge)}</b>" in text  # the bias nudge, then two weight nudges -η δ a
        if l > 1:
            assert f"<b>{scale(-0.5 * delta * network.weights[l - 1][k, previous.argmax()])}</b>" in text


def test_the_input_page_sums_every_hidden_neurons_wish_for_its_pixel(walked, mnist):
    lesson, network = walked
    x, label = mnist.test.inputs(1, network.dtype), int(mnist.test.labels[1])
    n = example_nudges(network, x, label, 0.5)
    lesson.go(pages_of(lesson, Kind.INPUT)[0])
    wish = -0.5 * n.layer(1).deltas @ network.weights[0]  # -η W1ᵀ δ1
    p = int(np.argmax(np.abs(wish)))
    scale = Scale(wish, n.layer(1).deltas, -0.5 * n.layer(1).deltas)
    terms = -0.5 * network.weights[0][:, p] * n.layer(1).deltas
    assert lesson.text.count("<tr><td>") == 16 and all(f"<td align=right>{scale(t)}</td></tr>" in lesson.text for t in terms)
    assert f"sum: <b>{scale(wish[p])}</b>" in lesson.text
    picture = lesson.picture
    assert picture.input_wish.shape == (28, 28)
    np.testing.assert_allclose(picture.input_wish.ravel(), wish, rtol=1e-5, atol=1e-9)


def test_the_step_and_eta_pages_give_the_cores_costs(walked, mnist):
    lesson, network = walked
    x, label = mnist.test.inputs(1, network.dtype), int(mnist.test.labels[1])
    n = example_nudges(network, x, label, 0.5)
    result = step(network, n)
    lesson.go(pages_of(lesson, Kind.STEP)[0])
    assert f"<b>{cost(result.cost_before)}</b> to <b>{cost(result.cost_after)}</b>" in lesson.text
    gradient_squared = sum(np.sum(l.weight_nudges ** 2) + np.sum(l.bias_nudges ** 2) for l in n.layers) / 0.5 ** 2
    assert f"<b>{significant(-0.5 * gradient_squared)}</b>" in lesson.text  # ΔC ≈ -η|∇C|²
    lesson.go(pages_of(lesson, Kind.ETA)[0])
    factors, costs = lesson.computed.eta_steps
    for f, c in zip(factors, costs):
        assert c == pytest.approx(step(network, example_nudges(network, x, label, 0.5 * f)).cost_after, rel=1e-5)
        assert f"<td align=right>{cost(c)}</td>" in lesson.text
    np.testing.assert_array_equal(costs, scaled_steps(network, n, factors))


def test_the_mini_batch_page_writes_each_examples_nudge_and_their_average(walked, mnist):
    lesson, network = walked
    lesson.go(pages_of(lesson, Kind.BATCH)[0])
    p = lesson.parameter
    others = lesson.batch_others  # member 1 is the example on show, a test image: test example 2 (a 2)
    x = np.concatenate([mnist.test.inputs([1], network.dtype), mnist.train.inputs(others, network.dtype)])
    labels = np.concatenate([[mnist.test.labels[1]], mnist.train.labels[others]])
    each = np.array([example_nudges(network, xi, li, 0.5).layer(p.layer).weight_nudges[p.neuron, p.source]
                     for xi, li in zip(x, labels)])
    scale = Scale(each)
    assert all(f"<td align=right>{scale(v)}</td>" in lesson.text for v in each)
    assert f"average: <b>{scale(each.mean())}</b>" in lesson.text
    assert "example 1 of the mini-batch, though it is a test image" in lesson.text.replace("\u00a0", " ")
