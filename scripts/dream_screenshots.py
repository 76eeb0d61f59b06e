"""What the network sees, for README, taken from the window (offscreen, 1600x1000, the bundled
network, the tabs below the network dragged a little taller): python scripts/dream_screenshots.py [OUT]

docs/dreams.png           What the network sees › What each digit looks like: the ten output dreams
docs/fooled-two.png       What the network sees › Fool it: test example 2 (a 2) changed until it reads 7
docs/static.png           What the network sees › Static it reads as digits
docs/neuron-dream.png     Neuron › What excites it, for neuron 5 of hidden layer 1
docs/edges-and-loops.png  Help › Edges and loops?: the page that puts the article's hope to the test
"""

from __future__ import annotations

import sys

from shots import application, fresh_window, out_folder, wait  # first: it chooses offscreen Qt

from nnviz.app.views.dreams import SMOOTHING  # noqa: E402
from nnviz.core.dreams import DreamSettings  # noqa: E402

#: The window's centre split between the network and the tabs below it, in pixels.
SPLIT = (560, 330)


def finished(window) -> None:
    """Until what the window finds in slices (dreams, foolings) has been found and drawn."""
    wait(0.3)
    while window.finding():
        wait(0.1)
    wait(0.3)


def main() -> int:
    out = out_folder()
    _app = application()  # noqa: F841 - kept alive
    window = fresh_window()
    window.centre.setSizes(list(SPLIT))
    window.model.go_to(1, "test")  # test example 2, a 2
    page = window.seeing_page
    window.bottom.setCurrentWidget(window.seeing_tab)
    finished(window)
    window.bottom.grab().save(str(out / "dreams.png"))

    page.pages.setCurrentIndex(2)
    finished(window)
    window.bottom.grab().save(str(out / "static.png"))

    page.pages.setCurrentIndex(1)
    window.model.seeing.fool(7)
    finished(window)
    window.bottom.grab().save(str(out / "fooled-two.png"))

    window.picture.inspect(1, 4)
    window.model.seeing.dream_neuron(DreamSettings(smoothness=SMOOTHING[1][1]), False)  # "a little smoothing"
    window.neuron_panel.pages.setCurrentWidget(window.neuron_dream_page)
    finished(window)
    window.bottom.grab().save(str(out / "neuron-dream.png"))

    window.actions["edges_and_loops"].trigger()
    dialog = window.edges_and_loops.dialog
    dialog.resize(1100, 700)
    finished(window)
    dialog.grab().save(str(out / "edges-and-loops.png"))
    dialog.close()
    window.model.set_dirty(False)
    window.close()
    print(f"wrote dreams, static, fooled-two, neuron-dream and edges-and-loops PNGs in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
