"""A labelled test set for issue 4: raw cells with the values a careful clerk writes down.

``cases.py`` holds the answer key (hand-checked tricky cases and seeded generated ones),
``measure.py`` runs the normalise and validate stages on it and scores them per field
(``python -m tests.labelled.measure`` prints the table).
"""
