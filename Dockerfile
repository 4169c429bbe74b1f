# Image for the web server, the Celery worker and Celery beat (one image, three commands).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint's libraries (Pango, HarfBuzz with subsetting) and fonts for the PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
       fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 spip
WORKDIR /app
COPY pyproject.toml README.md ./
COPY spip ./spip
COPY cases ./cases
COPY deadlines ./deadlines
COPY interviews ./interviews
COPY workshops ./workshops
COPY reporting ./reporting
RUN pip install .
COPY . .
# Static files and translations are built into the image; settings need a key to load.
RUN SECRET_KEY=build-only-secret-key-not-used-at-run-time-0123456789 \
    python manage.py compile_translations \
    && SECRET_KEY=build-only-secret-key-not-used-at-run-time-0123456789 \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/.data && chown -R spip:spip /app/.data

USER spip
EXPOSE 8000
CMD ["gunicorn", "spip.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
