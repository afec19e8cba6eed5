"""What a run writes and how: atomic publishing, the input key that lets a re-run skip, the change
summary against the last run, and ``reports/verdicts.json``."""
