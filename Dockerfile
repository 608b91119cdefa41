# rolebot: Slack and Microsoft Teams assistant. Build: docker build -t rolebot .
# Run:   docker run -d --name rolebot -p 3000:3000 -v rolebot-data:/data --env-file rolebot.env rolebot
#        (the command after the image name is the serve target: all | slack | teams; default all)
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
# A wheel, so the runtime image holds no sources or build tools.
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ROLEBOT_DB=/data/rolebot.db \
    ROLEBOT_LOG_FORMAT=json \
    PORT=3000
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels \
    && groupadd --system --gid 10001 rolebot \
    && useradd --system --uid 10001 --gid rolebot --home-dir /data --shell /usr/sbin/nologin rolebot \
    && mkdir -p /data && chown rolebot:rolebot /data
# The SQLite database (and its WAL files) live here: mount a volume so they outlive the container.
VOLUME ["/data"]
# numeric, so the host and Kubernetes (runAsNonRoot) can tell it is not root
USER 10001:10001
WORKDIR /data
# One port: `serve all` answers Slack and Teams on $PORT (so do `serve slack` and `serve teams` here).
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
# exec form: rolebot is PID 1 and gets SIGTERM directly on `docker stop`.
ENTRYPOINT ["rolebot", "serve"]
CMD ["all"]
