"""Customers and suppliers: search ("where is my order"), a customer's detail, edit and
merge; suppliers with their product terms (a tab of the same screen)."""
