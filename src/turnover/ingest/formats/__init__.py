"""Readers of bundled file formats, one module per format (named by the manifest's ``loader``)."""
