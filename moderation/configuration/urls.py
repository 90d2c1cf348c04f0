"""Admins' pages: channels, templates, routes, organisation, users, crisis mode, data protection."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
