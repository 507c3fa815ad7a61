"""Webhooks: registration, the transactional outbox, signing, delivery and its retries."""
