"""The Cost valley for README, from the real app, offscreen: python scripts/valley_screenshots.py [OUT]

docs/valley-window.png  the window on a 1280x720 screen, the bundled run's valley in the network's
                        place (V), the ball mid-run (epoch 15 of 30)
docs/race.png           SGD against gradient descent from the run's untrained start: both paths on
                        one valley, their cost against examples processed, and why SGD wins
"""

from __future__ import annotations

import sys

from shots import application, fresh_window, out_folder, save, wait  # first: it chooses offscreen Qt

#: The first launch's size on a 1280x720 screen (90% of it).
SMALL_SCREEN = (1152, 648)
#: Where the ball sits: mid-run, where the path bends into the valley's floor.
MID_RUN = 15.0  # epochs: halfway through the bundled run's 30


def until(condition, seconds: float = 120) -> None:
    waited = 0.0
    while not condition() and waited < seconds:
        wait(0.1)
        waited += 0.1
    if not condition():
        raise RuntimeError("the valley was not computed in time")


def main() -> int:
    out = out_folder()
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=SMALL_SCREEN)
    model = window.model

    def computed() -> bool:
        return model.valley is not None and model.valley.complete and model.valley_current() and not window.jobs.busy()

    window.actions["valley_in_front"].trigger()
    until(computed)
    model.move_to_position(MID_RUN)
    wait(0.3)
    save(window, out / "valley-window.png")

    model.move_to(0)  # the untrained start of the run: the race from the top of the valley
    window.valley_panel.valley.race_button.click()
    until(lambda: model.race.valley is not None and model.race.valley.complete and not window.jobs.busy())
    wait(0.3)
    save(window, out / "race.png")
    model.set_dirty(False)
    window.close()
    print(f"wrote valley-window and race PNGs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
