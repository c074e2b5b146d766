# syntax=docker/dockerfile:1
# One image for every process of the production topology (docker-compose.yml):
# `web` runs the default CMD (gunicorn); `worker` and `beat` override it with celery.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=center.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/center/media \
    PRIVATE_MEDIA_ROOT=/var/lib/center/private

# Pango and HarfBuzz for WeasyPrint, a Japanese font for the PDFs, gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/*

# Run as an unprivileged user. /var/lib/center holds the media volumes and beat's schedule;
# creating the mount points here makes fresh named volumes start owned by this user.
RUN groupadd --system center \
    && useradd --system --gid center --home-dir /app --no-create-home --shell /usr/sbin/nologin center \
    && install -d -o center -g center /var/lib/center /var/lib/center/media /var/lib/center/private

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock

# The project, directory by directory: a plain `COPY . .` would also copy .venv, var/ and
# a local .env (secrets) into the image. Add a line here when a new top-level app appears.
COPY manage.py pyproject.toml ./
COPY center ./center
COPY consultations ./consultations
COPY events ./events
COPY networks ./networks
COPY organizations ./organizations
COPY publications ./publications
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Build-time steps under the production settings. The key below only lets the settings load
# (production refuses to start without a long one); it signs nothing and is never used at run
# time, where SECRET_KEY comes from the environment (.env).
RUN SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --noinput -v 0

USER center

EXPOSE 8000

CMD ["gunicorn", "center.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3", "--access-logfile", "-"]
