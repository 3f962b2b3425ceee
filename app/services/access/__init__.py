"""Signing in: the use case that checks a password and records it in the audit log, and
the back-off after failed attempts."""
