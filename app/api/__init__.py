"""The HTTP server (`kestrel serve`): FastAPI routes over the services, the webhook
receivers and the customers' tracking page. No business rules here (DESIGN.md)."""
