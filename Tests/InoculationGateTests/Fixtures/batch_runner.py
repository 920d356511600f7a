"""Plays the batch runner's part (vLLM's run_batch, a hosted batch API) for
InoculationGate's batch tests: reads an OpenAI batch input file, sends each
line's body to an OpenAI-compatible server, and writes the batch output format.

    python3 batch_runner.py INPUT OUTPUT BASE_URL

BASE_URL ends in /v1, as in suites; each line's url (/v1/chat/completions) is
resolved against it. Lines are answered in reverse order on purpose: nothing
may depend on line order.
"""
import json
import sys
import urllib.error
import urllib.request


def send(base_url, line):
    path = line["url"][len("/v1"):] if line["url"].startswith("/v1/") else line["url"]
    data = json.dumps(line["body"]).encode()
    request = urllib.request.Request(base_url.rstrip("/") + path, data=data, method=line.get("method", "POST"),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return {"status_code": response.status, "request_id": response.headers.get("x-request-id", ""),
                    "body": json.loads(response.read())}, None
    except urllib.error.HTTPError as error:
        return {"status_code": error.code, "request_id": "", "body": json.loads(error.read() or b"{}")}, None
    except OSError as error:
        return None, {"code": "connection_error", "message": str(error)}


def main():
    source, target, base_url = sys.argv[1:4]
    lines = [json.loads(text) for text in open(source, encoding="utf-8") if text.strip()]
    with open(target, "w", encoding="utf-8") as out:
        for number, line in reversed(list(enumerate(lines))):
            response, error = send(base_url, line)
            out.write(json.dumps({"id": "batch_req_%d" % number, "custom_id": line["custom_id"],
                                  "response": response, "error": error}) + "\n")


main()
