# liaison-bot: slim Python, non-root, compiled translations, migrations applied at start.
# Long polling by default; set WEBHOOK_URL and WEBHOOK_SECRET for webhook mode (port 8080).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/app/data \
    LOG_FORMAT=json \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8080

# No system fonts needed: postcards and charts draw with the fonts the package ships
# (bot/data/fonts and matplotlib's DejaVu Sans).

WORKDIR /app
# Dependencies first, so a code change does not reinstall them; every version, the build
# backend's included, comes from requirements.lock (scripts/lock upgrades it).
COPY pyproject.toml README.md requirements.lock ./
RUN pip install -c requirements.lock pip setuptools wheel \
    && mkdir bot && touch bot/__init__.py \
    && pip install -c requirements.lock --no-build-isolation -e . && rm -rf bot build
COPY alembic.ini babel.cfg ./
COPY bot ./bot
COPY migrations ./migrations
COPY locales ./locales
COPY templates ./templates
# The code finds locales/ and migrations/ beside the package, hence the editable install.
RUN pip install --no-deps --no-build-isolation -e . \
    && pybabel compile -d locales -D messages --statistics \
    && useradd --create-home --uid 10001 liaison \
    && mkdir -p /app/data && chown -R liaison /app/data

USER liaison
EXPOSE 8080
# Webhook mode: GET /healthz (database and dispatcher); polling: `python -m bot health`.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.web.healthcheck"]
# SIGTERM (docker stop) finishes in-flight updates and exits 0; give it the time to.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run", "--migrate"]
