"""Printing as a business: printers per workstation, the persistent queue, the documents'
data, and the worker that draws and sends queued jobs (renderers and transports are in
app/printing)."""
