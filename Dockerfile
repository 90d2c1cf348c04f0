# The image docker-compose.yml runs for web, worker and scheduler.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
# Pinned, hashed dependencies only (README: updating the lock); the project itself adds none.
RUN pip install --no-cache-dir --require-hashes -r requirements.lock \
 && pip install --no-cache-dir --no-deps .
COPY . .
RUN DEBUG=true python manage.py collectstatic --noinput
EXPOSE 8000
