"""The lessons nnviz walks a learner through, as plain Python (no Qt): backpropagation as a
``lesson.Lesson`` (its state, one event per change), its pages and their texts (``pages``,
``step_pages``, ``lesson_texts``), the picture of each page as data (``picture``), the questions
asked before a reveal (``quiz``, ``asking``), and what applying a step did to the real network
(``applying``)."""
