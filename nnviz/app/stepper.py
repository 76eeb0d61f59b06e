"""Backpropagation, step by step, for one example and then a mini-batch, on the network view.

The panel asks the core for the nudges (``core.nudges``) of a *copy* of the network, so a training
run is never disturbed; "Apply to the network" hands the stepped copy back to the window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from ..core.network import Network
from ..core.nudges import BatchNudges, ExampleNudges, StepResult, apply_nudges, batch_nudges, example_nudges, step
from . import actions, theme
from .network_view import NetworkView

PLAY_INTERVAL_MS = 2500
MAX_IMAGES = 16


@dataclass(frozen=True)
class Step:
    kind: str  # forward, cost, wants, edges, step, batch
    layer: int = 0
    title: str = ""


def _num(value: float) -> str:
    """A signed value with 3 significant digits, however small: nudges span many decades."""
    return "0" if value == 0 else f"{value:+.3g}"


def plan(n_layers: int) -> list[Step]:
    """The walk for a network of ``n_layers`` weight layers: backwards from the output."""
    steps = [Step("forward", title="The example and the forward pass"), Step("cost", title="The cost of this example")]
    for l in range(n_layers, 0, -1):
        name = "the output layer" if l == n_layers else f"hidden layer {l}"
        steps.append(Step("wants", l, f"What {name} wants" if l == n_layers else f"What {name} should change"))
        steps.append(Step("edges", l, f"How {name} can get it: biases and weights"))
    steps += [Step("step", title="The step"), Step("batch", title="A mini-batch: the average of the nudges")]
    return steps


class StepperPanel(QtWidgets.QWidget):
    applied = QtCore.Signal(object)  # the stepped Network, when the person applies the step
    closed = QtCore.Signal()

    def __init__(self, view: NetworkView, parent=None):
        super().__init__(parent)
        self.view = view
        self.network: Network | None = None
        self.nudges: ExampleNudges | None = None
        self.batch: BatchNudges | None = None
        self.result: StepResult | None = None
        self.steps: list[Step] = []
        self.index = 0
        self.class_names: tuple[str, ...] = ()

        self.title = QtWidgets.QLabel()
        self.title.setObjectName("caption")
        self.text = QtWidgets.QLabel()
        self.text.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.text.setMinimumHeight(220)
        self.neuron = QtWidgets.QSpinBox()
        self.neuron.setToolTip("The neuron whose numbers the explanation follows")
        self.neuron.valueChanged.connect(self._render)
        self.member = QtWidgets.QSpinBox()
        self.member.setToolTip("0: the average the step uses; 1..10: one example of the mini-batch")
        self.member.setSpecialValueText("average")
        self.member.valueChanged.connect(self._render)
        self.images = pg.GraphicsLayoutWidget()
        self.images.setBackground(theme.BACKGROUND)
        self.images.setFixedHeight(230)
        self._image_items: list[pg.ImageItem] = []

        self.back_button = QtWidgets.QPushButton("◀ Back")
        self.next_button = QtWidgets.QPushButton("Next ▶")
        self.play_button = QtWidgets.QPushButton("Play")
        self.play_button.setCheckable(True)
        self.apply_button = QtWidgets.QPushButton("Apply to the network")
        self.apply_button.setToolTip("Make this step on the network itself (otherwise only a copy is stepped)")
        self.close_button = QtWidgets.QPushButton("Done")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.play_button.toggled.connect(self._on_play)
        self.apply_button.clicked.connect(self._on_apply)
        self.close_button.clicked.connect(self.closed)
        self._timer = QtCore.QTimer(self, interval=PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_tick)
        # The keys are listed with the window's in actions.py (Help > Keyboard shortcuts).
        for name, slot in (("stepper_next", self.next), ("stepper_back", self.back)):
            QtGui.QShortcut(QtGui.QKeySequence(actions.BY_NAME[name].keys[0]), self, activated=slot,
                            context=QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)

        choose = QtWidgets.QFormLayout()
        choose.addRow("Follow neuron", self.neuron)
        choose.addRow("Mini-batch example", self.member)
        buttons = QtWidgets.QHBoxLayout()
        for button in (self.back_button, self.play_button, self.next_button):
            buttons.addWidget(button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.text)
        layout.addLayout(choose)
        layout.addWidget(self.images)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.close_button)
        layout.addStretch(1)

    # -- starting --------------------------------------------------------------------------------

    def start(self, network: Network, x: np.ndarray, label: int, class_names, learning_rate: float,
              batch_x: np.ndarray, batch_labels: np.ndarray) -> None:
        """Walk through backpropagation for ``x`` on a copy of ``network``; ``batch_*`` for the last step."""
        self.network = network.copy()
        self.class_names = tuple(class_names)
        self.nudges = example_nudges(self.network, x, label, learning_rate)
        self.result = step(self.network, self.nudges)
        self.batch = batch_nudges(self.network, batch_x, batch_labels, learning_rate)
        self.steps = plan(len(self.network.sizes) - 1)
        self.member.setRange(0, len(batch_labels))
        self._make_images()
        self.go(0)

    def go(self, index: int) -> None:
        self.index = int(np.clip(index, 0, len(self.steps) - 1))
        current = self.steps[self.index]
        if current.kind in ("wants", "edges"):
            size = self.network.sizes[current.layer]
            self.neuron.blockSignals(True)
            self.neuron.setRange(0, size - 1)
            self.neuron.setValue(self._default_neuron(current))
            self.neuron.blockSignals(False)
        self._render()

    def next(self) -> None:
        if self.steps and self.index < len(self.steps) - 1:
            self.go(self.index + 1)
        else:
            self.play_button.setChecked(False)

    def back(self) -> None:
        if self.steps:
            self.go(self.index - 1)

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    # -- what each step shows -------------------------------------------------------------------------

    def _render(self) -> None:
        if not self.steps:
            return
        s = self.step
        self.title.setText(f"Step {self.index + 1} of {len(self.steps)}: {s.title}")
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.steps) - 1)
        self.neuron.setEnabled(s.kind in ("wants", "edges"))
        self.member.setEnabled(s.kind == "batch")
        self.apply_button.setEnabled(s.kind in ("step", "batch"))
        self.images.setVisible(s.kind in ("edges", "batch") and (s.layer == 1 or s.kind == "batch"))
        getattr(self, f"_show_{s.kind}")(s)

    def _show_forward(self, s: Step) -> None:
        n = self.nudges
        self._view(self.network, weights=True, arrows=[])
        answer = int(n.output.argmax())
        self.text.setText(
            f"A <b>{self._name(n.label)}</b> goes in as {len(n.x)} pixel activations between 0 and 1. Every "
            f"other neuron computes <i>a</i> = σ(<i>w</i>·<i>a</i><sub>prev</sub> + <i>b</i>) from the layer "
            f"before it. The network answers <b>{self._name(answer)}</b>.<br>"
            + self._output_table(("output", "a", "target y")))

    def _show_cost(self, s: Step) -> None:
        n = self.nudges
        self._view(self.network, weights=True, arrows=[])
        formula = "(a<sub>j</sub> − y<sub>j</sub>)²" if self.network.cost.name == "mse" else "−y<sub>j</sub> ln a<sub>j</sub>"
        self.text.setText(
            f"How bad is this answer? Each output adds {formula} to the cost of this example:"
            + self._output_table(("j", "a", "y", formula), n.costs)
            + f"C = Σ<sub>j</sub> {formula} = <b>{n.cost:.4f}</b>. Learning means making this smaller.")

    def _output_table(self, headers, costs=None) -> str:
        """One row per output neuron: its name, a, y (and its share of the cost, if given)."""
        n = self.nudges
        rows = "".join(
            f"<tr><td>{self._name(j)}</td><td align=right>{n.output[j]:.3f}</td><td align=right>{n.target[j]:.0f}</td>"
            + (f"<td align=right>{costs[j]:.4f}</td>" if costs is not None else "") + "</tr>"
            for j in range(len(n.output)))
        head = "".join(f"<th>{h}</th>" for h in headers)
        return f"<table cellspacing=6><tr>{head}</tr>{rows}</table>"

    def _show_wants(self, s: Step) -> None:
        n, L = self.nudges, len(self.network.sizes) - 1
        layer = n.layer(s.layer)
        arrows = [None] * L
        arrows[s.layer - 1] = layer.activation_nudges
        self._view(self.network, weights=True, arrows=arrows)
        k = self.neuron.value()
        eta = n.learning_rate
        if s.layer == L:
            gradient = "−η·2(a<sub>j</sub> − y<sub>j</sub>)" if self.network.cost.name == "mse" else \
                "η y<sub>j</sub>/a<sub>j</sub> (softmax then spreads it to the others)"
            up = layer.activation_nudges[n.label]
            worst = int(np.argmin(layer.activation_nudges))
            self.text.setText(
                f"Each output neuron should change its activation by −η ∂C/∂a<sub>j</sub> = {gradient} "
                f"(η = {eta:g}): the right answer <b>{self._name(n.label)}</b> up by <b>{_num(up)}</b>, every other one down, "
                f"most of all <b>{self._name(worst)}</b> ({_num(layer.activation_nudges[worst])}). The arrows show it.<br><br>"
                f"Output {self._name(k)}: a = {n.output[k]:.3f}, y = {n.target[k]:.0f}, wants {_num(layer.activation_nudges[k])}.")
            return
        wishes = layer.wishes[:, k]
        # every wish when they fit (the 10 outputs asking hidden layer 2), else the biggest
        order = np.argsort(-np.abs(wishes))[: len(wishes) if len(wishes) <= 10 else 6]
        lines = "".join(f"<tr><td>neuron {j} of layer {s.layer + 1}</td><td align=right>w = {self.network.weights[s.layer][j, k]:+.3f}</td>"
                        f"<td align=right>δ = {_num(n.layer(s.layer + 1).deltas[j])}</td><td align=right>asks {_num(wishes[j])}</td></tr>"
                        for j in order)
        self.text.setText(
            f"A neuron of hidden layer {s.layer} cannot be told what to be; it can only be asked, by every neuron of "
            f"the next layer at once. Neuron j asks −η w<sub>jk</sub> δ<sub>j</sub>: its own wish δ<sub>j</sub>, weighted "
            f"by the weight between them. The sum over j is the arrow, −η Σ<sub>j</sub> w<sub>jk</sub> δ<sub>j</sub>.<br><br>"
            f"Neuron <b>{k}</b> (a = {n.forward.activations[s.layer][0][k]:.3f}): "
            f"{'the wishes, biggest first' if len(order) == len(wishes) else 'the biggest wishes'}"
            f"<table cellspacing=4>{lines}</table>sum over all {len(wishes)}: <b>{_num(layer.activation_nudges[k])}</b>")

    def _show_edges(self, s: Step) -> None:
        n = self.nudges
        layer = n.layer(s.layer)
        matrices = [np.zeros_like(w) for w in self.network.weights]
        matrices[s.layer - 1] = layer.weight_nudges
        arrows = [None] * (len(self.network.sizes) - 1)
        arrows[s.layer - 1] = layer.bias_nudges
        self._view(self.network, matrices=matrices, arrows=arrows)
        k = self.neuron.value()
        previous = n.forward.activations[s.layer - 1][0]
        bright, dim = int(np.argmax(previous)), int(np.argmin(previous))
        source = "pixel" if s.layer == 1 else f"neuron of {'hidden layer ' + str(s.layer - 1)}"
        self.text.setText(
            f"Neuron {k} of this layer can move its activation by changing its bias and its incoming weights. "
            f"With δ = ∂C/∂z = {_num(layer.deltas[k])}:<br>"
            f"bias nudge −η δ = <b>{_num(layer.bias_nudges[k])}</b> (the arrows);<br>"
            f"weight nudge −η δ a<sub>prev</sub> (the edges, coloured by nudge): from the brightest {source} "
            f"(a = {previous[bright]:.3f}) <b>{_num(layer.weight_nudges[k, bright])}</b>, from the darkest "
            f"(a = {previous[dim]:.3f}) <b>{_num(layer.weight_nudges[k, dim])}</b>.<br>"
            f"Weights from brighter neurons get bigger nudges: they are the ones that mattered. Neurons that fire "
            f"together wire together." + (" Below: each first-layer neuron's weight nudges as a picture "
                                           "(blue: grow, red: shrink)." if s.layer == 1 else ""))
        if s.layer == 1:
            self._set_images(layer.weight_nudges)

    def _show_step(self, s: Step) -> None:
        n, r = self.nudges, self.result
        self._view(r.network, weights=True, arrows=[], forward_network=r.network)
        self.text.setText(
            f"Now take the step: add every nudge (η = {n.learning_rate:g}) to its weight or bias. On this example "
            f"the cost goes from <b>{r.cost_before:.4f}</b> to <b>{r.cost_after:.4f}</b>, and the right answer's "
            f"activation from {r.output_before[n.label]:.4f} to <b>{r.output_after[n.label]:.4f}</b>. "
            f"The picture shows the network after the step (on a copy: training is not touched).")

    def _show_batch(self, s: Step) -> None:
        b = self.batch
        member = self.member.value()
        if member == 0:
            weights, biases = b.weight_nudges, b.bias_nudges
        else:
            e = b.examples[member - 1]
            weights, biases = [l.weight_nudges for l in e.layers], [l.bias_nudges for l in e.layers]
        self._view(self.network, matrices=weights, arrows=[*biases])
        self._set_images(weights[0])
        average = np.concatenate([w.ravel() for w in b.weight_nudges])
        agreement = [float(np.dot(v, average) / (np.linalg.norm(v) * np.linalg.norm(average) or 1.0))
                     for v in (np.concatenate([l.weight_nudges.ravel() for l in e.layers]) for e in b.examples)]
        labels = ", ".join(self._name(e.label) for e in b.examples)
        shown = "their <b>average</b>" if member == 0 else f"example {member} alone (a {self._name(b.examples[member - 1].label)})"
        self.text.setText(
            f"One example pulls the network towards itself only. Stochastic gradient descent takes a mini-batch "
            f"— here {len(b.examples)} examples: {labels} — and steps by the <b>average</b> of their nudges. "
            f"Showing {shown}.<br><br>How much each example's wish points the way of the average (cosine): "
            + ", ".join(f"{c:.2f}" for c in agreement)
            + f".<br>No example asks exactly for the average step; mean cost of the mini-batch {b.cost:.4f}.")

    # -- helpers -------------------------------------------------------------------------------------

    def _view(self, network: Network, weights: bool = False, matrices=None, arrows=(), forward_network=None) -> None:
        self.view.show_edge_values(network.weights if weights else matrices)
        source = forward_network or self.network
        forward = source.forward(self.nudges.x)
        self.view.show_forward(forward, int(forward.output[0].argmax()), self.nudges.label)
        self.view.neurons.set_arrows(list(arrows))

    def _default_neuron(self, s: Step) -> int:
        layer = self.nudges.layer(s.layer)
        if s.kind == "edges":
            return int(np.argmax(np.abs(layer.bias_nudges)))
        if s.layer == len(self.network.sizes) - 1:
            return self.nudges.label
        return int(np.argmax(np.abs(layer.activation_nudges)))

    def _name(self, k: int) -> str:
        return self.class_names[k] if k < len(self.class_names) else str(k)

    def _make_images(self) -> None:
        self.images.clear()
        self._image_items = []
        n = min(self.network.sizes[1], MAX_IMAGES)
        side = int(np.sqrt(self.network.sizes[0]))
        self._image_shape = (side, side) if side * side == self.network.sizes[0] else (1, self.network.sizes[0])
        columns = int(np.ceil(np.sqrt(n)))
        for i in range(n):
            box = self.images.addViewBox(row=i // columns, col=i % columns, lockAspect=True, invertY=True,
                                         enableMouse=False, enableMenu=False)
            box.setBorder(pg.mkPen(theme.mix(theme.BACKGROUND, theme.TEXT, 0.25)))
            item = pg.ImageItem(axisOrder="row-major")
            item.setLookupTable(theme.diverging_lookup_table())
            box.addItem(item)
            self._image_items.append(item)

    def _set_images(self, nudges: np.ndarray) -> None:
        limit = float(np.max(np.abs(nudges))) or 1.0
        for item, row in zip(self._image_items, nudges):
            item.setImage(row.reshape(self._image_shape), autoLevels=False, levels=(-limit, limit))

    def stop(self) -> None:
        """Stop playing and take the arrows off the network view (the window takes the view back)."""
        self.play_button.setChecked(False)
        self.view.neurons.set_arrows([])

    def _on_play(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            self._timer.start()
        else:
            self._timer.stop()

    def _on_tick(self) -> None:
        self.next()

    def _on_apply(self) -> None:
        if self.step.kind == "batch":
            stepped = apply_nudges(self.network, self.batch.weight_nudges, self.batch.bias_nudges,
                                   self.nudges.x, self.nudges.label).network
        else:
            stepped = self.result.network
        self.applied.emit(stepped)
