"""The Inventory screen family: the catalogue, stock per bin with its history,
adjustments and transfers, the bins of each warehouse, and cycle counts."""
