"""WSGI entry point: `gunicorn smpolicy.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smpolicy.settings")
application = get_wsgi_application()
