"""Exported animations draw the network as the window does: the same view, the window's share of
input edges, the same thinning of crowded layers, said on the frame too."""

from __future__ import annotations

import numpy as np

from nnviz.app.export import frames
from nnviz.app.export.animation_dialog import AnimationRequest
from nnviz.core.history import RunHistory
from nnviz.core.network import Network


def two_checkpoints(network: Network) -> RunHistory:
    history = RunHistory()
    history.record_checkpoint(0.0, network.params * 0.5)
    history.record_checkpoint(1.0, network.params)
    return history


def test_a_frame_draws_the_input_edges_the_window_draws(qapp, mnist):
    network = Network(seed=0)
    for fraction, drawn in ((1.0, 784 * 16), (0.25, 784 * 4)):
        renderer = frames.RunFrames(network, two_checkpoints(network), mnist, frames.Example("test", 0),
                                    size=(640, 360), edge_fraction=fraction)
        try:
            renderer.render(1)
            assert renderer.view.last_bins.drawn == drawn + 16 * 16 + 16 * 10
        finally:
            renderer.close()
            renderer.deleteLater()


def test_a_wide_networks_frame_is_thinned_as_the_window_is_and_says_so(qapp, mnist):
    network = Network((784, 256, 256, 10), seed=0)
    renderer = frames.RunFrames(network, two_checkpoints(network), mnist, frames.Example("test", 0), size=(1280, 720))
    try:
        frame = renderer.render(1)
        view = renderer.view
        assert view.thinning.thinned([0.25, 1.0, 1.0]) == [1, 2] and view.thinning_note.isVisible()
        # the note is in the frame: its corner of the view is not the picture's background there
        corner = view.thinning_note.geometry()
        origin = view.viewport().mapTo(renderer, corner.topLeft())
        patch = frame[origin.y() + 2:origin.y() + corner.height() - 2, origin.x() + 4:origin.x() + corner.width() - 4]
        assert patch.size and np.ptp(patch.reshape(-1, 3), axis=0).max() > 60  # text in it
    finally:
        renderer.close()
        renderer.deleteLater()


def test_the_window_hands_its_edge_share_to_the_animation(window, tmp_path, monkeypatch):
    asked = {}
    monkeypatch.setattr(frames, "export_timeline", lambda *args, **kwargs: asked.update(kwargs))
    window.model.set_edge_fraction(0.6)
    window.export.export_animation(tmp_path / "run.gif", AnimationRequest())
    assert asked["edge_fraction"] == 0.6
