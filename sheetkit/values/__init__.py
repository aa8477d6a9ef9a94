"""Value-level helpers shared by stages: how one kind of value is read or spelled.

Each module works on whole pandas Series (one pass per distinct value or character),
never one cell at a time, so it can run on a million rows.
"""
