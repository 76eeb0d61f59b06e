"""The backpropagation lesson as plain state (no Qt): everything the stepper shows, and a method for
everything a learner does in it.

A ``Lesson`` walks one example through backpropagation on a *copy* of the network, so that
nothing it does disturbs a training run. Every change goes through a method that fires one
event after the change (``lesson.events.<name>``, handlers get the new value); views read the
rest from its properties: the page's title and text, the question, the network picture
(``picture``, a ``LessonPicture``), and which controls make sense on this page.

Apply, Apply ×10 and Undo do not change the network themselves: they *return* the parameters
the window should give the real network (through its model and its one undo history), and the
window then calls ``continue_from(network)`` with the network as it now is.

The mini-batch: the example on show (member 1, ``example_member``) and ``batch_size - 1`` examples of
the training split fixed by ``seed`` (``batch_others``). A test image or a drawing among them is the
lesson's liberty, and the mini-batch page says so: training learns from training examples only.
"""

from __future__ import annotations

import numpy as np

from ..core.data import Dataset
from ..core.errors import ShapeError
from ..core.naming import shown
from ..core.network import Network
from ..core.nudges import BatchNudges, ExampleNudges, Parameter, StepResult, Wiggle, apply_nudges
from ..model.events import EventGroup
from . import lesson_texts
from .applying import ApplyRecord, Applying
from .asking import Asking, ask
from .computed import Computed
from .examples import SAMPLE_SIZE, LessonExample, choose_batch, choose_sample  # noqa: F401 (a lesson's parts)
from .pages import Kind, Page, walk
from .numbers import Scale
from .quiz import Question, QuestionKind, kind_for
from .picture import LessonPicture, picture_of
from .wiggling import Wiggling

EVENTS = (
    "target",         # the target digit was chosen: every number changed
    "cost",           # judged by its own cost or by cross-entropy the book's way
    "learning_rate",  # η changed: every nudge changed
    "page",           # another page (its index)
    "followed",       # the neuron followed in a layer: (layer, k)
    "member",         # the mini-batch member on show (0: the average)
    "quiz",           # Ask me first turned on or off, or a question answered
    "parameter",      # the wiggled parameter or ε changed
    "network",        # the lesson continues from another network (after Apply, Undo, or a change outside)
    "playing",        # Play started or stopped
)
REPEATS = 10


class Lesson:
    """Backpropagation for ``example`` on a copy of ``network``, with η ``learning_rate``; the
    mini-batch (``batch_size`` examples) and the 1,000-example sample come from ``dataset``'s
    training split, drawn with ``seed``. Raises ShapeError when the network does not fit the dataset.
    """

    def __init__(self, network: Network, dataset: Dataset, example: LessonExample, learning_rate: float,
                 batch_size: int = 10, seed: int = 0):
        misfit = dataset.misfit(network.sizes)
        if misfit:
            raise ShapeError(misfit)
        self.events = EventGroup(*EVENTS)
        self.class_names = tuple(dataset.class_names)
        self.image_shape = tuple(dataset.image_shape)
        self.train = dataset.train
        self.example = example
        self._network = network.copy()
        self._target = example.label
        self._cross_entropy = False
        self._eta = float(learning_rate)
        rng = np.random.default_rng(seed)
        self.batch_others = choose_batch(example, len(self.train), batch_size, rng)
        self.example_member = 1
        self.batch_size = 1 + len(self.batch_others)
        self.sample_indices = choose_sample(len(self.train), rng)
        self._sample: tuple[np.ndarray, np.ndarray] | None = None
        self.n_layers = len(network.sizes) - 1
        self.pages: list[Page] = walk(self.n_layers)
        self._index = 0
        self._chosen: dict[int, int] = {}
        self._member = 0
        self._asking = Asking()
        self._applying = Applying()
        self._wiggling = Wiggling()
        self._playing = False
        #: Varies which output the first question asks about, from one example to the next.
        self.variant = seed + (example.index or 0)
        self._compute()

    # -- what it holds ---------------------------------------------------------------------------------

    @property
    def network(self) -> Network:
        """The copy being explained (judged by its own cost)."""
        return self._network

    @property
    def judged(self) -> Network:
        """The same parameters, judged by the cost the lesson shows: its own, or the book's cross-entropy."""
        return self._network if self.computed is None else self.computed.judged

    @property
    def nudges(self) -> ExampleNudges | None:
        """The example's nudges under the cost shown (None until a drawing's target is chosen)."""
        return None if self.computed is None else self.computed.nudges

    @property
    def result(self) -> StepResult | None:
        """The example's step on a copy: its cost and outputs before and after."""
        return None if self.computed is None else self.computed.result

    @property
    def batch(self) -> BatchNudges | None:
        return None if self.computed is None else self.computed.batch

    @property
    def target(self) -> int | None:
        return self._target

    @property
    def needs_target(self) -> bool:
        """A drawing's target is not chosen yet: nothing can be computed."""
        return self._target is None

    @property
    def learning_rate(self) -> float:
        return self._eta

    @property
    def cross_entropy(self) -> bool:
        """Judged by cross-entropy on the same sigmoid outputs (Nielsen, chapter 3)."""
        return self._cross_entropy

    @property
    def cross_entropy_available(self) -> bool:
        """Only a squared-error network can be judged the book's way (a softmax one is cross-entropy already)."""
        return self._network.cost.name == "mse"

    @property
    def index(self) -> int:
        return self._index

    @property
    def page(self) -> Page:
        return self.pages[self._index]

    @property
    def member(self) -> int:
        return self._member

    @property
    def quiz(self) -> bool:
        return self._asking.on

    @property
    def score(self) -> tuple[int, int]:
        """(right, asked) over the whole walk."""
        return self._asking.right, self._asking.asked

    @property
    def playing(self) -> bool:
        """Play is on: the walk turns its pages by itself (``tick``)."""
        return self._playing

    @property
    def record(self) -> ApplyRecord:
        """What Apply, Apply ×10 and Undo did."""
        return self._applying.record

    @property
    def epsilon(self) -> float:
        return self._wiggling.epsilon

    def sample(self) -> tuple[np.ndarray, np.ndarray]:
        """The fixed sample of the training set: inputs (n, n_0) and labels (n,)."""
        if self._sample is None:  # converted once: 3 MB, read at every Apply
            self._sample = self.train.inputs(self.sample_indices, self._network.dtype), self.train.labels[self.sample_indices]
        return self._sample

    # -- numbers, for the current state -----------------------------------------------------------------

    def _compute(self) -> None:
        self._asking.forget_questions()
        self._wiggling.forget()
        self.computed: Computed | None = None if self._target is None else Computed(
            self._network, self._cross_entropy, self.example.x, self._target, self._eta, *self.batch_examples())

    def batch_examples(self) -> tuple[np.ndarray, np.ndarray]:
        """The mini-batch's inputs (batch_size, n_0) and labels (batch_size,): the example on show
        first, with its own label (a drawing: its target), then the training examples."""
        dtype = self._network.dtype
        first = self.example.label if self.example.label is not None else self._target
        inputs = np.concatenate([np.asarray(self.example.x, dtype)[None], self.train.inputs(self.batch_others, dtype)])
        return inputs, np.concatenate([[first], self.train.labels[self.batch_others]]).astype(np.int64)

    @property
    def scale(self) -> Scale:
        """The page's common scale for its small numbers, in its text, its question and its legend."""
        return lesson_texts.scale_of(self)

    def followed(self, layer: int) -> int | None:
        """The neuron of ``layer`` the pages follow: the learner's choice, else the one with the biggest wish.

        While the question "which neuron wants to change the most" waits on that layer, the default
        is instead the first neuron the question does not offer, so that nothing gives it away.
        """
        if layer in self._chosen or self.nudges is None:
            return self._chosen.get(layer)
        hidden = self._hidden_default(layer)
        if hidden is not None:
            return hidden
        return int(np.argmax(np.abs(self.nudges.layer(layer).activation_nudges)))

    def _hidden_default(self, layer: int) -> int | None:
        if not self.quiz or self.nudges is None:
            return None
        i = next((i for i, p in enumerate(self.pages) if p.kind is Kind.WANTS and p.layer == layer), None)
        if i is None or i in self._asking.answers or kind_for(self.pages[i], self.n_layers) is not QuestionKind.BIGGEST_WISH:
            return None
        offered = {k for l, k in self._question_at(i).about if l == layer}
        return min(set(range(self._network.sizes[layer])) - offered, default=0)

    def chose(self, layer: int) -> bool:
        """Whether the learner chose the followed neuron of ``layer`` (else it is the default)."""
        return layer in self._chosen

    @property
    def follow_layer(self) -> int | None:
        """The layer whose neuron the Follow box chooses on this page (None: the box means nothing here)."""
        return self.page.layer if self.page.kind in (Kind.WANTS, Kind.EDGES) else 1 if self.page.kind is Kind.INPUT else None

    def neuron_names(self, layer: int) -> tuple[str, ...]:
        """What the Follow box lists for ``layer``: hidden neurons counted from 1, outputs by their class."""
        if layer == self.n_layers:
            return self.class_names
        return tuple(str(shown(k)) for k in range(self._network.sizes[layer]))

    @property
    def parameter(self) -> Parameter | None:
        """The weight or bias the page's numbers follow (Wiggle it, the mini-batch's table): the
        learner's pick, else the weight into the followed neuron from the brightest before it."""
        return None if self.nudges is None else self._wiggling.parameter(self.page, self.nudges, self.followed)

    @property
    def wiggle(self) -> Wiggle | None:
        """On a chain page, ``parameter`` changed by ±ε alone, its slope beside its gradient; else None."""
        if self.nudges is None or self.page.kind is not Kind.EDGES or self.waiting:
            return None
        return self._wiggling.wiggle(self.judged, self.example.x, self._target, self.parameter)

    # -- the quiz --------------------------------------------------------------------------------------

    def _question_at(self, i: int) -> Question | None:
        return self._asking.question(i, lambda: ask(self, self.pages[i]))

    @property
    def question(self) -> Question | None:
        """The page's question when Ask me first is on (answered or not), else None."""
        if not self.quiz or self.nudges is None:
            return None
        return self._question_at(self._index)

    @property
    def waiting(self) -> bool:
        """A question waits for its answer: the page's numbers and the picture's nudges stay hidden."""
        return self.question is not None and self._index not in self._asking.answers

    @property
    def verdict(self) -> str | None:
        """The reveal of the page's answered question: right or not, and why."""
        q = self.question
        return None if q is None or self._index not in self._asking.answers else q.verdict(self._asking.answers[self._index])

    # -- what the controls may do here ---------------------------------------------------------------------

    @property
    def can_go_back(self) -> bool:
        return not self.needs_target and self._index > 0

    @property
    def can_go_next(self) -> bool:
        return not self.needs_target and self._index < len(self.pages) - 1

    @property
    def can_apply(self) -> bool:
        # Another cost's step is shown, never applied: the network is trained by its own.
        return not self.needs_target and not self._cross_entropy and self.page.kind in (Kind.STEP, Kind.BATCH)

    @property
    def can_apply_repeatedly(self) -> bool:
        return self.can_apply and self.page.kind is Kind.STEP

    @property
    def can_undo(self) -> bool:
        return self._applying.record.can_undo

    # -- what it says and draws -------------------------------------------------------------------------

    @property
    def picture(self) -> LessonPicture | None:
        return picture_of(self)

    @property
    def title(self) -> str:
        return lesson_texts.title_of(self)

    @property
    def text(self) -> str:
        return lesson_texts.text_of(self)

    @property
    def wiggle_text(self) -> str | None:
        return lesson_texts.wiggle_text_of(self)

    @property
    def targets_text(self) -> str:
        return lesson_texts.targets_text_of(self)

    @property
    def score_text(self) -> str:
        return lesson_texts.score_text_of(self)

    def follow_note(self, layer: int) -> str:
        return lesson_texts.follow_note_of(self, layer)

    # -- intents ---------------------------------------------------------------------------------------

    def go(self, index: int) -> None:
        if self.needs_target:
            return
        index = int(np.clip(index, 0, len(self.pages) - 1))
        if index != self._index:
            self._index = index
            self.events.page.emit(index)

    def next(self) -> None:
        self.go(self._index + 1)

    def back(self) -> None:
        self.go(self._index - 1)

    def set_playing(self, on: bool) -> None:
        on = bool(on) and self.can_go_next
        if on != self._playing:
            self._playing = on
            self.events.playing.emit(on)

    def tick(self) -> None:
        """One beat of Play: the next page, unless a question waits for its answer; Play stops on the last page."""
        if not self._playing or self.waiting:
            return
        self.next()
        if not self.can_go_next:
            self.set_playing(False)

    def follow(self, layer: int, k: int) -> None:
        """Follow neuron ``k`` (0-based) of ``layer`` (1..L) on every page about that layer."""
        if not 1 <= layer <= self.n_layers or not 0 <= k < self._network.sizes[layer]:
            raise ValueError(f"no neuron {k} in layer {layer} of a {self._network.sizes} network")
        if self._chosen.get(layer) != k:
            self._chosen[layer] = int(k)
            picked = self._wiggling.picked
            if picked is not None and picked.layer == layer and picked.neuron != k:
                self._wiggling.picked = None  # Wiggle it goes with the neuron followed
                self.events.parameter.emit(self.parameter)
            self.events.followed.emit((layer, int(k)))

    def choose_target(self, digit: int) -> None:
        if not 0 <= digit < len(self.class_names):
            raise ValueError(f"no class {digit}: the classes are 0..{len(self.class_names) - 1}")
        if digit != self._target:
            self._target = int(digit)
            self._compute()
            self.events.target.emit(self._target)

    def set_cross_entropy(self, on: bool) -> None:
        if on and not self.cross_entropy_available:
            raise ValueError("this network's outputs are a softmax: it is judged by cross-entropy already")
        if bool(on) != self._cross_entropy:
            self._cross_entropy = bool(on)
            self._compute()
            self.events.cost.emit(self._cross_entropy)

    def toggle_cross_entropy(self) -> None:
        self.set_cross_entropy(not self._cross_entropy)

    def set_learning_rate(self, learning_rate: float) -> None:
        if not learning_rate > 0 or not np.isfinite(learning_rate):
            raise ValueError(f"η must be a positive number, not {learning_rate!r}")
        if learning_rate != self._eta:
            self._eta = float(learning_rate)
            self._compute()
            self.events.learning_rate.emit(self._eta)

    def choose_member(self, member: int) -> None:
        """Show member ``member`` (1..batch size) of the mini-batch alone, or 0 for their average."""
        if not 0 <= member <= self.batch_size:
            raise ValueError(f"the mini-batch has members 1..{self.batch_size} (0: their average), not {member}")
        if member != self._member:
            self._member = int(member)
            self.events.member.emit(self._member)

    def set_quiz(self, on: bool) -> None:
        if bool(on) != self.quiz:
            self._asking.on = bool(on)
            self.events.quiz.emit(self.quiz)

    def answer(self, option: int) -> None:
        """The learner's answer to the waiting question: counted, and the page revealed."""
        q = self.question
        if not self.waiting or not 0 <= option < len(q.options):
            return
        self._asking.answer(self._index, option, q)
        self.events.quiz.emit(self.quiz)

    def pick_parameter(self, parameter: Parameter) -> None:
        """Follow this weight or bias in Wiggle it and in the mini-batch's numbers."""
        self._wiggling.check(parameter, self._network.sizes)
        if parameter != self._wiggling.picked:
            self._wiggling.picked = parameter
            self.events.parameter.emit(parameter)

    @property
    def wiggle_choices(self) -> tuple[str, ...]:
        """What Wiggle it may change on this page (the followed parameter's neuron's bias and weights),
        or () where there is no wiggle."""
        if self.wiggle is None:
            return ()
        return self._wiggling.choices(self.parameter, self._network.sizes, self.class_names)

    @property
    def wiggle_choice(self) -> int:
        """The place of the wiggled parameter among ``wiggle_choices`` (0 where there are none)."""
        return self._wiggling.choice(self.parameter) if self.wiggle is not None else 0

    def choose_wiggle(self, choice: int) -> None:
        """Wiggle choice ``choice`` of ``wiggle_choices`` instead: the neuron's bias or one of its weights."""
        if not 0 <= choice < len(self.wiggle_choices):
            raise ValueError(f"no wiggle choice {choice}: there are {len(self.wiggle_choices)}")
        self.pick_parameter(self._wiggling.chosen(self.parameter, choice))

    def set_epsilon(self, epsilon: float) -> None:
        if not epsilon > 0 or not np.isfinite(epsilon):
            raise ValueError(f"ε must be a positive number, not {epsilon!r}")
        if epsilon != self._wiggling.epsilon:
            self._wiggling.epsilon = float(epsilon)
            self.events.parameter.emit(self.parameter)

    # -- applying: parameters out, then the network back in ----------------------------------------------

    def apply(self) -> np.ndarray:
        """The parameters after the page's step (this example's, or the mini-batch's average), for the
        window to put on the real network; then it calls ``continue_from``."""
        if not self.can_apply:
            raise ValueError("there is no step to apply on this page")
        n = self.nudges
        if self.page.kind is Kind.BATCH:
            batch = apply_nudges(self._network, self.batch.weight_nudges, self.batch.bias_nudges, n.x, n.label)
            return self._applying.step(self._network, batch.network, n.x, n.label, self.sample(), "batch")
        return self._applying.step(self._network, self.result.network, n.x, n.label, self.sample())

    def apply_repeatedly(self, times: int = REPEATS) -> np.ndarray:
        """The parameters after this example's step taken ``times`` times (see ``apply``)."""
        if not self.can_apply_repeatedly:
            raise ValueError("there is no step to repeat on this page")
        return self._applying.repeat(self._network, self.example.x, self._target, self._eta, times, self.sample())

    def undo(self) -> np.ndarray:
        """The parameters the network had before the first Apply, exactly (see ``apply``)."""
        return self._applying.undo()

    def continue_from(self, network: Network) -> None:
        """Go on with ``network``, the real network as the window now has it (after Apply, Undo, or any change)."""
        if network.sizes != self._network.sizes:
            raise ShapeError(f"the lesson explains a {self._network.sizes} network, not a {network.sizes} one")
        self._applying.settle(self._network.params, network.params)
        self._network = network.copy()
        self._compute()
        self.events.network.emit(network)
