"""Moved to ``nnviz.model.browsing`` (the browse filters are the model's state); kept as an alias."""

from ..model.browsing import Filters, candidates, step_to  # noqa: F401
