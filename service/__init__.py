"""tvet-match web service: institution profiles and reciprocal partner suggestions."""
