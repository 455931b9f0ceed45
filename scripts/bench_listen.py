"""scripts/bench listen: the webhook listener beside nginx under wrk (see scripts/bench)."""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

SIMSH = sys.argv[1]
DURATION = os.environ.get("BENCH_SECONDS", "10")
CDR = ('{"event_name":"Cdr","starttime":"2021-01-16 06:30:37.471398","endtime":"2021-01-16 06:30:37.471398",'
       '"src":"991","dst":"993","type":"local","disposition":"ANSWERED","billsec":9,"wait":11,'
       '"record":"20210116_1610778618.378.mp3","unique_id":"1610778618.378"}')


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for_port(port, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


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


def main():
    tmp = tempfile.mkdtemp(prefix="simsh-bench-")
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[%s]]\n' % CDR)

    nginx_port = free_port()
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};
  uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nginx_port}; location / {{ return 200; }} }} }}
""")
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp], stderr=subprocess.DEVNULL)

    port = free_port()
    log = os.path.join(tmp, "events.jsonl")
    env = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG=os.path.join(tmp, "c.toml"),
               SIMSH_HISTFILE=os.path.join(tmp, "h"))
    listener = subprocess.Popen([SIMSH, "-c", f"listen events --port {port} --log {log} --quiet; sleep 1h"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    idle = subprocess.Popen([SIMSH, "-c", f"listen events --port {free_port()} --quiet; sleep 1h"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_for_port(nginx_port)
        wait_for_port(port)
        time.sleep(0.5)
        print(f"machine: {os.cpu_count()} cores; wrk -t2 -c50 -d{DURATION}s, POST of a G4 Cdr event "
              f"({len(CDR)} bytes); wrk, nginx and simsh share the cores\n")
        n_rps, n_total, _, n_p99, n_err = wrk(f"http://127.0.0.1:{nginx_port}/", lua)
        s_rps, s_total, s_non2xx, s_p99, s_err = wrk(f"http://127.0.0.1:{port}/", lua)
        time.sleep(0.5)
        with open(log) as f:
            logged = sum(1 for _ in f)
        ok_2xx = s_total - s_non2xx
        ratio = s_rps / n_rps
        print(f"nginx 'return 200'      {n_rps:10.0f} req/s   p99 {n_p99:6.2f} ms   socket errors: {n_err}")
        print(f"simsh listen --log      {s_rps:10.0f} req/s   p99 {s_p99:6.2f} ms   socket errors: {s_err}")
        print(f"ratio simsh/nginx       {ratio:10.2f}          goal >= 0.50   {'ok' if ratio >= 0.5 else 'MISSED'}")
        print(f"p99 of simsh            {s_p99:10.2f} ms       goal < 20 ms   {'ok' if s_p99 < 20 else 'MISSED'}")
        lost = max(0, ok_2xx - logged)
        print(f"loss check              {ok_2xx} 2xx answers counted by wrk, {logged} lines in the log "
              f"(a line is written before each 200): {lost} lost   {'ok' if lost == 0 else 'MISSED'}")

        idle_kb = rss_kb(idle.pid)
        # 100,000 events on top of what the run above already sent, then the memory (the store keeps 10,000).
        sent = s_total
        while sent < s_total + 100_000:
            _, t, _, _, _ = wrk(f"http://127.0.0.1:{port}/", lua, seconds="3")
            sent += t
        busy_kb = rss_kb(listener.pid)
        print(f"memory                  idle shell with a listener {idle_kb / 1024:.1f} MiB; "
              f"after {sent:,} events (10,000 kept) {busy_kb / 1024:.1f} MiB")
    finally:
        for p in (listener, idle):
            p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        nginx.terminate()
        nginx.wait()


main()
