"""What every route shares over HTTP: problems, idempotency, entity tags, paging, rate
limits, request ids, logs and metrics, the OpenAPI document and the health probes."""
