#!/usr/bin/env bash
# A real llama.cpp OpenAI-compatible server on 127.0.0.1, serving a tiny
# random-weight model written by make_tiny_gguf.py, for the live tests.
#
#   Scripts/live-server.sh start   install (building llama.cpp once), start, print the exports
#   Scripts/live-server.sh stop    stop the server this script started
#
# `start` prints `export IPGATE_LIVE_…=…` lines on stdout (progress goes to
# stderr), so `eval "$(Scripts/live-server.sh start)"` points the tests at it.
# The llama-cpp-python wheel is built from source once (about 9 minutes on 2
# cores) and kept in IPGATE_WHEEL_DIR, so later starts install in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

LLAMA_VERSION=0.3.36
GGUF_VERSION=0.19.0
STATE=${IPGATE_LIVE_DIR:-$PWD/.ipgate/live}
WHEELS=${IPGATE_WHEEL_DIR:-$HOME/.cache/ipgate/wheels}
mkdir -p "$STATE" "$WHEELS"
# Its packages go into a virtual environment of its own (IPGATE_LIVE_PYTHON names another
# interpreter), never into the system's Python, which Debian protects from pip.
if [ -n "${IPGATE_LIVE_PYTHON:-}" ]; then
  PYTHON=$IPGATE_LIVE_PYTHON
else
  VENV=$HOME/.cache/ipgate/live-venv
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >&2
  PYTHON=$VENV/bin/python
fi

say() { echo "live-server: $*" >&2; }

install() {
  if "$PYTHON" -c "import llama_cpp, llama_cpp.server, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_VERSION')" 2>/dev/null; then
    return
  fi
  if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA_VERSION"-*.whl >/dev/null 2>&1; then
    say "building llama-cpp-python $LLAMA_VERSION from source (CPU only; about 9 minutes on 2 cores)"
    # Portable CPU build: no native tuning (the wheel may move between machines), no GPU, no BLAS, no curl.
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_CUDA=OFF -DGGML_VULKAN=OFF -DGGML_BLAS=OFF -DLLAMA_CURL=OFF" \
      "$PYTHON" -m pip wheel --quiet --no-deps -w "$WHEELS" "llama-cpp-python==$LLAMA_VERSION" >&2
  fi
  say "installing llama-cpp-python $LLAMA_VERSION from $WHEELS"
  "$PYTHON" -m pip install --quiet --find-links "$WHEELS" "llama-cpp-python[server]==$LLAMA_VERSION" >&2
}

start() {
  install
  "$PYTHON" -c "import gguf, numpy" 2>/dev/null || "$PYTHON" -m pip install --quiet "gguf==$GGUF_VERSION" numpy >&2
  "$PYTHON" Scripts/make_tiny_gguf.py "$STATE/tiny.gguf"
  stop 2>/dev/null || true
  local port
  port=$("$PYTHON" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  # --interrupt_requests false: a request is never cut short by the next one.
  nohup "$PYTHON" -m llama_cpp.server --model "$STATE/tiny.gguf" --host 127.0.0.1 --port "$port" \
    --model_alias tiny --interrupt_requests false --n_ctx 4096 >"$STATE/server.log" 2>&1 &
  echo $! >"$STATE/server.pid"
  for _ in $(seq 1 120); do
    if "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v1/models', timeout=1)" 2>/dev/null; then
      say "serving on http://127.0.0.1:$port/v1 (pid $(cat "$STATE/server.pid"), log $STATE/server.log)"
      echo "export IPGATE_LIVE_BASE_URL=http://127.0.0.1:$port/v1"
      echo "export IPGATE_LIVE_MODEL=tiny"
      echo "export IPGATE_LIVE_LOG=$STATE/server.log"
      return
    fi
    if ! kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  say "the server did not come up; its log:"
  tail -20 "$STATE/server.log" >&2
  return 1
}

stop() {
  [ -f "$STATE/server.pid" ] || return 0
  kill "$(cat "$STATE/server.pid")" 2>/dev/null || true
  rm -f "$STATE/server.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
