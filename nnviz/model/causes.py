"""Why the model changed: every event of the model carries one of these."""

from enum import StrEnum


class Cause(StrEnum):
    USER = "user"            # a person's choice: an example, a filter, a setting
    NETWORK = "network"      # another network or dataset
    SNAPSHOT = "snapshot"    # training sent new parameters (a view may redraw these at its own pace)
    TRAINING = "training"    # training started or stopped
    CURSOR = "cursor"        # the time cursor moved to another checkpoint
    EDIT = "edit"            # a what-if edit, or its undo or redo
    STEP = "step"            # a step of the backpropagation lesson applied to the network
    BRANCH = "branch"        # training goes on from an earlier checkpoint
    SAVE = "save"            # the network was saved
