"""scripts/abuse: the webhook listener under a hostile mix of requests, on loopback (see scripts/abuse).

Sends REQUESTS requests from WORKERS threads, mixing valid events (each with a unique id) with
malformed request lines, huge headers, 10 MB bodies with and without Content-Length, chunked
bodies that never end, invalid UTF-8, JSON that is not an object or not JSON, wrong methods,
half-closed connections and pipelining without reading; meanwhile slowloris connections (on
headers and on bodies) and idle ones stall, and the log is rotated under the listener every
ROTATE seconds: moved away (every other time followed by SIGHUP, as logrotate does) or deleted.
Then it checks that every valid event answered 200 is in the log (lost = 0: the lines of every
file the log was moved to, of the log, and of each deleted log as it was when deleted), that the listener's peak memory stayed bounded, that every stalled
connection was closed by the listener within its timeouts, and that the listener still answers.
"""
import argparse
import collections
import json
import os
import random
import re
import signal
import sqlite3
import socket
import subprocess
import sys
import tempfile
import threading
import time

# The listener's limits (ListenerConfiguration): a whole request within 30 s, 10 s idle.
REQUEST_TIMEOUT = 30
IDLE_TIMEOUT = 10
RSS_BOUND_MIB = 256


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.statuses = collections.Counter()
        self.valid_ok = set()  # unique ids of valid events answered 200
        self.valid_sent = 0
        self.valid_not_ok = collections.Counter()
        self.stalls = []  # (kind, seconds until the listener closed it, or None)
        self.regex = []  # (status, seconds) of requests to the pathological regex rule

    def answer(self, status, uid=None):
        with self.lock:
            self.statuses[status] += 1
            if uid is not None:
                if status == "200":
                    self.valid_ok.add(uid)
                else:
                    self.valid_not_ok[status] += 1


def connect(port, timeout=15):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_answers(sock, count):
    """Reads up to `count` HTTP answers; returns their status codes ('closed' when the
    connection ended first, 'reset' when it was reset)."""
    statuses, data = [], b""
    try:
        while len(statuses) < count:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return statuses + ["closed"] * (count - len(statuses))
                data += chunk
            head, _, data = data.partition(b"\r\n\r\n")
            status = head.split(b" ", 2)[1].decode()
            m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            length = int(m.group(1)) if m else 0
            while len(data) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            data = data[length:]
            statuses.append(status)
    except ConnectionResetError:
        return statuses + ["reset"] * (count - len(statuses))
    except socket.timeout:
        return statuses + ["timeout"] * (count - len(statuses))
    return statuses


def event(uid):
    return json.dumps({"event_name": "Cdr", "unique_id": uid, "src": "991", "dst": "993",
                       "disposition": "ANSWERED", "billsec": 9, "starttime": "2021-01-16 06:30:37"}).encode()


def post(body, path="/", content_type="application/json", extra=b""):
    return (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n"
            % (path.encode(), content_type.encode(), len(body), extra) + body)


class Worker:
    """Sends one kind of request after another; valid events reuse a kept-alive connection."""

    def __init__(self, port, tally, ids, rng):
        self.port, self.tally, self.ids, self.rng = port, tally, ids, rng
        self.conn = None

    def uid(self):
        return f"abuse-{next(self.ids)}"

    def valid(self):
        uid = self.uid()
        with self.tally.lock:
            self.tally.valid_sent += 1
        try:
            if self.conn is None:
                self.conn = connect(self.port)
            self.conn.sendall(post(event(uid)))
            status = read_answers(self.conn, 1)[0]
        except OSError:
            status = "error"
        if status != "200":
            self.drop()
        self.tally.answer(status, uid)

    def regex_rule(self):
        """A Smart API request to a rule whose script matches a pathological regular expression:
        answered {"ok":"0"} at its deadline (--within), the match stopped (its CPU too)."""
        uid = self.uid()
        body = json.dumps({"src": "1", "dst": "2", "data": "1" * 1000 + "x", "unique_id": f"re-{uid}",
                           "app_name": "slowre"}).encode()
        started = time.monotonic()
        try:
            conn = connect(self.port)
            conn.sendall(post(body))
            status = read_answers(conn, 1)[0]
            conn.close()
        except OSError:
            status = "error"
        with self.tally.lock:
            self.tally.regex.append((status, time.monotonic() - started))
        self.tally.answer(status)

    def valid_rest_get(self):
        uid = self.uid()
        with self.tally.lock:
            self.tally.valid_sent += 1
        self.once(b"GET /NewState?unique_id=%s&exten=200&state=Ringing HTTP/1.1\r\nHost: x\r\n\r\n" % uid.encode(),
                  uid=uid)

    def drop(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def once(self, data, uid=None, read=True, shut=False):
        """Sends `data` on a new connection and reads one answer."""
        try:
            s = connect(self.port)
        except OSError:
            self.tally.answer("connect-error", uid)
            return
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # refused before all of it was sent: its answer may still be there
            if shut:
                s.shutdown(socket.SHUT_WR)
            status = read_answers(s, 1)[0] if read else "unread"
        except OSError:
            status = "reset"
        finally:
            s.close()
        self.tally.answer(status, uid)

    def malformed_line(self):
        self.once(self.rng.choice([b"GARBAGE\r\n\r\n", b"POST\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                                   b"\x00\x01\x02 / HTTP/1.1\r\n\r\n", b"POST / HTTP/1.1\r\nHost x\r\n\r\n"]))

    def huge_headers(self):
        self.once(b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\nContent-Length: 2\r\n\r\n{}")

    def huge_body(self):
        self.once(post(b"{" + b" " * (10 << 20) + b"}"))

    def huge_chunked(self):
        chunk = b"%x\r\n%s\r\n" % (1 << 20, b" " * (1 << 20))
        self.once(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + chunk * 10 + b"0\r\n\r\n")

    def invalid_utf8(self):
        self.once(post(b'{"event_name":"Cdr","src":"\xff\xfe\xc3"}'))

    def not_an_object(self):
        self.once(post(self.rng.choice([b"[1,2,3]", b'"text"', b"42", b"null"])))

    def not_json(self):
        self.once(post(self.rng.choice([b"{'event_name':'Cdr'}", b'{"event_name":"Cdr",}', b'{"a":NaN}',
                                        b'{"a":1', b'{"a":"\\x"}', b"{" * 100_000])))

    def wrong_method(self):
        self.once(b"%s / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" %
                  self.rng.choice([b"PUT", b"DELETE", b"PATCH", b"OPTIONS"]))

    def half_closed(self):
        uid = self.uid()
        with self.tally.lock:
            self.tally.valid_sent += 1
        self.once(post(event(uid), extra=b"Connection: close\r\n"), uid=uid, shut=True)

    def pipelined_unread(self, n=50):
        """n valid events sent back to back; nothing read for a second, then all answers."""
        uids = [self.uid() for _ in range(n)]
        with self.tally.lock:
            self.tally.valid_sent += n
        try:
            s = connect(self.port)
            s.sendall(b"".join(post(event(u)) for u in uids))
            time.sleep(1)
            statuses = read_answers(s, n)
            s.close()
        except OSError:
            statuses = ["error"] * n
        for u, st in zip(uids, statuses + ["error"] * (n - len(statuses))):
            self.tally.answer(st, u)
        return n


def stall(port, tally, kind):
    """A connection that stalls; records how long the listener took to close it."""
    started = time.monotonic()
    try:
        s = connect(port, timeout=REQUEST_TIMEOUT + IDLE_TIMEOUT + 20)
        if kind == "slowloris-headers":
            s.sendall(b"POST / HTTP/1.1\r\n")
            for _ in range(REQUEST_TIMEOUT + 15):
                s.sendall(b"X-A: b\r\n")
                time.sleep(1)
        elif kind == "slowloris-body":
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
            for _ in range(REQUEST_TIMEOUT + 15):
                s.sendall(b" ")
                time.sleep(1)
        elif kind == "chunked-never-ends":
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n")
            s.recv(1)
        elif kind == "idle":
            s.recv(1)
        closed = time.monotonic() - started
    except (BrokenPipeError, ConnectionResetError):
        closed = time.monotonic() - started
    except socket.timeout:
        closed = None
    except OSError:
        closed = time.monotonic() - started
    with tally.lock:
        tally.stalls.append((kind, closed))


class Rotator:
    """Moves the log away (every other time followed by SIGHUP) or deletes it, every `every`
    seconds, keeping what a deleted log held when it was deleted (an open descriptor and its
    size then): lines written to it afterwards are lost unless the listener wrote them again."""

    def __init__(self, log, pid, every):
        self.log, self.pid, self.every = log, pid, every
        self.moved, self.hups, self.deleted = [], 0, []  # deleted: (fd, size when deleted)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        n = 0
        while not self.stop.wait(self.every):
            n += 1
            try:
                if n % 3 == 0:
                    fd = os.open(self.log, os.O_RDONLY)
                    os.unlink(self.log)
                    self.deleted.append((fd, os.fstat(fd).st_size))
                else:
                    target = f"{self.log}.{n}"
                    os.rename(self.log, target)
                    self.moved.append(target)
                    if n % 3 == 2:
                        os.kill(self.pid, signal.SIGHUP)
                        self.hups += 1
            except FileNotFoundError:
                pass  # not written again since the last turn: nothing at the path yet

    def lines(self):
        """The lines of every file the log became, and of each deleted one up to its deletion."""
        for path in self.moved:
            with open(path, "rb") as f:
                yield from f
        for fd, size in self.deleted:
            yield from os.pread(fd, size, 0).split(b"\n")
            os.close(fd)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--stalls", type=int, default=4, help="stalled connections of each kind")
    parser.add_argument("--binary", default=os.environ.get("SIMSH_BIN"))
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--rotate", type=float, default=0.5,
                        help="move or delete the log every this many seconds (0: never)")
    args = parser.parse_args()
    if not args.binary:
        sys.exit("abuse: say which simsh to try: --binary PATH or SIMSH_BIN")

    tmp = tempfile.mkdtemp(prefix="simsh-abuse-")
    log = os.path.join(tmp, "events.jsonl")
    script = os.path.join(tmp, "listen.simsh")
    rule = os.path.join(tmp, "slowre.simsh")
    with open(rule, "w") as f:
        # Backtracks for minutes unbounded: stopped at the rule's deadline.
        f.write('if $request.data matches "(1|11)*y"\n  reply commands="Exit(\'1\')"\nend\n'
                'reply commands="Exit(\'2\')"\n')
    with open(script, "w") as f:
        f.write(f"listen events --port 0 --log {log}\nanswer smart slowre --script {rule} --within 300ms\n"
                "sleep 1h\n")
    env = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG=os.path.join(tmp, "config.toml"),
               SIMSH_HISTFILE=os.path.join(tmp, "history"), XDG_STATE_HOME=tmp)
    # listen events prints its banner on stderr (stdout keeps results), and refused requests there too.
    listener = subprocess.Popen([args.binary, script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=env, text=True, start_new_session=True,
                                preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, []))
    try:
        first = listener.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        if not m:
            sys.exit(f"abuse: the listener did not start: {first!r}")
        port = int(m.group(1))
        threading.Thread(target=lambda: [None for _ in listener.stderr], daemon=True).start()
        tally = Tally()
        print(f"abuse: listener pid {listener.pid} on port {port}; {args.requests} requests from "
              f"{args.workers} workers, seed {args.seed}", flush=True)

        stalls = [threading.Thread(target=stall, args=(port, tally, kind), daemon=True)
                  for kind in ("slowloris-headers", "slowloris-body", "chunked-never-ends", "idle")
                  for _ in range(args.stalls)]
        for t in stalls:
            t.start()

        kinds = [("valid", 50), ("valid_rest_get", 5), ("malformed_line", 6), ("huge_headers", 3), ("huge_body", 1),
                 ("huge_chunked", 1), ("invalid_utf8", 5), ("not_an_object", 5), ("not_json", 6),
                 ("wrong_method", 6), ("half_closed", 5), ("pipelined_unread", 1), ("regex_rule", 1)]
        names = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        ids = iter(range(10**9))
        ids_lock = threading.Lock()

        class Ids:
            def __next__(self):
                with ids_lock:
                    return next(ids)

        remaining = [args.requests]

        def work(n):
            rng = random.Random(args.seed * 1000 + n)
            w = Worker(port, tally, Ids(), rng)
            while True:
                kind = rng.choices(names, weights)[0]
                with tally.lock:
                    if remaining[0] <= 0:
                        break
                    cost = 50 if kind == "pipelined_unread" else 1
                    remaining[0] -= cost
                    tally.sent += cost
                getattr(w, kind)()
            w.drop()

        rotator = Rotator(log, listener.pid, args.rotate)
        if args.rotate > 0:
            rotator.thread.start()
        started = time.monotonic()
        workers = [threading.Thread(target=work, args=(i,)) for i in range(args.workers)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        sending = time.monotonic() - started
        rotator.stop.set()
        if args.rotate > 0:
            rotator.thread.join()

        # Still answering after all that?
        alive = Worker(port, tally, Ids(), random.Random(0))
        alive.valid()
        alive.drop()
        for t in stalls:
            t.join(timeout=REQUEST_TIMEOUT + IDLE_TIMEOUT + 30)

        time.sleep(0.5)
        logged = set()
        current = []
        if os.path.exists(log):
            with open(log, "rb") as f:
                current = f.readlines()
        for line in current + list(rotator.lines()):
            if line.strip():
                try:
                    uid = json.loads(line)["payload"].get("unique_id")
                except (ValueError, KeyError, AttributeError):
                    continue
                if uid:
                    logged.add(uid)
        lost = tally.valid_ok - logged
        # The event store (SQLite, in the run's own XDG_STATE_HOME): answered 200 = stored.
        stored = set()
        con = sqlite3.connect(os.path.join(tmp, "simsh", "events.db"))
        try:
            stored = {uid for (uid,) in con.execute("SELECT unique_id FROM records WHERE unique_id IS NOT NULL")}
        finally:
            con.close()
        unstored = tally.valid_ok - stored
        rss = peak_rss_mib(listener.pid)
        # Idle now: a match left running (a thread spinning past its deadline) would show as CPU.
        idle_cpu = cpu_seconds(listener.pid)
        time.sleep(2)
        idle_cpu = cpu_seconds(listener.pid) - idle_cpu
        regex_slowest = max((t for _, t in tally.regex), default=0)
        regex_statuses = collections.Counter(st for st, _ in tally.regex)
        longest = {}
        for kind, seconds in tally.stalls:
            longest[kind] = max(longest.get(kind, 0), seconds if seconds is not None else float("inf"))
        stall_bound = {"idle": IDLE_TIMEOUT + 5}
        stalls_ok = all(v <= stall_bound.get(k, REQUEST_TIMEOUT + 5) for k, v in longest.items())

        print(f"sent {tally.sent} requests in {sending:.1f} s")
        print("answered: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.statuses.items())))
        print(f"valid events: {tally.valid_sent} sent, {len(tally.valid_ok)} answered 200, "
              f"{len(tally.valid_ok & logged)} of those in the log, lost {len(lost)}; "
              f"{len(tally.valid_ok & stored)} in the event store, lost {len(unstored)}"
              + (f"; not 200: {dict(tally.valid_not_ok)}" if tally.valid_not_ok else ""))
        print(f"peak RSS of the listener: {rss:.1f} MiB (bound {RSS_BOUND_MIB} MiB)")
        print(f"pathological regex rule: {len(tally.regex)} requests, answered "
              + ", ".join(f"{k} {v}" for k, v in sorted(regex_statuses.items()))
              + f", slowest {regex_slowest:.2f} s; CPU of the idle listener after: {idle_cpu:.2f} s in 2 s")
        if args.rotate > 0:
            print(f"log rotated: moved {len(rotator.moved)} times ({rotator.hups} with SIGHUP), "
                  f"deleted {len(rotator.deleted)} times")
        print("longest-lived stalled connection: " + ", ".join(
            f"{k} {v:.1f} s" for k, v in sorted(longest.items()))
              + f" (bounds: {REQUEST_TIMEOUT + 5} s, idle {IDLE_TIMEOUT + 5} s)")
        failures = []
        if lost:
            failures.append(f"{len(lost)} events answered 200 are not in the log (e.g. {sorted(lost)[:3]})")
        if unstored:
            failures.append(f"{len(unstored)} events answered 200 are not in the event store (e.g. {sorted(unstored)[:3]})")
        if tally.valid_not_ok:
            failures.append(f"valid events not answered 200: {dict(tally.valid_not_ok)}")
        if any(st != "200" for st, _ in tally.regex) or regex_slowest > 10:
            failures.append(f"the regex rule was not answered 200 within 10 s: {dict(regex_statuses)}, "
                            f"slowest {regex_slowest:.1f} s")
        if idle_cpu > 0.5:
            failures.append(f"the idle listener used {idle_cpu:.2f} s of CPU in 2 s (a match left running?)")
        if rss > RSS_BOUND_MIB:
            failures.append(f"peak RSS {rss:.1f} MiB over {RSS_BOUND_MIB} MiB")
        if not stalls_ok:
            failures.append("a stalled connection outlived its timeout")
        if listener.poll() is not None:
            failures.append(f"the listener exited ({listener.returncode})")
        for f in failures:
            print(f"abuse: FAILED: {f}")
        print("abuse: ok" if not failures else "abuse: FAILED")
        return 0 if not failures else 1
    finally:
        try:
            os.killpg(listener.pid, signal.SIGTERM)
            listener.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(listener.pid, signal.SIGKILL)
            listener.wait()


if __name__ == "__main__":
    sys.exit(main())
