"""Backpropagation as a lesson: the stepper panel (``panel``), its texts (``pages``, no Qt), Ask me first (``quiz``)."""

from .pages import Kind, Page, plan
from .panel import StepperPanel

__all__ = ["Kind", "Page", "StepperPanel", "plan"]
