"""Requests checked against Meta's definitions: the Graph API nodes of its Business SDK codegen
specs (Facebook, Instagram) and its Threads Postman collection."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from moderation.connectors.http import SentRequest
from tests.moderation.connectors.spec_contract import load, split

# Graph-wide parameters documented once for every edge (paging, field selection, the proof of
# the app secret), not repeated in each node's `params`.
GRAPH_WIDE = frozenset({"fields", "limit", "after", "before", "since", "until", "appsecret_proof"})


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
            if method == request.method and postman_match(template, segments)
        ]
        if not candidates:
            return [f"{request.method} /{'/'.join(segments)}: no such request in the collection"]
        unknown = sent - GRAPH_WIDE - set().union(*candidates)
        return [
            f"{request.method} {path}: query key {k!r} not used by Meta" for k in sorted(unknown)
        ]


def postman_match(template: list[str], segments: list[str]) -> bool:
    if len(template) != len(segments):
        return False
    for expected, actual in zip(template, segments, strict=True):
        variable = expected.startswith("{{") or expected == "me"
        if not variable and expected != actual:
            return False
    return True
