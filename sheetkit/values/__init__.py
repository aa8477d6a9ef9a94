"""Value-level normalisers: one module per kind of value (phones, e-mails, names, IDs,
addresses, dates, amounts). Each takes a column (a pandas Series of text) and returns
canonical columns; the normalize stage applies them to a sheet's schema fields."""
