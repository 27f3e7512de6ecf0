"""Entity resolution: link the mentions of published records to the subjects they name."""
