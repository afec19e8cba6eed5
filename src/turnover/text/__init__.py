"""Words shown to readers: country and reporter names, labels, number and date formats."""
