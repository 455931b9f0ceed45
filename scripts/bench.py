"""scripts/bench: simsh beside curl, measured in one run (see scripts/bench)."""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

SIMSH = sys.argv[1]
KEY = "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"
ENV = dict(os.environ, NO_COLOR="1", SIMSH_CONFIG="/nonexistent/simsh-bench.toml",
           SIMSH_HISTFILE="/nonexistent/simsh-bench-history")
for k in ("SIMSH_URL", "SIMSH_USER", "SIMSH_PASSWORD", "SIMSH_API_KEY"):
    ENV.pop(k, None)


def once(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=True)
    return (time.perf_counter() - t) * 1000


def timed(cmd, runs):
    """Median wall time in ms of running cmd `runs` times (after one warm-up)."""
    once(cmd)
    return statistics.median(once(cmd) for _ in range(runs))


def paired(a, b, runs):
    """Medians of a and b run alternately, so that both see the same machine load."""
    once(a)
    once(b)
    sa, sb = [], []
    for _ in range(runs):
        sa.append(once(a))
        sb.append(once(b))
    return statistics.median(sa), statistics.median(sb)


def row(label, simsh_ms, curl_ms, goal, ok):
    print(f"{label:<44} simsh {simsh_ms:9.1f} ms   curl {curl_ms:9.1f} ms   ratio {simsh_ms / curl_ms:6.2f}   "
          f"goal {goal:<22} {'ok' if ok else 'MISSED'}")


def main():
    sim = subprocess.Popen([SIMSH, "simulator", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           env=ENV, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", sim.stdout.readline()).group(0)
        connect = f"connect {url} --user test --password Aa123456 --api-key {KEY}"
        curl_ping = ["curl", "-sS", "-o", "/dev/null", "-X", "PUT", "-u", "test:Aa123456", "-H", f"X-APIKEY: {KEY}",
                     "-H", "Content-Type: application/json", "--data", "{}", f"{url}/api/v4/setting/ping/act"]
        print(f"machine: {os.cpu_count()} cores; simulator at {url}; medians of repeated runs\n")

        a_s, a_c = paired([SIMSH, "-c", "version"], ["curl", "--version"], 60)
        row("(a) start to exit: -c version / --version", a_s, a_c, "<= 3x curl", a_s <= 3 * a_c)

        b_s, b_c = paired([SIMSH, "-c", f"{connect}; ping"], curl_ping, 60)
        row("(b) one ping: simsh -c / curl -X PUT", b_s, b_c, "<= 1.5x curl", b_s <= 1.5 * b_c)

        n = 1000
        with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
            f.write(connect + "\n" + "ping\n" * n)
            script = f.name
        c_s = timed([SIMSH, script], 3)
        loop = "for i in $(seq %d); do %s; done" % (n, " ".join("'%s'" % a for a in curl_ping))
        c_c = timed(["bash", "-c", loop], 1)
        os.unlink(script)
        speedup = c_c / c_s
        print(f"{'(c) 1,000 pings: one script / 1,000 curls':<44} simsh {c_s:9.1f} ms   curl {c_c:9.1f} ms   "
              f"speedup {speedup:5.1f}x goal >= 10x faster     {'ok' if speedup >= 10 else 'MISSED'}")
        print(f"    per ping: simsh {c_s / n:.3f} ms, curl process {c_c / n:.3f} ms")
    finally:
        sim.terminate()
        sim.wait()


main()
