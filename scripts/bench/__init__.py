"""Throughput and latency of the emulator against moto's server and a minimal app: ``python -m scripts.bench``."""
