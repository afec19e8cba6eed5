"""The country table: ISO3 and UN Comtrade codes (``codes``, ``countries.csv``, written by
``build``) and partner names as printed in bundled files (``partner_names``)."""
