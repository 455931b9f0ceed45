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


def connect_line(url):
    return f"connect {url} --user test --password Aa123456 --api-key {KEY}"


def curl_ping(url):
    return ["curl", "-sS", "-o", "/dev/null", "-X", "PUT", "-u", "test:Aa123456", "-H", f"X-APIKEY: {KEY}",
            "-H", "Content-Type: application/json", "--data", "{}", f"{url}/api/v4/setting/ping/act"]


def speedup(label, script, loop):
    """A script run once by simsh beside a bash loop of curl, three times; prints the speedups."""
    lo, med, runs = three(lambda: (timed(["bash", "-c", loop], 1), timed([SIMSH, script], 1)))
    os.unlink(script)
    for i, (c, s_) in enumerate(runs, 1):
        print(f"    run {i}: simsh {s_:9.1f} ms   curl loop {c:9.1f} ms   speedup {c / s_:5.1f}x")
    print(f"{label:<48} speedup min {lo:5.1f}x median {med:5.1f}x   "
          f"goal >= 10x            {'ok' if med >= 10 else 'MISSED'}\n")


def checks(sim_url):
    """scripts/bench checks: a 1,000-request check file beside a bash loop of curl; simsh test over
    50 small files with --jobs 2 beside one by one."""
    connect = connect_line(sim_url)
    ping_cmd = curl_ping(sim_url)
    n = 1000
    with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
        f.write(connect + "\n" + "ping\nexpect success\nexpect $response.status == 200\n" * n)
        script = f.name
    # The same check in bash: curl each ping and test its HTTP status.
    loop = ("for i in $(seq %d); do s=$(%s -w '%%{http_code}'); [ \"$s\" = 200 ] || exit 1; done"
            % (n, " ".join("'%s'" % a for a in ping_cmd)))
    speedup("(e) 1,000 pings + expects: one check file / curl", script, loop)

    directory = tempfile.mkdtemp()
    for i in range(50):
        with open(os.path.join(directory, f"check{i:02}.simsh"), "w") as f:
            f.write("ping\nexpect success\nusers search\nexpect length $response.data >= 1\n")
    env_run = ["--var", "unused=1"]
    parallel = [SIMSH, "test", directory, "--demo", "--jobs", "2"] + env_run
    serial = [SIMSH, "test", directory, "--demo", "--jobs", "1"] + env_run
    lo, med, runs = three(lambda: paired(parallel, serial, 1))
    for i, (a, b) in enumerate(runs, 1):
        print(f"    run {i}: --jobs 2 {a:9.1f} ms   --jobs 1 {b:9.1f} ms   ratio {a / b:5.2f}")
    print(f"{'(f) simsh test, 50 files: --jobs 2 / --jobs 1':<48} ratio min {lo:5.2f} median {med:5.2f}   "
          f"(2 cores: below 1 is faster)\n")
    for name in os.listdir(directory):
        os.unlink(os.path.join(directory, name))
    os.rmdir(directory)


def main():
    sim = subprocess.Popen([SIMSH, "simulator", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           env=ENV, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", sim.stdout.readline()).group(0)
        connect = connect_line(url)
        ping_cmd = curl_ping(url)
        print(f"machine: {os.cpu_count()} cores; simulator at {url}; each figure: three runs, min and median\n")
        if sys.argv[2:3] == ["checks"]:
            checks(url)
            return

        lo, med, runs = three(lambda: paired([SIMSH, "-c", "version"], ["curl", "--version"], 40))
        summary("(a) start to exit: -c version / --version", runs, lo, med, "<= 3x curl", med <= 3)

        lo, med, runs = three(lambda: paired([SIMSH, "-c", f"{connect}; ping"], ping_cmd, 40))
        summary("(b) one ping: simsh -c / curl -X PUT", runs, lo, med, "<= 1.5x curl", med <= 1.5)

        n = 1000
        with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
            f.write(connect + "\n" + "ping\n" * n)
            script = f.name
        loop = "for i in $(seq %d); do %s; done" % (n, " ".join("'%s'" % a for a in ping_cmd))
        speedup("(c) 1,000 pings: one script / 1,000 curls", script, loop)

        n = 100_000
        with tempfile.NamedTemporaryFile("w", suffix=".simsh", delete=False) as f:
            f.write("echo x\n" * n)
            script = f.name
        # Each run: the medians of 7 alternated executions (one execution is at the mercy of the
        # machine: single runs of bash itself varied from 160 to 270 ms).
        lo, med, runs = three(lambda: paired([SIMSH, script], ["bash", script], 7))
        os.unlink(script)
        summary("(d) 100,000 'echo x' lines: simsh / bash", runs, lo, med, "<= 2x bash", med <= 2, other="bash")
    finally:
        sim.terminate()
        sim.wait()


main()
