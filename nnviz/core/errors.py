"""The errors a user can cause, each with a message written for that user.

Everything nnviz raises on purpose derives from ``NnvizError``, so that the command line
and the window can show the message and carry on, while a genuine bug still surfaces as a
traceback.
"""


class NnvizError(Exception):
    """A problem the user can act on; ``str(error)`` is the whole explanation."""


class DatasetError(NnvizError):
    """A dataset file or folder is missing, corrupt, or not in the IDX layout."""


class NetworkFileError(NnvizError):
    """A network file cannot be read, or does not describe a valid network."""


class ShapeError(NnvizError, ValueError):
    """Arrays whose shapes do not fit the network they are given to."""


class TrainingDiverged(NnvizError):
    """The cost or a parameter became NaN or infinite; the network was restored."""
