"""Printing: one document model, several renderers (ESC/POS, ZPL, PDF), several transports.

Qt-free, like the services: the GUI, the CLI, the queue worker and the tests all use it.
"""
