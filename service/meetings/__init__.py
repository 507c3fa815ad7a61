"""Meeting requests: an institution asks another to meet; the other accepts or declines."""
