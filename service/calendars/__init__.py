"""An institution's private calendar feed: its workshop meetings and agreed meeting dates."""
