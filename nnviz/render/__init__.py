"""Drawing maths without Qt: where neurons and edges go, their colours, and a raster of the edges.

``geometry`` lays the network out and sorts its edges into colour bins; ``palette`` holds the
colours those bins get; ``raster`` turns binned edges into an image with NumPy, which the Qt side
shows without copying.
"""
