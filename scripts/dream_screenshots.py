"""What the network sees, for README: the views of nnviz/app/views/dreams.py, fooling.py and
edges_and_loops.py showing the bundled network, offscreen: python scripts/dream_screenshots.py [OUT]

docs/dreams.png           the ten output dreams, at the size of a bottom tab (1000x250)
docs/static.png           static the network reads as each digit
docs/neuron-dream.png     neuron 5 of hidden layer 1: weights, dream, activation, favourite images
docs/fooled-two.png       test example 2 (a 2) changed until the network reads a 7
docs/edges-and-loops.png  the page that puts the article's hope to the test (1100x700, as a dialog)
"""

from __future__ import annotations

import sys

from shots import application, out_folder, wait  # first: it chooses offscreen Qt

import numpy as np  # noqa: E402

from nnviz.app.shell import theme  # noqa: E402
from nnviz.app.views.dreams import DigitStrip, NeuronDreamView  # noqa: E402
from nnviz.app.views.edges_and_loops import EdgesAndLoopsPage  # noqa: E402
from nnviz.app.views.fooling import FoolingPanel  # noqa: E402
from nnviz.core.data import bundled_mnist_dir, load_dataset  # noqa: E402
from nnviz.core.dreams import DreamSettings, dream, exciting_images, output_dreams  # noqa: E402
from nnviz.core.edges_and_loops import edges_and_loops, first_layer_dreams, pixels_in_use  # noqa: E402
from nnviz.core.files import load_network  # noqa: E402
from nnviz.core.fooling import fool_example, static_row  # noqa: E402

TAB = (1000, 250)


def save(widget, path, size=TAB) -> None:
    widget.resize(*size)
    widget.show()
    wait(0.3)
    widget.grab().save(str(path))


def main() -> int:
    out = out_folder()
    app = application()
    app.setStyleSheet(theme.STYLE_SHEET)
    network, _ = load_network(bundled_mnist_dir() / "pretrained-784-16-16-10.npz")
    mnist = load_dataset()
    names, shape = list(mnist.class_names), mnist.image_shape

    strip = DigitStrip.output_dreams()
    dreams = output_dreams(network)
    strip.show_pictures(np.array([d.image for d in dreams]), [d.activation for d in dreams], names, shape)
    save(strip, out / "dreams.png")

    static = DigitStrip.static()
    row = static_row(network)
    static.show_pictures(np.array([f.image for f in row]), [f.outputs_after[j] for j, f in enumerate(row)], names, shape)
    save(static, out / "static.png")

    neuron = NeuronDreamView()
    neuron.show_neuron("Neuron 5 of layer 1: what excites it", network.weights[0][4], shape)
    neuron.controls.smoothing.setCurrentIndex(1)
    found = dream(network, 1, 4, DreamSettings(smoothness=neuron.controls.settings().smoothness))
    neuron.show_dream(found.image, found.activations)
    neuron.show_extremes(exciting_images(network, mnist.test.inputs(), 1, 4), mnist.test.images, mnist.test.labels, names)
    save(neuron, out / "neuron-dream.png")

    panel = FoolingPanel()
    panel.target.setCurrentIndex(7)
    panel.show_fooling(fool_example(network, mnist.test, 1, 7), "test example 2, a 2", names, shape)
    save(panel, out / "fooled-two.png")

    page = EdgesAndLoopsPage()
    verdict = edges_and_loops(network, mnist.test.inputs(), mnist.test.labels, pixels_in_use(mnist.train.images))
    page.show_evidence(verdict, network.weights[0], mnist.test.images, names, shape, first_layer_dreams(network))
    save(page, out / "edges-and-loops.png", (1100, 700))
    print(f"wrote dreams, static, neuron-dream, fooled-two and edges-and-loops PNGs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
