# liaison-bot: slim Python, non-root, compiled translations, migrations applied at start.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/app/data

# Fonts the postcard pictures need: Latin and Cyrillic (DejaVu), Chinese (WenQuanYi Micro Hei).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY bot ./bot
COPY migrations ./migrations
COPY locales ./locales
RUN pip install -e . \
    && pybabel compile -d locales -D messages --statistics \
    && useradd --create-home --uid 10001 liaison \
    && mkdir -p /app/data && chown -R liaison /app/data

USER liaison
# The health check asks the bot's own CLI whether the database answers and is migrated.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run", "--migrate"]
