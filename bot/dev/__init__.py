"""Development tools, imported by no feature: the Bot API double, its harness, `chat`, `demo`."""
