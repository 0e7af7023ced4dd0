# syntax=docker/dockerfile:1
# The app image: uvicorn serving Django + Strawberry. Two stages: wheels are built in the first,
# the second installs them into a slim image without compilers, caches or the wheels themselves.
#   docker build -t videoplatform-app .                    # production
#   docker build -t videoplatform-app:dev --build-arg DEV=true .   # with the [dev] extras

# Keep the Python version in step with CI's oldest (pyproject: requires-python >= 3.11).
FROM python:3.11.14-slim-bookworm AS build

# true: also install the [dev] extras (tests, linters) for development and CI.
ARG DEV=false

ENV PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
# Only the metadata: the dependency layer is rebuilt when pyproject.toml changes, not the code.
COPY pyproject.toml README.md ./
RUN extras=""; if [ "$DEV" = "true" ]; then extras="[dev]"; fi \
    && pip wheel --no-cache-dir --wheel-dir /wheels ".${extras}" \
    && rm -f /wheels/videoplatform-*.whl


FROM python:3.11.14-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=project.settings \
    STATIC_ROOT=/vol/static \
    MEDIA_ROOT=/vol/media \
    HOST=0.0.0.0 \
    PORT=8000

# An unprivileged user; it owns only the volumes it writes (static files, uploads).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app \
    && mkdir -p /vol/static /vol/media \
    && chown app:app /vol/static /vol/media

# The wheels are mounted from the build stage, not copied: they never become a layer.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m venv "$VIRTUAL_ENV" \
    && "$VIRTUAL_ENV/bin/pip" install --no-cache-dir --no-index /wheels/*.whl

WORKDIR /app
# The code belongs to root: the app user can read it, not change it.
COPY . .

USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]

# wait_for_db, migrate, collectstatic, createcachetable, then uvicorn (see scripts/run.sh).
CMD ["scripts/run.sh"]
