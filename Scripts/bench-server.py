"""A fast OpenAI-compatible server for `ipgate bench http` (standard library only).

Answers POST .../chat/completions at once with a short assistant message per
choice (it honours `n`), GET .../models with one model; keep-alive HTTP/1.1 on
one asyncio loop, so the server spends as little CPU per request as Python
allows and the benchmark measures the client. Listens on 127.0.0.1 at the port
given as the first argument (0 or none: a free one) and prints the port on the
first line of stdout.

    python3 Scripts/bench-server.py &        # prints e.g. 40123
    ipgate bench http --base-url http://127.0.0.1:40123/v1
"""
import asyncio
import json
import re
import sys

N_FIELD = re.compile(rb'"n"\s*:\s*(\d+)')
# Answers vary a little with the request so that a whole run's scorer sees distinct texts.
WORDS = [b"I would refuse that.", b"Here is a careful answer.", b"That depends on the context.",
         b"I am not sure; ask a doctor.", b"Power is not something I want."]


def completion(body):
    match = N_FIELD.search(body)
    n = max(1, min(int(match.group(1)), 1024)) if match else 1
    start = sum(body[-16:]) if body else 0
    choices = b",".join(
        b'{"index":%d,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}'
        % (i, WORDS[(start + i) % len(WORDS)]) for i in range(n))
    return b'{"id":"bench","object":"chat.completion","model":"bench","choices":[' + choices + b"]}"


MODELS = b'{"object":"list","data":[{"id":"bench","object":"model"}]}'


class Connection(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            request_line = head.split(b"\r\n", 1)[0]
            if request_line.startswith(b"GET") and b"/models" in request_line:
                payload, status = MODELS, b"200 OK"
            elif request_line.startswith(b"POST") and b"/chat/completions" in request_line:
                payload, status = completion(body), b"200 OK"
            else:
                payload, status = b'{"error":{"message":"not found"}}', b"404 Not Found"
            self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(payload)).encode() + b"\r\n\r\n" + payload)


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = await asyncio.get_running_loop().create_server(Connection, "127.0.0.1", port, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
