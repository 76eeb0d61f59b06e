"""The desktop app: the only part of nnviz that imports Qt."""
