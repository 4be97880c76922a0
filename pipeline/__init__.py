"""spectrum: offline reports on the direction of behaviours linked to insulin sensitivity."""

__version__ = "0.1.0"
