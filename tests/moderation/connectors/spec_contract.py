"""Checks of what connectors send, and what the emulator answers, against the platforms' own
published definitions in `specs/` (copied verbatim from the repositories in `specs/SOURCES.csv`).

Each checker takes a request as it went on the wire (`SentRequest`, recorded by `HttpClient`)
with the emulator's prefix removed, finds the operation in the definition and returns a list of
readable mismatches (empty when it conforms). One module per kind of definition:

- `spec_openapi.OpenApi` (X's OpenAPI 3.0, the community Mastodon OpenAPI 3.1): path template,
  method, unknown/required query parameters, values against their schemas (enum, minimum,
  maximum), the JSON body against the request schema, and a response body against the response
  schema.
- `spec_discovery.Discovery` (YouTube's discovery document): the same, with discovery's parameter
  and schema shapes; unknown body fields are refused.
- `spec_lexicons.Lexicons` (AT Protocol): `/xrpc/<nsid>` query parameters or procedure input,
  outputs, and a record written with `createRecord`/`putRecord` against its collection's record
  definition.
- `spec_meta.GraphNodes` (Meta's Business SDK codegen specs): `METHOD /{node}/{edge}` against the
  node's `apis`, parameters and their enums, requested `fields` against the returned node's
  fields; `spec_meta.Postman` (Meta's Threads collection): method and path against a published
  request, query keys against the keys that request uses.

This module holds what they share: reading a definition, taking a recorded request apart, and
checking a value against a JSON schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

from moderation.connectors.http import SentRequest

SPECS = Path(__file__).parent / "specs"


def load(relative: str) -> Any:
    return json.loads((SPECS / relative).read_text(encoding="utf-8"))


def split(request: SentRequest, prefix: str) -> tuple[str, dict[str, list[str]], Any]:
    """(path after the emulator's prefix, query, body as JSON or form) of a recorded request."""
    parts = urlsplit(request.url)
    path = parts.path.removeprefix(urlsplit(prefix).path)
    query = parse_qs(parts.query, keep_blank_values=True)
    content_type = request.headers.get("Content-Type", "")
    body: Any = None
    if request.body and "json" in content_type:
        body = request.json()
    elif request.body:
        body = {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}
    return path, query, body


def schema_errors(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> list[str]:
    wrapped = {**schema, "components": root.get("components", {})}
    validator = jsonschema.Draft202012Validator(wrapped)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message[:200]}"
        for error in validator.iter_errors(value)
    ]


def coerce(value: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    if kind == "array":
        return value.split(",")
    return value
