"""Managers' pages: reports, the audit log, exports."""

from django.urls import path

from moderation.reports import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/print/", views.reports_print, name="reports_print"),
    path("reports/export.csv", views.reports_export, name="reports_export"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
