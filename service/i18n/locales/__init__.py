"""Message catalogues of the web interface, one module per language."""
