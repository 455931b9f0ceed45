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


def row(label, simsh_ms, curl_ms, goal, ok, other="curl"):
    print(f"{label:<48} simsh {simsh_ms:9.1f} ms   {other} {curl_ms:9.1f} ms   ratio {simsh_ms / curl_ms:6.2f}   "
          f"goal {goal:<22} {'ok' if ok else 'MISSED'}")


def three(measure):
    """Runs a measurement three times; returns the min and median of its ratios, and the pairs."""
    runs = [measure() for _ in range(3)]
    ratios = sorted(a / b for a, b in runs)
    return ratios[0], ratios[1], runs


def summary(label, runs, lo, med, goal, ok, other="curl"):
    for i, (a, b) in enumerate(runs, 1):
        print(f"    run {i}: simsh {a:9.1f} ms   {other} {b:9.1f} ms   ratio {a / b:6.2f}")
    print(f"{label:<48} ratio min {lo:5.2f} median {med:5.2f}   goal {goal:<16} {'ok' if ok else 'MISSED'}\n")


def main():
    sim = subprocess.Popen([SIMSH, "simulator", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           env=ENV, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", sim.stdout.readline()).group(0)
        connect = f"connect {url} --user test --password Aa123456 --api-key {KEY}"
        curl_ping = ["curl", "-sS", "-o", "/dev/null", "-X", "PUT", "-u", "test:Aa123456", "-H", f"X-APIKEY: {KEY}",
                     "-H", "Content-Type: application/json", "--data", "{}", f"{url}/api/v4/setting/ping/act"]
        print(f"machine: {os.cpu_count()} cores; simulator at {url}; each figure: three runs, min and median\n")

        lo, med, runs = three(lambda: paired([SIMSH, "-c", "version"], ["curl", "--version"], 40))
        summary("(a) start to exit: -c version / --version", runs, lo, med, "<= 3x curl", med <= 3)

        lo, med, runs = three(lambda: paired([SIMSH, "-c", f"{connect}; ping"], curl_ping, 40))
        summary("(b) one ping: simsh -c / curl -X PUT", runs, lo, med, "<= 1.5x curl", med <= 1.5)

        n = 1000
        with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
            f.write(connect + "\n" + "ping\n" * n)
            script = f.name
        loop = "for i in $(seq %d); do %s; done" % (n, " ".join("'%s'" % a for a in curl_ping))
        lo, med, runs = three(lambda: (timed(["bash", "-c", loop], 1), timed([SIMSH, script], 1)))
        os.unlink(script)
        for i, (c, s_) in enumerate(runs, 1):
            print(f"    run {i}: simsh {s_:9.1f} ms   curl loop {c:9.1f} ms   speedup {c / s_:5.1f}x")
        print(f"{'(c) 1,000 pings: one script / 1,000 curls':<48} speedup min {lo:5.1f}x median {med:5.1f}x   "
              f"goal >= 10x            {'ok' if med >= 10 else 'MISSED'}\n")

        n = 100_000
        with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
            f.write("echo x\n" * n)
            script = f.name
        lo, med, runs = three(lambda: paired([SIMSH, script], ["bash", script], 1))
        os.unlink(script)
        summary("(d) 100,000 'echo x' lines: simsh / bash", runs, lo, med, "<= 2x bash", med <= 2, other="bash")
    finally:
        sim.terminate()
        sim.wait()


main()
