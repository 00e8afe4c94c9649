"""AWS JSON 1.1 wire protocol: models, parsing, validation, serialization, SigV4."""
