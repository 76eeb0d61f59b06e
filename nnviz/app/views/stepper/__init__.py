"""Backpropagation as a lesson, on screen: the stepper panel (``panel``); its pages, texts and
questions are Qt-free (``nnviz.lessons``)."""

from .panel import StepperPanel

__all__ = ["StepperPanel"]
