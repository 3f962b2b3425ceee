"""Selling: the order lifecycle, the counter, the till, gift cards, store credit, parked
and offline sales, customers."""
