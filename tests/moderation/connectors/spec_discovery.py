"""Requests and responses checked against a Google discovery document (YouTube's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from moderation.connectors.http import SentRequest
from tests.moderation.connectors.spec_contract import load, schema_errors, split


class Discovery:
    def __init__(self, relative: str) -> None:
        self.doc = load(relative)
        self.methods: list[dict[str, Any]] = []

        def collect(resources: Mapping[str, Any]) -> None:
            for resource in resources.values():
                self.methods += resource.get("methods", {}).values()
                collect(resource.get("resources", {}))

        collect(self.doc["resources"])

    def method(self, http_method: str, path: str) -> dict[str, Any] | None:
        for method in self.methods:
            if method["httpMethod"] == http_method and "/" + method["path"] == path:
                return method
        return None

    def json_schema(self, name: str, *, closed: bool) -> dict[str, Any]:
        def convert(node: Any) -> Any:
            if isinstance(node, dict):
                out = {
                    k: (
                        {name: convert(sub) for name, sub in v.items()}
                        if k == "properties"
                        else convert(v)
                    )
                    for k, v in node.items()
                    if k not in ("id", "description")
                }
                if "$ref" in node:
                    return {"$ref": f"#/$defs/{node['$ref']}"}
                if node.get("type") == "object" and "properties" in node and closed:
                    out["additionalProperties"] = False
                if node.get("type") == "string" and node.get("format") in ("int64", "uint64"):
                    out.pop("format")
                out.pop("annotations", None)
                out.pop("enumDescriptions", None)
                out.pop("enumDeprecated", None)
                out.pop("readOnly", None)
                return out
            if isinstance(node, list):
                return [convert(v) for v in node]
            return node

        return {
            "$ref": f"#/$defs/{name}",
            "$defs": {key: convert(value) for key, value in self.doc["schemas"].items()},
        }

    def check_request(self, request: SentRequest, prefix: str) -> list[str]:
        path, query, body = split(request, prefix)
        method = self.method(request.method, path)
        if method is None:
            return [f"{request.method} {path}: no such method in the discovery document"]
        problems: list[str] = []
        params = method.get("parameters", {})
        for name, values in query.items():
            param = params.get(name)
            if param is None or param.get("location") != "query":
                problems.append(f"{method['id']}: unknown query parameter {name!r}")
                continue
            for value in values:
                if "enum" in param and value not in param["enum"]:
                    problems.append(f"{method['id']} ?{name}={value}: not in {param['enum']}")
                if param.get("type") == "integer":
                    number = int(value)
                    if "minimum" in param and number < int(param["minimum"]):
                        problems.append(f"{method['id']} ?{name}={value} below minimum")
                    if "maximum" in param and number > int(param["maximum"]):
                        problems.append(f"{method['id']} ?{name}={value} above maximum")
        for name, param in params.items():
            if param.get("required") and name not in query:
                problems.append(f"{method['id']}: required parameter {name!r} missing")
        if body is not None:
            ref = method.get("request", {}).get("$ref")
            if ref is None:
                problems.append(f"{method['id']}: a body was sent, the method takes none")
            else:
                schema = self.json_schema(ref, closed=True)
                problems += [f"{method['id']} body {e}" for e in schema_errors(body, schema, {})]
        return problems

    def check_response(self, method_id: str, body: Any) -> list[str]:
        method = next(m for m in self.methods if m["id"] == method_id)
        schema = self.json_schema(method["response"]["$ref"], closed=True)
        return [f"{method_id} response {e}" for e in schema_errors(body, schema, {})]
