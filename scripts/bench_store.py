"""scripts/bench store: the event store at size (see scripts/bench).

Builds a store of 1,000,000 records of 100,000 calls spread over 30 days — the schema made by simsh itself
(`events search` on a new file), the rows written by Python's sqlite3 into it in one transaction — then times
`calls trace ID` and `calls --since 1h` as whole simsh processes (start-up included), three runs each, and
reports the store's bytes per event beside the event's JSON line."""
import glob
import json
import os
import pwd
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

from bench_common import CDR, free_port, wait_for_port

SIMSH = sys.argv[1]
RECORDS = int(os.environ.get("BENCH_RECORDS", "1000000"))
CALLS = RECORDS // 10


def event_line(name, t_ms, payload):
    t = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t_ms / 1000)) + ".%03dZ" % (t_ms % 1000)
    return json.dumps({"time": t, "remote": "10.0.0.5:40512", "method": "POST", "path": "/", "variant": "G4/POST",
                       "name": name, "payload": payload}, separators=(",", ":"))


def call_records(i, start_ms):
    """Ten records of one call, as Simotel sends them: NewState x6, OutgoingCall, CdrQueue-free Cdr, …"""
    unique = f"{start_ms // 1000}.{i}"
    orig = f"orig.call.{start_ms // 1000}.{i}" if i % 3 == 0 else None
    src, dst = str(100 + i % 400), "0912" + str(1000000 + i)
    out = []
    t = start_ms
    for state in ("Ringing", "InUse", "Ringing", "InUse", "Idle", "Idle"):
        t += random.randint(50, 3000)
        p = {"event_name": "NewState", "exten": src, "state": state, "participant": dst, "direction": "out",
             "unique_id": unique}
        out.append(("event", t, "NewState", None, unique, event_line("NewState", t, p)))
    for name in ("OutgoingCall", "Transfer", "Survey"):
        t += random.randint(50, 3000)
        p = {"event_name": name, "number": dst, "unique_id": unique, "outgoing_point": "to_simo_51_20"}
        if orig:
            p["originated_call_id"] = orig
        out.append(("event", t, name, orig, unique, event_line(name, t, p)))
    t += random.randint(1000, 60000)
    p = {"event_name": "Cdr", "starttime": "2021-01-16 06:30:37.471398", "endtime": "2021-01-16 06:31:37.471398",
         "src": src, "dst": dst, "type": "outgoing", "disposition": "ANSWERED", "billsec": 49, "wait": 11,
         "record": f"20210116_{unique}.mp3", "unique_id": unique}
    if orig:
        p["originated_call_id"] = orig
    out.append(("event", t, "Cdr", orig, unique, event_line("Cdr", t, p)))
    return out, (orig or unique)


def run(args, env):
    t = time.perf_counter()
    r = subprocess.run([SIMSH] + args, capture_output=True, text=True, env=env)
    ms = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        raise SystemExit(f"simsh {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return ms, r.stdout


def main():
    tmp = tempfile.mkdtemp(prefix="simsh-bench-store-")
    db = os.path.join(tmp, "events.db")
    env = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG=os.path.join(tmp, "c.toml"),
               SIMSH_HISTFILE=os.path.join(tmp, "h"), XDG_STATE_HOME=tmp)
    run(["--store", db, "-c", "events search --last 1"], env)  # the schema, as simsh makes it
    con = sqlite3.connect(db)
    now_ms = int(time.time() * 1000)
    span_ms = 30 * 86_400_000
    random.seed(7)
    rows, line_bytes, ids = [], 0, []
    t0 = time.time()
    starts = sorted(now_ms - random.randint(0, span_ms) for _ in range(CALLS))
    for i, start in enumerate(starts):
        recs, call_id = call_records(i, start)
        ids.append(call_id)
        for kind, t, name, orig, unique, body in recs:
            rows.append((kind, t, name, orig, unique, "bench", None, body))
            line_bytes += len(body) + len('{"seq":1000000,') - 1 + 1
    rows.sort(key=lambda r: r[1])
    con.execute("BEGIN")
    con.executemany("INSERT INTO records (kind, time_ms, name, call_id, unique_id, source, extra_keys, body) "
                    "VALUES (?,?,?,?,?,?,?,?)", rows)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    size = os.path.getsize(db)
    print(f"store: {len(rows):,} records of {CALLS:,} calls over 30 days, built in {time.time() - t0:.0f} s; "
          f"{size / len(rows):.0f} bytes per event in SQLite, the JSON line {line_bytes / len(rows):.0f} bytes: "
          f"ratio {size / line_bytes:.2f} (goal <= 2)")
    start_ms, _ = run(["--store", db, "-c", "version"], env)
    cases = [("calls trace ID (an originated call, 30 days back)", ["calls", "trace", ids[len(ids) // 7]]),
             ("calls trace ID (a recent call's unique id)", ["calls", "trace", ids[-5]]),
             ("calls --since 1h", ["calls", "--since", "1h", "--last", "1000"])]
    for label, args in cases:
        times = []
        for _ in range(3):
            ms, out = run(["--store", db, "-c", " ".join(args)], env)
            times.append(ms)
        lines = len(out.splitlines())
        lo, med = min(times), statistics.median(times)
        print(f"{label:<52} min {lo:6.1f} ms  median {med:6.1f} ms  ({lines} lines; goal <= 50 ms)  "
              f"{'ok' if med <= 50 else 'MISSED'}")
    start = [run(["--store", db, "-c", "version"], env)[0] for _ in range(3)]
    print(f"{'(simsh -c version with the same store, for the start-up share)':<52} min {min(start):6.1f} ms  "
          f"median {statistics.median(start):6.1f} ms")


def postgres(tmp):
    """A PostgreSQL server from Debian's package, with its default durability (fsync and synchronous
    commits on), as the postgres user when run as root; its port, its psql and the process."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    if not bins:
        return None
    bin_dir = bins[-1]
    data = os.path.join(tmp, "pg")
    os.makedirs(data)
    as_user = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
        os.chown(data, pw.pw_uid, pw.pw_gid)
        as_user = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
    pwfile = os.path.join(tmp, "pw")
    with open(pwfile, "w") as f:
        f.write("bench\n")
    os.chmod(pwfile, 0o644)
    subprocess.run(as_user + [f"{bin_dir}/initdb", "-D", data, "-U", "simsh", f"--pwfile={pwfile}",
                              "--auth-local=trust", "--auth-host=scram-sha-256", "--no-locale", "-E", "UTF8"],
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(as_user + [f"{bin_dir}/postgres", "-D", data, "-k", data, "-h", "127.0.0.1",
                                         "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    wait_for_port(port)
    env = dict(os.environ, PGPASSWORD="bench")

    def psql(sql, db="postgres"):
        return subprocess.run([f"{bin_dir}/psql", "-X", "-w", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", str(port),
                               "-U", "simsh", "-d", db, "-c", sql], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()
    psql("CREATE DATABASE simsh")
    return port, psql, server


def wrk(url, lua, seconds=10):
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{seconds}s", "-s", lua, url], capture_output=True, text=True,
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return rps, total - non2xx


def postgres_listener():
    """The listener storing in PostgreSQL on the same machine, under wrk: events/s and lost."""
    tmp = tempfile.mkdtemp(prefix="simsh-bench-pg-")
    os.chmod(tmp, 0o755)
    pg = postgres(tmp)
    if pg is None:
        print("PostgreSQL: not installed (scripts/setup --tests installs it); not measured")
        return
    port, psql, server = pg
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' % CDR)
    env = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG=os.path.join(tmp, "c.toml"), SIMSH_HISTFILE=os.path.join(tmp, "h"),
               XDG_STATE_HOME=tmp, PGPASSWORD="bench")
    listen_port = free_port()
    listener = subprocess.Popen([SIMSH, "--store", f"postgresql://simsh@127.0.0.1:{port}/simsh", "-c",
                                 f"listen events --port {listen_port} --quiet; sleep 1h"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(listen_port)
        answered, rates = 0, []
        for run in range(3):
            rps, ok = wrk(f"http://127.0.0.1:{listen_port}/", lua)
            answered += ok
            rates.append(rps)
            print(f"  PostgreSQL store, run {run + 1}: {rps:8.0f} events/s")
        time.sleep(1)
        stored = int(psql("SELECT count(*) FROM records", "simsh"))
        size = int(psql("SELECT pg_total_relation_size('records') + pg_total_relation_size('record_keys')", "simsh"))
        line = len(CDR) + 160
        med = statistics.median(rates)
        print(f"{'listener with the PostgreSQL store (fsync on)':<52} min {min(rates):8.0f} median {med:8.0f} "
              f"events/s (goal >= 10,000) {'ok' if med >= 10000 else 'MISSED'}; {answered} answered 200, "
              f"{stored} stored, {max(0, answered - stored)} lost; {size / max(1, stored):.0f} bytes per event, "
              f"the JSON line ~{line} bytes: ratio {size / max(1, stored) / line:.2f} (goal <= 3)")
    finally:
        for p in (listener, server):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


main()
if os.environ.get("BENCH_POSTGRES", "1") == "1":
    postgres_listener()
