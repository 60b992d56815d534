"""One package per feature, each with models, service, handlers and register(app)."""
