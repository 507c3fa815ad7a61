"""Saved searches and the alerts they raise when a written profile or opportunity enters one."""
