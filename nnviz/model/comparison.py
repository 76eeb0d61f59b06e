"""A second run shown beside the first: its network follows the same time cursor (by epoch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.history import RunHistory
from ..core.network import Network


@dataclass
class Comparison:
    """The other run: ``network`` holds its parameters at the cursor's epoch; ``final`` its own.
    ``show_difference``: the first run's picture shows its weights minus the other's."""

    name: str
    network: Network
    history: RunHistory
    final: np.ndarray
    show_difference: bool = False

    @classmethod
    def of(cls, name: str, network: Network, history: RunHistory) -> Comparison:
        return cls(name, network.copy(), history, network.params.copy())

    def follow(self, position: float) -> None:
        """Show the other run at ``position`` (epochs): its last checkpoint at or before it, or
        its network as saved once ``position`` is past its record."""
        h = self.history
        if not len(h) or position >= h.end:
            self.network.params[:] = self.final
        else:
            self.network.params[:] = h.parameters(h.index_at(position))

    def comparable(self, network: Network) -> bool:
        """Whether ``network``'s weights and the other's can be subtracted."""
        return network.sizes == self.network.sizes

    def difference(self, network: Network) -> list[np.ndarray] | None:
        """``network``'s weights minus the other's, layer by layer (None when their shapes differ)."""
        if not self.comparable(network):
            return None
        return [a - b for a, b in zip(network.weights, self.network.weights)]
