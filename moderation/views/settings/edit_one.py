"""The page that adds or edits one route, reply template or tag: its ModelForm, handed to the
model's audited action, and on success back to the list with what was saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.audit import Actor
from accounts.roles import acting_user
from moderation.configuration.model_forms import EditsOneModel

M = TypeVar("M", bound=models.Model)


def edit_one(
    request: HttpRequest,
    instance: M | None,
    *,
    form_class: type[EditsOneModel],
    save: Callable[[M | None, EditsOneModel, Actor], M],
    refused: type[Exception],
    noun: str,
    page: str,
    back_to: str,
) -> HttpResponse:
    form = form_class(
        request.POST if request.method == "POST" else None,
        instance=instance,
        editing=instance is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:  # through the model's audited action (the instance is None for a new one)
            saved = save(instance, form, acting_user(request))
        except refused as error:
            form.add_error(None, str(error))
        else:
            # str() of each of these models shows direction controls as visible tokens.
            messages.success(request, f"Saved the {noun} “{saved}”.")
            return redirect(back_to)
    return render(
        request,
        page,
        {"nav": "settings", "form": form, noun: instance},
        status=400 if form.errors else 200,
    )
