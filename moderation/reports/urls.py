"""Managers' pages: reports, the audit log, exports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
