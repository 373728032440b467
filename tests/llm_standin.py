"""A local stand-in for a model server, for tests: OpenAI-compatible `/v1/chat/completions`
(plain JSON or SSE streaming) and Ollama's `/api/chat` (NDJSON streaming).

The test sets `completion` (the canned answer, or `responder`, which builds it from the request
body) and `mode`:
"ok", "http500", "garbage" (a 200 response that is not the protocol), "slow" (waits
`delay_s` before answering), "trickle" (streams a piece of the completion every `trickle_s`
seconds, round and round, never ending). Every request body received is kept in `requests`.
`release()` ends the waits and trickles in progress (so that their server threads end), as
does `stop()`.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class StandIn:
    completion: str = ""
    mode: str = "ok"
    delay_s: float = 5.0
    piece_chars: int = 7  # size of the streamed pieces
    trickle_s: float = 0.1  # pause between two pieces in "trickle" mode
    responder: Callable[[dict[str, Any]], str] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _release: threading.Event = field(default_factory=threading.Event)

    @property
    def openai_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pieces(self, release: threading.Event | None = None) -> Iterator[str]:
        text = self.completion
        chunks = [text[i : i + self.piece_chars] for i in range(0, len(text), self.piece_chars)]
        if self.mode != "trickle":
            yield from chunks
            return
        release = release or self._release
        sent = 0
        while not release.wait(self.trickle_s) and not self._stop.is_set():
            yield chunks[sent % len(chunks)] if chunks else "…"
            sent += 1

    def release(self) -> None:
        """End the slow waits and trickles in progress; later requests get a fresh event."""
        self._release.set()
        self._release = threading.Event()

    def start(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    body = {}
                standin.requests.append({"path": self.path, "body": body})
                self.release = standin._release
                if standin.responder is not None:
                    standin.completion = standin.responder(body)
                if standin.mode == "slow" and (
                    self.release.wait(standin.delay_s) or standin._stop.is_set()
                ):
                    return
                try:
                    self._answer(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client hung up (e.g. its deadline passed)

            def _answer(self, body: dict[str, Any]) -> None:
                if standin.mode == "http500":
                    self._send(500, "application/json", b'{"error": "internal error"}')
                elif standin.mode == "garbage":
                    self._send(200, "application/json", b"<html>502 Bad Gateway</html>\x00\xff")
                elif self.path.rstrip("/").endswith("/chat/completions"):
                    self._openai(body)
                elif self.path.rstrip("/") == "/api/chat":
                    self._ollama(body)
                else:
                    self._send(404, "application/json", b'{"error": "not found"}')

            def _send(self, status: int, ctype: str, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _start_stream(self, ctype: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.end_headers()  # HTTP/1.0: the body ends when the connection closes

            def _openai(self, body: dict[str, Any]) -> None:
                model = body.get("model", "stand-in")
                base = {"id": "chatcmpl-standin", "created": 0, "model": model}
                if not body.get("stream"):
                    message = {"role": "assistant", "content": standin.completion}
                    reply = {
                        **base,
                        "object": "chat.completion",
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                    self._send(200, "application/json", json.dumps(reply).encode())
                    return
                self._start_stream("text/event-stream")
                deltas = ({"role": "assistant", "content": p} for p in standin.pieces(self.release))
                events = itertools.chain(((d, None) for d in deltas), [({}, "stop")])
                for delta, finish in events:  # written as they come: a trickle never ends
                    chunk = {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                    }
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

            def _ollama(self, body: dict[str, Any]) -> None:
                model = body.get("model", "stand-in")
                base = {"model": model, "created_at": "2025-01-24T00:00:00Z"}
                done = {
                    **base,
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "total_duration": 1,
                    "prompt_eval_count": 1,
                    "eval_count": 1,
                }
                if body.get("stream") is False:
                    done["message"]["content"] = standin.completion  # type: ignore[index]
                    self._send(200, "application/json", json.dumps(done).encode())
                    return
                self._start_stream("application/x-ndjson")
                for piece in standin.pieces(self.release):
                    line = {**base, "message": {"role": "assistant", "content": piece}}
                    self.wfile.write((json.dumps({**line, "done": False}) + "\n").encode())
                    self.wfile.flush()
                self.wfile.write((json.dumps(done) + "\n").encode())

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
