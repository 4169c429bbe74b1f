"""People under court supervision, their case files, measures, obligations and proofs."""
