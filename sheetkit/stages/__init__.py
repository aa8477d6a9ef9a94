"""Pipeline stages: each a pure function of DataFrames (and its slice of the config)."""
