"""scripts/bench listen: the webhook listener beside nginx under wrk (see scripts/bench).
scripts/bench components: Simotel's component requests answered by an `answer` rule, the same way."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile

from bench_common import CDR, free_port, wait_for_port
import time

SIMSH = sys.argv[1]
COMPONENTS = sys.argv[2:3] == ["components"]
# An IVR API component's request (webhooks.md §6.4), answered {"ok":"1","case":"3"} by a rule.
COMPONENT = '{"src":"09155441","dst":"789","data":"3","unique_id":"","app_name":"menu"}'
DURATION = os.environ.get("BENCH_SECONDS", "10")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wrk(url, lua, connections=50, seconds=DURATION):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rps, total, non2xx, p99_ms, errors.group(1) if errors else "none"


def start_listener(env, tmp, name, port, log, then):
    """A simsh listener on `port` logging to `log` and storing in its own SQLite store (`log` with .db);
    `then` is the script that runs after it starts."""
    script = os.path.join(tmp, name + ".simsh")
    with open(script, "w") as f:
        f.write(f"listen events --port {port} --log {log} --quiet\n{then}\n")
    return subprocess.Popen([SIMSH, "--store", log + ".db", script], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, start_new_session=True)


def stored(db):
    """Records in a store (read while its listener still runs: WAL readers never wait)."""
    import sqlite3
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM records").fetchone()[0]
    finally:
        con.close()


def main():
    tmp = tempfile.mkdtemp(prefix="simsh-bench-")
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n'
                % (COMPONENT if COMPONENTS else CDR))

    nginx_port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; worker_processes auto; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nginx_port}; location / {{ return 200; }} }} }}
""")
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stderr=subprocess.DEVNULL, start_new_session=True)
    env = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG=os.path.join(tmp, "c.toml"),
               SIMSH_HISTFILE=os.path.join(tmp, "h"), XDG_STATE_HOME=tmp)

    # A loop of waits that match, without a loop construct: 100 x `source inner` of 5,000 waits, 100 times over.
    inner = os.path.join(tmp, "inner.simsh")
    with open(inner, "w") as f:
        f.write("wait event Cdr --where unique_id=1610778618.378 --timeout 3600s\n" * 5000)
    middle = os.path.join(tmp, "middle.simsh")
    with open(middle, "w") as f:
        f.write(f"source {inner}\n" * 100)
    rule = os.path.join(tmp, "menu.simsh")
    with open(rule, "w") as f:
        f.write('if $request.data == "3"\n  reply case=3\nelse\n  reply case=1\nend\n')
    # (label, script after `listen events`, p99 goal in ms, whether the req/s ratio is a goal)
    cases = [("component requests answered by a rule", "answer ivr menu case=3\nsleep 1h", 5, True),
             ("... by a rule's script (reply case=3)", f"answer ivr menu --script {rule}\nsleep 1h", 50, False),
             ] if COMPONENTS else [
        ("no waiter", "sleep 1h", 20, True),
        ("a script waiting for an event that never comes", "wait event TrunkRemoved --timeout 3600s", 20, True),
        ("a script in a loop of waits that match", f"source {middle}\n" * 100, 20, True),
    ]
    children = [nginx]
    try:
        wait_for_port(nginx_port)
        what = (f"POST of an IVR API request ({len(COMPONENT)} bytes) answered by a rule" if COMPONENTS
                else f"POST of a G4 Cdr event ({len(CDR)} bytes)")
        print(f"machine: {os.cpu_count()} cores; wrk -t2 -c50 -d{DURATION}s, {what};"
              f" nginx 'return 200' with worker_processes auto; wrk, nginx and simsh share the cores;"
              f" three runs per case, nginx and simsh alternately\n")
        all_ok = True
        for i, (label, then, p99_goal, ratio_goal) in enumerate(cases):
            port = free_port()
            log = os.path.join(tmp, f"events{i}.jsonl")
            listener = start_listener(env, tmp, f"case{i}", port, log, then)
            children.append(listener)
            wait_for_port(port)
            time.sleep(0.5)
            if COMPONENTS:
                reply = subprocess.run(["curl", "-sS", "-H", "Content-Type: application/json", "--data", COMPONENT,
                                        f"http://127.0.0.1:{port}/"], capture_output=True, text=True).stdout
                print(f"  the rule's reply: {reply.strip()}")
            ratios, p99s, answered = [], [], 0
            for run in range(3):
                n_rps, _, _, n_p99, _ = wrk(f"http://127.0.0.1:{nginx_port}/", lua)
                s_rps, s_total, s_non2xx, s_p99, s_err = wrk(f"http://127.0.0.1:{port}/", lua)
                answered += s_total - s_non2xx
                ratios.append(s_rps / n_rps)
                p99s.append(s_p99)
                print(f"  {label}, run {run + 1}: nginx {n_rps:8.0f} req/s (p99 {n_p99:5.2f} ms)   "
                      f"simsh {s_rps:8.0f} req/s (p99 {s_p99:5.2f} ms)   ratio {s_rps / n_rps:4.2f}   errors: {s_err}")
            time.sleep(0.5)
            with open(log) as f:
                logged = sum(1 for _ in f)
            records = stored(log + ".db")
            lost = max(0, answered - logged, answered - records)
            r = sorted(ratios)
            ok = (r[1] >= 0.4 or not ratio_goal) and lost == 0 and sorted(p99s)[1] < p99_goal
            all_ok &= ok
            print(f"{label:<48} ratio min {r[0]:4.2f} median {r[1]:4.2f} "
                  f"({'goal >= 0.40' if ratio_goal else 'no goal'}); p99 median "
                  f"{sorted(p99s)[1]:5.2f} ms (goal < {p99_goal}); {answered} answered 2xx, {logged} logged, "
                  f"{records} stored, {lost} lost   "
                  f"{'ok' if ok else 'MISSED'}\n")
            if i == 0 and not COMPONENTS:
                idle = start_listener(env, tmp, "idle", free_port(), os.path.join(tmp, "idle.jsonl"), "sleep 1h")
                children.append(idle)
                time.sleep(1)
                sent = answered
                while sent < answered + 100_000:
                    _, t, _, _, _ = wrk(f"http://127.0.0.1:{port}/", lua, seconds="3")
                    sent += t
                print(f"memory: idle shell with a listener {rss_kb(idle.pid) / 1024:.1f} MiB; after {sent:,} events "
                      f"(10,000 kept) {rss_kb(listener.pid) / 1024:.1f} MiB\n")
            os.killpg(listener.pid, signal.SIGTERM)
            listener.wait(timeout=10)
        if not COMPONENTS:
            # The floor: NIOHTTP1's own server pipeline answering "ok", nothing recorded or logged.
            floor_bin = os.path.join(os.path.dirname(SIMSH), "bench-http-floor")
            port = free_port()
            floor = subprocess.Popen([floor_bin, str(port)], stdout=subprocess.DEVNULL, start_new_session=True)
            children.append(floor)
            wait_for_port(port)
            ratios = []
            for run in range(3):
                n_rps, _, _, _, _ = wrk(f"http://127.0.0.1:{nginx_port}/", lua)
                f_rps, _, _, f_p99, _ = wrk(f"http://127.0.0.1:{port}/", lua)
                ratios.append(f_rps / n_rps)
                print(f"  NIOHTTP1 floor, run {run + 1}: nginx {n_rps:8.0f} req/s   bare NIO {f_rps:8.0f} req/s "
                      f"(p99 {f_p99:5.2f} ms)   ratio {f_rps / n_rps:4.2f}")
            r = sorted(ratios)
            print(f"{'NIOHTTP1 floor (for comparison, no goal)':<48} ratio min {r[0]:4.2f} median {r[1]:4.2f}\n")
        print("all goals met" if all_ok else "some goals MISSED")
    finally:
        for p in children:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


main()
