"""What the window shows, as plain Python state with events: no Qt.

``WindowModel`` holds the network and its run, the time cursor, the example and neuron on show,
the browse filters and the training state; views subscribe to ``model.events.<thing>`` and
controls call the model's methods. See docs/architecture.md.
"""

from .events import Event, EventGroup
from .window_model import Example, Progress, Source, TrainingMode, WindowModel

__all__ = ["Event", "EventGroup", "Example", "Progress", "Source", "TrainingMode", "WindowModel"]
