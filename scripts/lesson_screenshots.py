"""The stepper's lesson views for README, from the real app at 1280x720, offscreen:
python scripts/lesson_screenshots.py [OUT]

docs/step-wants.png       what the output layer wants: an arrow on each output, on a "2"
docs/step-chain.png       the chain in the output layer (∂C/∂a × σ′(z) = δ), its edges thick by their nudge
docs/step-ask.png         Ask me first: a question before the reveal, the neurons it names circled
docs/step-mini-batch.png  the mini-batch: each example's nudge to one weight, and their average
docs/step-apply.png       the step page after Apply ×10: the example's cost falling, and the landscape
docs/landscape.png        the Landscape tab after some training: the slice with the path of the last snapshots
                          (at 1500x950: the tab needs the room)
"""

from __future__ import annotations

import sys

from shots import application, fresh_window, out_folder, partly_trained, save, settle, wait  # first: it chooses offscreen Qt

SIZE = (1280, 720)
LANDSCAPE_SIZE = (1500, 950)


def page(lesson, kind: str, layer: int | None = None) -> int:
    return next(i for i, p in enumerate(lesson.pages) if p.kind == kind and (layer is None or p.layer == layer))


def main() -> int:
    out = out_folder()
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window(size=LANDSCAPE_SIZE)
    partly_trained(window)  # still learning, so the nudges are big
    window.bottom.setCurrentWidget(window.landscape_view)
    settle(window.landscape_view)
    save(window, out / "landscape.png")
    window.bottom.setCurrentWidget(window.plots)
    window.resize(*SIZE)

    window.controls.learning_rate.setValue(0.5)
    window.model.go_to(1)  # a 2, as in the article
    window.lesson.start()
    lesson, panel = window.model.lesson, window.stepper
    for name, kind, layer in (("step-wants", "wants", 3), ("step-chain", "edges", 3)):
        lesson.go(page(lesson, kind, layer))
        wait(0.2)
        save(window, out / f"{name}.png")
    lesson.set_quiz(True)
    lesson.go(page(lesson, "wants", 2))
    wait(0.2)
    save(window, out / "step-ask.png")
    lesson.set_quiz(False)
    lesson.go(page(lesson, "batch"))
    wait(0.2)
    save(window, out / "step-mini-batch.png")
    lesson.go(page(lesson, "step"))
    window.lesson.apply_repeatedly()
    settle(panel.explanation.landscape)
    bar = panel.scroll.verticalScrollBar()
    bar.setValue(panel.explanation.bars.y() - 8)  # the cost falling, and the landscape below it
    wait(0.2)
    save(window, out / "step-apply.png")
    window.lesson.undo()
    window.lesson.stop()
    window.model.set_dirty(False)
    window.close()
    print(f"wrote landscape, step-wants, step-chain, step-ask, step-mini-batch and step-apply PNGs in {out} "
          f"({SIZE[0]}x{SIZE[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
