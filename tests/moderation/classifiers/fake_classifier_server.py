"""A local stand-in for Perspective, OpenAI's moderation endpoint and an HTTP classifier,
answering in the documented shapes; it records every request it receives."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeClassifiers:
    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    # path prefix → "ok", "error" (HTTP 500), "garbage" (not JSON) or "slow" (sleeps 3 s)
    behaviour: dict[str, str] = field(default_factory=dict)


def _perspective(body: Any) -> dict[str, Any]:
    text = body["comment"]["text"].lower()
    threat = 0.91 if "kill" in text else 0.04
    return {
        "attributeScores": {
            name: {
                "spanScores": [
                    {"begin": 0, "end": len(text), "score": {"value": value, "type": "PROBABILITY"}}
                ],
                "summaryScore": {"value": value, "type": "PROBABILITY"},
            }
            for name, value in {
                "TOXICITY": 0.87 if "idiot" in text else 0.05,
                "INSULT": 0.81 if "idiot" in text else 0.03,
                "PROFANITY": 0.02,
                "THREAT": threat,
                "IDENTITY_ATTACK": 0.01,
            }.items()
            if name in body["requestedAttributes"]
        },
        "languages": ["en"],
        "detectedLanguages": ["en"],
    }


def _openai(body: Any) -> dict[str, Any]:
    text = body["input"].lower()
    intent = 0.93 if "ending it" in text else 0.01
    scores = {
        "harassment": 0.02,
        "harassment/threatening": 0.01,
        "hate": 0.0,
        "hate/threatening": 0.0,
        "illicit": 0.0,
        "illicit/violent": 0.0,
        "self-harm": intent * 0.9,
        "self-harm/intent": intent,
        "self-harm/instructions": 0.0,
        "sexual": 0.0,
        "sexual/minors": 0.0,
        "violence": 0.01,
        "violence/graphic": 0.0,
    }
    return {
        "id": "modr-1",
        "model": body["model"],
        "results": [
            {
                "flagged": intent > 0.5,
                "categories": {k: v > 0.5 for k, v in scores.items()},
                "category_scores": scores,
                "category_applied_input_types": {k: ["text"] for k in scores},
            }
        ],
    }


def _generic(body: Any) -> dict[str, Any]:
    return {"scores": {"spam": 0.66 if "offer" in body["text"].lower() else 0.1, "unknown": 0.5}}


@contextmanager
def fake_classifiers() -> Iterator[FakeClassifiers]:
    fake = FakeClassifiers()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null")
            fake.received.append(Received(self.path, dict(self.headers), body))
            path = self.path.split("?")[0]
            mode = next((m for p, m in fake.behaviour.items() if path.startswith(p)), "ok")
            if mode == "slow":
                time.sleep(3)
            if mode == "error":
                self._answer(500, b'{"error": {"code": 500, "message": "backend error"}}')
                return
            if mode == "garbage":
                self._answer(200, b"<html>not json</html>")
                return
            if path.endswith("comments:analyze"):
                answer = _perspective(body)
            elif path.endswith("/moderations"):
                answer = _openai(body)
            else:
                answer = _generic(body)
            self._answer(200, json.dumps(answer).encode())

        def _answer(self, status: int, payload: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (a timeout test)
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
