"""Checks of what connectors send, and what the emulator answers, against the platforms' own
published definitions in `specs/` (copied verbatim from the repositories in `specs/SOURCES.csv`).

Each checker takes a request as it went on the wire (`SentRequest`, recorded by `HttpClient`)
with the emulator's prefix removed, finds the operation in the definition and returns a list of
readable mismatches (empty when it conforms):

- `OpenApi` (X's OpenAPI 3.0, the community Mastodon OpenAPI 3.1): path template, method,
  unknown/required query parameters, values against their schemas (enum, minimum, maximum), the
  JSON body against the request schema, and a response body against the response schema.
- `Discovery` (YouTube's discovery document): the same, with discovery's parameter and schema
  shapes; unknown body fields are refused.
- `Lexicons` (AT Protocol): `/xrpc/<nsid>` query parameters or procedure input, outputs, and a
  record written with `createRecord`/`putRecord` against its collection's record definition.
- `GraphNodes` (Meta's Business SDK codegen specs): `METHOD /{node}/{edge}` against the node's
  `apis`, parameters and their enums, requested `fields` against the returned node's fields.
- `Postman` (Meta's Threads collection): method and path against a published request, query keys
  against the keys that request uses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema

from moderation.connectors.http import SentRequest

SPECS = Path(__file__).parent / "specs"
# Graph-wide parameters documented once for every edge (paging, field selection, the proof of
# the app secret), not repeated in each node's `params`.
GRAPH_WIDE = frozenset({"fields", "limit", "after", "before", "since", "until", "appsecret_proof"})


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


def _schema_errors(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> list[str]:
    wrapped = {**schema, "components": root.get("components", {})}
    validator = jsonschema.Draft202012Validator(wrapped)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message[:200]}"
        for error in validator.iter_errors(value)
    ]


def _coerce(value: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    if kind == "array":
        return value.split(",")
    return value


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
                else _coerce(values[0], schema)
            )
            problems += [
                f"{template} ?{name}: {e}" for e in _schema_errors(value, schema, self.doc)
            ]
        for name, param in params.items():
            if param.get("required") and name not in sent:
                problems.append(f"{template}: required query parameter {name!r} missing")
        content = self._resolve(operation.get("requestBody", {})).get("content", {})
        schema = (content.get("application/json") or {}).get("schema")
        if body is not None and schema is None:
            problems.append(f"{template}: a body was sent, the operation takes none")
        if schema is not None and body is not None:
            problems += [f"{template} body {e}" for e in _schema_errors(body, schema, self.doc)]
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
        return [f"{template} {status} {e}" for e in _schema_errors(body, schema, self.doc)]


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
                problems += [f"{method['id']} body {e}" for e in _schema_errors(body, schema, {})]
        return problems

    def check_response(self, method_id: str, body: Any) -> list[str]:
        method = next(m for m in self.methods if m["id"] == method_id)
        schema = self.json_schema(method["response"]["$ref"], closed=True)
        return [f"{method_id} response {e}" for e in _schema_errors(body, schema, {})]


class Lexicons:
    """The AT Protocol lexicons: one JSON file per NSID, `defs.main` the endpoint or record."""

    def __init__(self, relative: str) -> None:
        self.root = SPECS / relative

    @cache  # noqa: B019 - a few dozen files, read once per test session
    def lexicon(self, nsid: str) -> dict[str, Any]:
        path = self.root.joinpath(*nsid.split(".")).with_suffix(".json")
        return dict(json.loads(path.read_text(encoding="utf-8")))

    def definition(self, ref: str, context: str) -> dict[str, Any]:
        nsid, _, name = ref.removeprefix("lex:").partition("#")
        return dict(self.lexicon(nsid or context)["defs"][name or "main"])

    def check(self, value: Any, schema: Mapping[str, Any], context: str, at: str) -> list[str]:
        kind = schema.get("type")
        if kind == "ref":
            target = self.definition(schema["ref"], context)
            nsid = schema["ref"].partition("#")[0] or context
            return self.check(value, target, nsid, at)
        if kind == "union":
            if not isinstance(value, dict) or not isinstance(value.get("$type"), str):
                return [f"{at}: a union member needs $type"]
            refs = [r if "#" in r or "." in r else f"{context}{r}" for r in schema["refs"]]
            full = {(r if not r.startswith("#") else context + r) for r in refs}
            chosen = value["$type"]
            candidates = {chosen, chosen + "#main"}
            match = next(
                (r for r in full if r in candidates or r.removesuffix("#main") in candidates), None
            )
            if match is None:
                return [f"{at}: $type {chosen} not allowed"] if schema.get("closed") else []
            return self.check(value, self.definition(match, context), match.partition("#")[0], at)
        if kind in ("object", "params", "record"):
            body = schema.get("record", schema) if kind == "record" else schema
            if not isinstance(value, dict):
                return [f"{at}: expected an object"]
            problems: list[str] = []
            properties = body.get("properties", {})
            for name in body.get("required", []):
                if name not in value:
                    problems.append(f"{at}.{name}: required, missing")
            for name, item in value.items():
                if name == "$type":
                    continue
                if name not in properties:
                    problems.append(f"{at}.{name}: not in the lexicon")
                    continue
                if item is None and name in body.get("nullable", []):
                    continue
                problems += self.check(item, properties[name], context, f"{at}.{name}")
            return problems
        if kind == "array":
            if not isinstance(value, list):
                return [f"{at}: expected an array"]
            problems = []
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                problems.append(f"{at}: more than {schema['maxLength']} items")
            for index, item in enumerate(value):
                problems += self.check(item, schema["items"], context, f"{at}[{index}]")
            return problems
        if kind == "string":
            if not isinstance(value, str):
                return [f"{at}: expected a string"]
            problems = []
            if "maxLength" in schema and len(value.encode()) > schema["maxLength"]:
                problems.append(f"{at}: longer than {schema['maxLength']} bytes")
            if "enum" in schema and value not in schema["enum"]:
                problems.append(f"{at}: {value!r} not in {schema['enum']}")
            if schema.get("format") == "at-uri" and not value.startswith("at://"):
                problems.append(f"{at}: not an at-uri")
            if schema.get("format") == "did" and not value.startswith("did:"):
                problems.append(f"{at}: not a DID")
            if schema.get("format") == "datetime" and not re.match(r"\d{4}-\d\d-\d\dT", value):
                problems.append(f"{at}: not a datetime")
            return problems
        if kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                return [f"{at}: expected an integer"]
            low, high = schema.get("minimum"), schema.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                return [f"{at}: {value} outside {low}..{high}"]
            return []
        if kind == "boolean":
            return [] if isinstance(value, bool) else [f"{at}: expected a boolean"]
        return []  # unknown, cid-link, bytes, blob: any value

    def check_request(self, request: SentRequest, prefix: str) -> list[str]:
        path, query, body = split(request, prefix)
        nsid = path.removeprefix("/xrpc/")
        try:
            main = self.lexicon(nsid)["defs"]["main"]
        except (FileNotFoundError, KeyError):
            return [f"{nsid}: no lexicon"]
        expected = {"query": "GET", "procedure": "POST"}.get(main["type"])
        if request.method != expected:
            return [f"{nsid}: {request.method}, the lexicon says {expected}"]
        problems: list[str] = []
        if main["type"] == "query":
            params = main.get("parameters", {"properties": {}})
            typed = {}
            for name, values in query.items():
                schema = params["properties"].get(name)
                if schema is None:
                    problems.append(f"{nsid}: unknown parameter {name!r}")
                    continue
                if schema.get("type") == "array":
                    typed[name] = [_coerce(v, schema["items"]) for v in values]
                else:
                    typed[name] = _coerce(values[0], schema)
            problems += self.check(typed, params, nsid, nsid)
        else:
            schema = main.get("input", {}).get("schema")
            if schema is None:
                if body is not None:
                    problems.append(f"{nsid}: a body was sent, the procedure takes none")
            else:
                problems += self.check(body, schema, nsid, nsid)
                problems += self._check_record(body)
        return problems

    def _check_record(self, body: Any) -> list[str]:
        if not isinstance(body, dict) or not isinstance(body.get("record"), dict):
            return []
        collection = body.get("collection", "")
        record = body["record"]
        if record.get("$type") != collection:
            return [f"record $type {record.get('$type')!r} is not the collection {collection!r}"]
        main = self.lexicon(collection)["defs"]["main"]
        return self.check(record, main, collection, collection)

    def check_output(self, nsid: str, body: Any) -> list[str]:
        schema = self.lexicon(nsid)["defs"]["main"].get("output", {}).get("schema")
        return self.check(body, schema, nsid, f"{nsid} output") if schema else []


class GraphNodes:
    """Meta's codegen node specs: `{"apis": [{method, endpoint, return, params}], "fields"}`."""

    def __init__(self, *relatives: str) -> None:
        self.nodes = {Path(r).stem: load(r) for r in relatives}
        self.enums = {
            e["name"]: e["values"] for e in load("facebook/graph-api-specs/enum_types.json")
        }

    def api(self, node: str, method: str, endpoint: str) -> dict[str, Any] | None:
        for api in self.nodes[node]["apis"]:
            if api["method"] == method and api.get("endpoint", "") == endpoint:
                return dict(api)
        return None

    def field_names(self, node: str) -> set[str]:
        return {f["name"] for f in self.nodes[node]["fields"]}

    def check_request(
        self, request: SentRequest, prefix: str, node: str, endpoint: str = ""
    ) -> list[str]:
        _path, query, body = split(request, prefix)
        api = self.api(node, request.method, endpoint)
        where = f"{request.method} {node}/{endpoint or '(node)'}"
        if api is None:
            return [f"{where}: not in Meta's definition"]
        params = {p["name"]: p for p in api.get("params", [])}
        sent = {k: v[0] for k, v in query.items()}
        sent.update(body or {})
        problems: list[str] = []
        for name, value in sent.items():
            if name in GRAPH_WIDE:
                continue
            param = params.get(name)
            if param is None:
                problems.append(f"{where}: unknown parameter {name!r}")
                continue
            enum_name = param["type"].removeprefix("list<").removesuffix(">")
            if enum_name in self.enums:
                for item in str(value).split(","):
                    if item not in self.enums[enum_name]:
                        problems.append(f"{where} {name}={item!r}: not in {enum_name}")
        for name, param in params.items():
            if param.get("required") and name not in sent:
                problems.append(f"{where}: required parameter {name!r} missing")
        returned = api.get("return", "")
        if "fields" in sent and returned in self.nodes:
            problems += self.check_fields(sent["fields"], returned, where)
        return problems

    def check_fields(self, fields: str, node: str, where: str) -> list[str]:
        # A GET edge may be expanded in `fields` too (`replies{…}`), a Graph-wide feature.
        edges = {a.get("endpoint") for a in self.nodes[node]["apis"] if a["method"] == "GET"}
        known = self.field_names(node) | {e for e in edges if e}
        return [
            f"{where}: field {name!r} is not a field of {node}"
            for name in _top_level_fields(fields)
            if name not in known
        ]

    def check_object(self, item: Mapping[str, Any], node: str, where: str) -> list[str]:
        known = self.field_names(node) | {"id"}
        return [f"{where}: {key!r} is not a field of {node}" for key in item if key not in known]


def _top_level_fields(fields: str) -> list[str]:
    names, depth, current = [], 0, ""
    for char in fields + ",":
        if char == "," and depth == 0:
            names.append(re.split(r"[.{]", current, maxsplit=1)[0].strip())
            current = ""
            continue
        depth += (char == "{") - (char == "}")
        current += char
    return [n for n in names if n]


class Postman:
    """Meta's Threads Postman collection: each request's method, path and query keys."""

    def __init__(self, relative: str) -> None:
        self.requests: list[tuple[str, list[str], set[str]]] = []

        def walk(items: Iterable[Mapping[str, Any]]) -> None:
            for item in items:
                if "item" in item:
                    walk(item["item"])
                    continue
                url = item["request"]["url"]
                keys = {q["key"] for q in url.get("query", [])}
                self.requests.append((item["request"]["method"], list(url.get("path", [])), keys))

        walk(load(relative)["item"])

    def check_request(self, request: SentRequest, prefix: str) -> list[str]:
        path, query, body = split(request, prefix)
        segments = [s for s in path.split("/") if s][1:]  # drop the version
        sent = set(query) | set(body or {})
        candidates = [
            keys
            for method, template, keys in self.requests
            if method == request.method and _postman_match(template, segments)
        ]
        if not candidates:
            return [f"{request.method} /{'/'.join(segments)}: no such request in the collection"]
        unknown = sent - GRAPH_WIDE - set().union(*candidates)
        return [
            f"{request.method} {path}: query key {k!r} not used by Meta" for k in sorted(unknown)
        ]


def _postman_match(template: list[str], segments: list[str]) -> bool:
    if len(template) != len(segments):
        return False
    for expected, actual in zip(template, segments, strict=True):
        variable = expected.startswith("{{") or expected == "me"
        if not variable and expected != actual:
            return False
    return True
