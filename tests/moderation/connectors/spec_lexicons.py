"""Requests, records and outputs checked against the AT Protocol's lexicons (Bluesky)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from moderation.connectors.http import SentRequest
from tests.moderation.connectors.spec_contract import SPECS, coerce, split


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
                    typed[name] = [coerce(v, schema["items"]) for v in values]
                else:
                    typed[name] = coerce(values[0], schema)
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
