"""Transports between the bot and Telegram, including a local Bot API double for tests."""
