"""The warehouse: which warehouse fills an order, waves and picking, packing, shipping,
returns, and the bench's queues."""
