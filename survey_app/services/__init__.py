"""Services: plain functions with explicit arguments, each owning one transaction, shared by every channel."""
