"""Institution profiles: storage, the matching index, suggestions, the directory and the seed."""
