# tvet-match API on the embedded SQLite default; set TVETMATCH_DATABASE_URL for PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TVETMATCH_DATA_DIR=/var/lib/tvet-match

WORKDIR /app
COPY pyproject.toml README.md ./
COPY matching ./matching
COPY service ./service
COPY seed ./seed
RUN pip install ".[postgres]" \
    && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin tvetmatch \
    && mkdir -p "$TVETMATCH_DATA_DIR" \
    && chown tvetmatch "$TVETMATCH_DATA_DIR"

USER tvetmatch
VOLUME ["/var/lib/tvet-match"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

CMD ["tvet-match", "serve", "--host", "0.0.0.0", "--port", "8000"]
