/// The program a warm sandbox worker runs inside bubblewrap: started once, it runs
/// each test program in a fresh child forked from its clean, already-started
/// interpreter — no interpreter start-up per program — and wipes everything a
/// program could leave for the next one before starting it.
///
/// It is the namespace's PID 1 (`--as-pid-1`): signals from programs inside cannot
/// kill it (the kernel delivers to a namespace's init only signals it handles, and it
/// handles none), and orphans are reparented to it. It is not dumpable, so a program
/// cannot ptrace it or write its memory. After each program it kills every other process
/// of the namespace (`kill(-1, SIGKILL)`), reaps them, and empties the one writable
/// folder — after each program, before its reply, so whatever goes wrong cleaning up
/// is charged to the program that caused it. A program's changes to its environment, `sys.modules`, threads or open
/// files live in its own forked process and end with it. Exit is waited for with a
/// pidfd (`select` on it and the output pipes until the wall-time deadline), not
/// polled. Output comes through pipes (a program that fills its folder can still say
/// why it failed), counted against the file-size limit as a file would be.
///
/// Protocol: one JSON object per line each way. The first line out is
/// `{"ready": true}`; each request `{"program", "wall", "memory", "cpu", "processes",
/// "files", "fsize", "cap"}` is answered by `{"status": "exited"|"signalled"|"timeout",
/// "code", "seconds", "cpu", "stdout", "stderr", "stdoutBytes", "stderrBytes"}`.
enum WarmSupervisor {
    static let source = #"""
import ctypes, io, json, os, resource, select, signal, sys, time, traceback, types, builtins, warnings

WORK = "/work"
# The program's file name as a cold run shows it in tracebacks and warnings.
MAIN = WORK + "/main.py"
FD_BOUND = 1024
# Programs of up to this many characters are compiled here, before the fork (see precompile).
PRECOMPILE_BOUND = 64 << 10
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0: no ptrace, no /proc/1/mem
# As the namespace's init, a signal without a handler cannot reach it from inside:
# Python's own SIGINT handler must go.
signal.signal(signal.SIGINT, signal.SIG_DFL)

def reap_all():
    # kill(-1) signals every process this one may signal: inside the sandbox's PID namespace
    # that is the namespace, outside it (and as root) the whole machine. Never run this source
    # outside its namespace, not even to profile it: remove this call first.
    try:
        os.kill(-1, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue

def wipe(root):
    # Iterative, so no nesting depth a program can build makes it recurse too deep.
    stack, folders = [root], []
    while stack:
        path = stack.pop()
        for entry in list(os.scandir(path)):
            if entry.is_dir(follow_symlinks=False):
                os.chmod(entry.path, 0o700)
                stack.append(entry.path)
                folders.append(entry.path)
            else:
                os.unlink(entry.path)
    for folder in reversed(folders):
        os.rmdir(folder)

def precompile(source):
    # A child copies every page of the heap it writes, and the compiler writes many: compiled
    # here, on pages that are the supervisor's own, a program's child took ~120 fewer page
    # faults (-0.25 ms). Compiling runs none of the program's code and leaves nothing behind
    # once the code object is dropped. Anything out of the ordinary (an error, a warning, a
    # large source) is left to the child, which compiles and reports it as it always did.
    if len(source) > PRECOMPILE_BOUND:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return compile(source, MAIN, "exec")
    except Exception:
        return None

def child(request, code, devnull, out, err):
    status = 1
    try:
        os.setsid()
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        # Close every other descriptor (the protocol pipes included): the supervisor holds a
        # handful, numbered lowest first and all below FD_BOUND (checked as it starts), so one
        # close_range call covers them (listing /proc/self/fd cost 0.2 ms a program).
        os.closerange(3, FD_BOUND)
        for limit, value in ((resource.RLIMIT_AS, request["memory"]), (resource.RLIMIT_CPU, request["cpu"]),
                             (resource.RLIMIT_NPROC, request["processes"]), (resource.RLIMIT_NOFILE, request["files"]),
                             (resource.RLIMIT_FSIZE, request["fsize"])):
            resource.setrlimit(limit, (value, value))
        os.chdir(WORK)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # sys.stdin/stdout/stderr already wrap descriptors 0, 1 and 2, now /dev/null and the
        # pipes; the supervisor never wrote through them, so they hold nothing of its own.
        sys.argv = ["main.py"]
        main = types.ModuleType("__main__")
        main.__file__ = MAIN
        main.__builtins__ = builtins
        sys.modules["__main__"] = main
        source = request["program"]
        request = None
        try:
            if code is None:
                code = compile(source, MAIN, "exec")
            exec(code, main.__dict__)
            status = 0
        except SystemExit as stop:
            if stop.code is None:
                status = 0
            elif isinstance(stop.code, int):
                status = stop.code & 0xFF
            else:
                print(stop.code, file=sys.stderr)
                status = 1
        except BaseException as error:
            tb = error.__traceback__
            while tb is not None and tb.tb_frame.f_code.co_filename != MAIN:
                tb = tb.tb_next
            traceback.print_exception(type(error), error, tb)
            status = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
    finally:
        os._exit(status)

class Stream:
    """One output pipe of a program: the first `cap` bytes kept, every byte counted."""
    def __init__(self, fd, cap):
        self.fd, self.cap, self.kept, self.count, self.open = fd, cap, bytearray(), 0, True

    def drain(self, blocking):
        if not self.open:
            return
        os.set_blocking(self.fd, blocking)
        while self.open:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return
            if not data:
                self.open = False
                os.close(self.fd)
                return
            self.count += len(data)
            if len(self.kept) < self.cap:
                self.kept += data[: self.cap - len(self.kept)]
            if not blocking:
                return

    def text(self):
        return self.kept.decode("utf-8", "replace")

def run(request, devnull):
    with open(MAIN, "w", encoding="utf-8") as f:
        f.write(request["program"])
    start = time.monotonic()
    code = precompile(request["program"])
    # Output goes through pipes, not files in the scratch folder: a program that fills its
    # folder must still be able to say why it failed.
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        child(request, code, devnull, out_w, err_w)
    code = None
    os.close(out_w)
    os.close(err_w)
    streams = [Stream(out_r, request["cap"]), Stream(err_r, request["cap"])]
    limit = request["fsize"]
    pidfd = os.pidfd_open(pid)
    deadline = start + request["wall"]
    ended = timed_out = flooded = False
    while not ended:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        watched = [pidfd] + [s.fd for s in streams if s.open]
        ready, _, _ = select.select(watched, [], [], remaining)
        for stream in streams:
            if stream.open and stream.fd in ready:
                stream.drain(blocking=False)
        if max(s.count for s in streams) >= limit:
            flooded = True   # the file-size limit, applied to output as it is to files
            break
        ended = pidfd in ready
    if not ended:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - start
    os.close(pidfd)
    # Whatever the program left — processes, files — goes before its reply, so a failure
    # to clean up (and the worker's end) is charged to the program that caused it.
    reap_all()
    for stream in streams:
        stream.drain(blocking=True)
    wipe(WORK)
    reply = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "stdout": streams[0].text(), "stderr": streams[1].text(),
             "stdoutBytes": streams[0].count, "stderrBytes": streams[1].count}
    if timed_out:
        reply.update(status="timeout", code=0)
    elif flooded:
        reply.update(status="exited", code=1)   # classified by its output size: output-limit
    elif os.WIFSIGNALED(status):
        reply.update(status="signalled", code=os.WTERMSIG(status))
    else:
        reply.update(status="exited", code=os.WEXITSTATUS(status))
    return reply

def warm_up():
    # Modules test programs commonly import, and one compile and run of typical code, so
    # each forked child finds the interpreter's lazily built state already there (a cold
    # compile in a child cost 1.7 ms, a warm one 0.7 ms); then freeze the heap out of the
    # collector's reach, so collections in children do not copy its pages.
    import bisect, collections, functools, gc, heapq, itertools, math, operator, re, string, typing
    sample = "import math\nclass A:\n    x = 1\ndef f(n):\n    return [i * i for i in range(n) if i % 2]\nassert f(4) == [1, 9], f'{f(4)}'\n"
    exec(compile(sample, "warm-up.py", "exec"), {"__name__": "warm_up"})
    gc.collect()
    gc.freeze()

def main():
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    # What waiting needs (Python 3.9, Linux 5.3): without it, say so instead of failing every program.
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError) as error:
        replies.write(json.dumps({"ready": False, "reason": "no pidfd: %s" % error}).encode() + b"\n")
        replies.flush()
        return
    # Children close descriptors up to FD_BOUND: one above it (none is expected) would leak into
    # programs, so the worker declines and programs run the cold way.
    inherited = [int(name) for name in os.listdir("/proc/self/fd")]
    if max(inherited) >= FD_BOUND // 2:
        replies.write(json.dumps({"ready": False, "reason": "descriptor %d open at start" % max(inherited)}).encode() + b"\n")
        replies.flush()
        return
    warm_up()
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    replies.write(b'{"ready": true}\n')
    replies.flush()
    for line in requests:
        reply = run(json.loads(line), devnull)
        replies.write(json.dumps(reply).encode("utf-8") + b"\n")
        replies.flush()

main()
"""#
}
