"""The lessons nnviz walks a learner through, as plain Python (no Qt): backpropagation's pages
and their texts (``pages``), the questions asked before a reveal (``quiz``), and what applying a
step did to the real network (``applying``)."""
