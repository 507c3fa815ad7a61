"""Email: a small SMTP sender, configured by ``TVETMATCH_SMTP_*``; none when unset."""
