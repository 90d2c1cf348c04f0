"""Requests and responses checked against an OpenAPI definition (X's OpenAPI 3.0, the community
Mastodon OpenAPI 3.1)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moderation.connectors.http import SentRequest
from tests.moderation.connectors.spec_contract import coerce, load, schema_errors, split


class OpenApi:
    def __init__(
        self,
        relative: str,
        *,
        brackets: bool = False,
        aliases: Mapping[str, str] | None = None,
        allowed: Mapping[str, set[str]] | None = None,
    ) -> None:
        self.doc = load(relative)
        self.brackets = brackets  # Rails-style `types[]` for an array parameter `types`
        # Wire names the definition renames for its SDK (X's v2.167 calls `tweet.fields`
        # `post.fields`; api-specs/README.md): the wire name is checked as the renamed one.
        self.aliases = dict(aliases or {})
        # Parameters whose values are checked against another list than their schema's enum.
        self.allowed = dict(allowed or {})
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
            for template in self.doc["paths"]
        ]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template in self.paths:
            operation = self.doc["paths"][template].get(method.lower())
            if pattern.match(path) and operation is not None:
                return template, operation
        return None

    def _resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            target: Any = self.doc
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def check_request(self, request: SentRequest, prefix: str) -> list[str]:
        path, query, body = split(request, prefix)
        found = self.operation(request.method, path)
        if found is None:
            return [f"{request.method} {path}: no such operation in the definition"]
        template, operation = found
        problems: list[str] = []
        params = {
            p["name"]: p
            for p in map(self._resolve, operation.get("parameters", []))
            if p.get("in") == "query"
        }
        sent = {
            self.aliases.get(k, k.removesuffix("[]") if self.brackets else k): v
            for k, v in query.items()
        }
        for name, values in sent.items():
            param = params.get(name)
            if param is None:
                problems.append(f"{template}: unknown query parameter {name!r}")
                continue
            if name in self.allowed:
                problems += [
                    f"{template} ?{name}: {item!r} is not allowed"
                    for value in values
                    for item in value.split(",")
                    if item not in self.allowed[name]
                ]
                continue
            schema = self._resolve(param.get("schema", {}))
            value = (
                values
                if schema.get("type") == "array" and len(values) > 1
                else coerce(values[0], schema)
            )
            problems += [f"{template} ?{name}: {e}" for e in schema_errors(value, schema, self.doc)]
        for name, param in params.items():
            if param.get("required") and name not in sent:
                problems.append(f"{template}: required query parameter {name!r} missing")
        content = self._resolve(operation.get("requestBody", {})).get("content", {})
        schema = (content.get("application/json") or {}).get("schema")
        if body is not None and schema is None:
            problems.append(f"{template}: a body was sent, the operation takes none")
        if schema is not None and body is not None:
            problems += [f"{template} body {e}" for e in schema_errors(body, schema, self.doc)]
        return problems

    def check_response(
        self, method: str, path: str, status: int, body: Any, *, kind: str = "application/json"
    ) -> list[str]:
        found = self.operation(method, path)
        if found is None:
            return [f"{method} {path}: no such operation"]
        template, operation = found
        responses = operation.get("responses", {})
        response = self._resolve(responses.get(str(status)) or responses.get("default") or {})
        schema = (response.get("content", {}).get(kind) or {}).get("schema")
        if schema is None:
            return [f"{template} {status}: no response schema"]
        return [f"{template} {status} {e}" for e in schema_errors(body, schema, self.doc)]
