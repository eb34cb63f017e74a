"""Chat channels: one conversation engine (bots.engine) and the Telegram and Zalo adapters."""
