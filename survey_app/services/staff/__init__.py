"""Staff accounts and the audit log of what they do."""
