"""Files -> validated rows -> batched writes; rejects; the synthetic data generator."""
