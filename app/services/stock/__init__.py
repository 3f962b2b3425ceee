"""Stock: the catalogue and its barcodes, lookup and search, the inventory ledger and its
integrity checks."""
