"""The settings a person chooses in the window beside the core's ``TrainingOptions`` and
``Architecture``: the speeds training may run at, and how a new network is made."""

from __future__ import annotations

from ..core.network import Network
from ..core.options import Architecture

#: Mini-batches per second the speed slider offers; None is "as fast as possible".
SPEEDS: tuple[float | None, ...] = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, None)
#: At this many mini-batches a second or fewer every nudge is drawn whole; faster, the window's
#: pacer chooses what each snapshot redraws from what redraws have cost.
SLOW_RATE = 25
#: Slow motion trains at most this many mini-batches a second: one step a person can follow.
SLOW_MOTION_RATE = 1


def architecture_of(network: Network, seed: int = 0) -> Architecture:
    return Architecture(tuple(network.sizes[1:-1]), network.activation.name, network.cost.name, seed)


def make_network(architecture: Architecture, n_inputs: int, n_classes: int) -> Network:
    """A new network of ``architecture`` for ``n_inputs`` inputs and ``n_classes`` outputs
    (NnvizError if the sizes are impossible)."""
    a = architecture
    return Network((n_inputs, *a.hidden, n_classes), a.activation, a.cost, seed=a.seed)
