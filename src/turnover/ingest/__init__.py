"""From files and APIs to one validated panel.

``manifest`` (checksums of bundled files), ``bundled`` (bundled series through a loader per format
in ``formats``), ``official`` (figures quoted in releases), ``facts`` (context facts), ``live``
(UN Comtrade, IMF, WITS: fetched to raw snapshots, parsed from them), ``releases`` (when a figure
became public), ``primary`` and ``attribution`` (flags on the stacked rows), ``panel`` (the schema
and the stacking), ``frame`` (long rows into panel rows).
"""
