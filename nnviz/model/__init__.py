"""What the window shows, as plain Python state with events: no Qt.

``WindowModel`` holds the network and its run, the time cursor, the example and neuron on show,
the browse filters, the training state, the edits and the lesson; views subscribe to
``model.events.<thing>`` (each event carries its ``Cause``) and controls call the model's
methods. See docs/architecture.md.
"""

from .causes import Cause
from .events import Event, EventGroup
from .window_model import Example, Progress, Reading, Source, TrainingMode, WindowModel

__all__ = ["Cause", "Event", "EventGroup", "Example", "Progress", "Reading", "Source", "TrainingMode", "WindowModel"]
