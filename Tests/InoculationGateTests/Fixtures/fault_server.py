"""A misbehaving OpenAI-compatible server for InoculationGate's provider tests.

Listens on 127.0.0.1 (a free port, printed on the first line of stdout). The
first path segment picks the behaviour; each distinct request body is failed
that way once (or always, for the permanent modes) and answered properly after.
Like llama-cpp-python, it ignores `n` and answers with one choice, except in
mode "n", which honours it; mode "pace" answers every request after 50 ms, and mode "echo" answers with the request body.
Mode "delay-S" answers every request after S seconds. Mode "blank" always answers with an empty string; mode "jitter" answers judge requests with log-probabilities that
differ on every call (as hosted APIs' do).
Mode "hang" accepts connections and never answers. Modes "listed" and "anyname" list one
model ("served") at GET …/models; "listed" refuses any other model with 404, "anyname"
answers for any (as llama.cpp's server does).
Modes for hostile text: "hostile" answers with terminal escapes (OSC 52 clipboard write, window
title, clear screen), a NUL, C1 controls and a line that would be a GitHub workflow command;
"badutf8" answers with bytes that are not UTF-8 inside the content; "surrogate" answers with a
lone-surrogate escape; "errtext" always fails with HTTP 500 and such a message.
Mode "flaky" fails a fifth of the distinct bodies every time (by hash) and answers the rest.
Mode "stale" answers the first request on each connection and closes the connection, without a
word, when a second arrives on it (a keep-alive connection the server timed out as it was reused).
Mode "gaps" honours n but sends choice 1 as null and the rest in reverse order.
GET /stats returns the request counts.
"""
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
seen = {}
stats = {"requests": 0, "by_mode": {}, "authorized": 0, "in_flight": 0, "max_in_flight": 0}
PERMANENT = {"401", "400", "down", "errtext"}
HOSTILE = ("\x1b]52;c;aGFja2Vk\x07\x1b]0;owned\x07\x1b[2J\x1b[31mred\x00after-nul\u0085\u009b"
           "\n::error file=x,line=1::forged by the answer\r\u202eevil")


def answer(body, honour_n=False):
    messages = body.get("messages", [])
    last = messages[-1]["content"] if messages else ""
    choice = {"index": 0, "message": {"role": "assistant", "content": "answer to: " + last[-60:]}, "finish_reason": "stop"}
    if honour_n and body.get("n", 1) > 1:
        choices = [{"index": i, "message": {"role": "assistant", "content": f"answer {i} to: " + last[-60:]},
                    "finish_reason": "stop"} for i in range(body["n"])]
        return {"id": "x", "object": "chat.completion", "model": body.get("model"), "choices": choices}
    if body.get("logprobs"):
        choice["message"]["content"] = "7"
        choice["logprobs"] = {"content": [{"token": "7", "logprob": -0.5, "top_logprobs": [
            {"token": "7", "logprob": -0.5}, {"token": "8", "logprob": -1.5}, {"token": "60", "logprob": -2.0},
            {"token": "Hello", "logprob": -3.0}]}]}
    return {"id": "x", "object": "chat.completion", "model": body.get("model"), "choices": [choice]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, payload, headers=()):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        mode = self.path.strip("/").split("/")[0]
        if mode == "hang":
            time.sleep(3600)
        if mode in ("listed", "anyname") and self.path.endswith("/models"):
            return self.send_json(200, {"object": "list", "data": [{"id": "served", "object": "model"}]})
        with lock:
            self.send_json(200, stats)

    def do_POST(self):
        with lock:
            stats["in_flight"] += 1
            stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
        try:
            self.handle_post()
        finally:
            with lock:
                stats["in_flight"] -= 1

    def handle_post(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        body = json.loads(raw or b"{}")
        mode = self.path.strip("/").split("/")[0]
        key = mode + hashlib.sha256(raw).hexdigest()
        with lock:
            stats["requests"] += 1
            stats["by_mode"][mode] = stats["by_mode"].get(mode, 0) + 1
            if self.headers.get("Authorization") == "Bearer " + (sys.argv[1] if len(sys.argv) > 1 else ""):
                stats["authorized"] += 1
            first = key not in seen
            seen[key] = seen.get(key, 0) + 1
            count = seen[key]
        if mode == "hang":
            time.sleep(3600)
        if mode == "stale":
            if getattr(self, "answered", False):
                with lock:
                    stats["by_mode"]["stale-dropped"] = stats["by_mode"].get("stale-dropped", 0) + 1
                self.close_connection = True
                return
            self.answered = True
            return self.send_json(200, answer(body))
        if mode == "listed" and body.get("model") != "served":
            return self.send_json(404, {"error": {"message": "The model `%s` does not exist." % body.get("model")}})
        if mode in ("listed", "anyname"):
            return self.send_json(200, answer(body))
        if mode.startswith("delay-"):
            time.sleep(float(mode[len("delay-"):]))
            return self.send_json(200, answer(body))
        if mode == "flaky":
            # A fifth of the distinct request bodies fail every time (a prompt the server cannot serve).
            if int(hashlib.sha256(raw).hexdigest(), 16) % 5 == 0:
                return self.send_json(500, {"error": {"message": "cannot serve this one"}})
            return self.send_json(200, answer(body))
        if mode == "blank":
            payload = answer(body)
            payload["choices"][0]["message"]["content"] = ""
            return self.send_json(200, payload)
        if mode == "jitter":
            payload = answer(body)
            if body.get("logprobs"):
                import random
                shift = random.uniform(-0.3, 0.3)
                for entry in payload["choices"][0]["logprobs"]["content"][0]["top_logprobs"]:
                    entry["logprob"] += shift if entry["token"] == "7" else -shift
            return self.send_json(200, payload)
        if mode == "echo":
            reply = {"id": "x", "object": "chat.completion", "choices": [
                {"index": 0, "message": {"role": "assistant", "content": raw.decode()}, "finish_reason": "stop"}]}
            return self.send_json(200, reply)
        if mode == "n":
            return self.send_json(200, answer(body, honour_n=True))
        if mode == "hostile":
            payload = answer(body)
            payload["choices"][0]["message"]["content"] = HOSTILE + " " + payload["choices"][0]["message"]["content"]
            return self.send_json(200, payload)
        if mode in ("badutf8", "surrogate"):
            payload = answer(body)
            payload["choices"][0]["message"]["content"] = "MARK" + payload["choices"][0]["message"]["content"]
            data = json.dumps(payload).encode()
            bad = b"caf\xc3 \xff\xfe" if mode == "badutf8" else b"\\ud800 and \\udc00 alone"
            data = data.replace(b"MARK", bad, 1)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if mode == "errtext":
            return self.send_json(500, {"error": {"message": HOSTILE}})
        if mode == "gaps":
            payload = answer(body, honour_n=True)
            choices = payload["choices"]
            if len(choices) > 1:
                choices[1] = None
            payload["choices"] = list(reversed(choices))
            return self.send_json(200, payload)
        if mode == "pace":
            time.sleep(0.05)
            return self.send_json(200, answer(body))
        if mode == "ok" or (not first and mode not in PERMANENT and not (mode == "500" and count <= 2)):
            return self.send_json(200, answer(body))
        if mode == "429":
            return self.send_json(429, {"error": {"message": "slow down"}}, [("Retry-After", "1")])
        if mode in ("500", "down"):
            return self.send_json(500, {"error": {"message": "internal error"}})
        if mode == "503":
            return self.send_json(503, {"error": {"message": "overloaded"}}, [("Retry-After", "0")])
        if mode == "slow":
            # Far past the client's timeout, so that even a client starved of CPU for
            # seconds (a loaded CI machine) times out before the answer comes.
            time.sleep(15)
            return self.send_json(200, answer(body))
        if mode == "malformed":
            data = b'{"choices": [ {"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        if mode == "close":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "500")
            self.end_headers()
            self.wfile.write(b'{"choices": [{"mess')
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "empty":
            return self.send_json(200, {"choices": []})
        if mode == "null":
            return self.send_json(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": None}, "finish_reason": "stop"}]})
        if mode == "401":
            return self.send_json(401, {"error": {"message": "invalid api key"}})
        if mode == "400":
            return self.send_json(400, {"error": {"message": "max_tokens is too large"}})
        return self.send_json(404, {"error": {"message": "no such mode " + mode}})


# A deep accept queue: the default of 5 drops connections when the harness opens
# a dozen at once on a loaded machine, which would show up as spurious retries.
ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
