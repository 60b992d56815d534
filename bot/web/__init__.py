"""Webhook deployment: the ASGI app (updates, /healthz, /metrics) and its server."""
