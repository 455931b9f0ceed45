"""Tidies the pages generate-manual wrote (see scripts/man)."""
import os
import re
import sys

HIDDEN = {"announce"}  # commands declared with shouldDisplay: false
EXIT_STATUS = """.Bl -tag -width 3n
.It 0
Success.
.It 1
An expectation failed
.Pq Ic expect , Ic wait .
.It 2
Usage or script syntax error.
.It 3
Transport or local I/O error: connection refused, timeout, TLS failure, port in use, unreadable file.
.It 4
API error: HTTP status other than 2xx, or Simotel answered
.Li success
0.
.El"""


def page_name(dotted):
    return dotted.replace(".", "-")


def tidy(text):
    lines = []
    for line in text.split("\n"):
        m = re.match(r"\.Xr simsh\.([\w.]+) 1( ,)?$", line)
        if m:
            if m.group(1).split(".")[0] in HIDDEN:
                continue
            line = ".Xr simsh-%s 1%s" % (m.group(1).replace(".", "-"), m.group(2) or "")
            if lines and lines[-1].rstrip(" ,") == line.rstrip(" ,"):
                continue
        elif line.startswith(".Dt SIMSH."):
            line = line.replace(".", "-", 1).replace("-Dt", ".Dt", 1)
            parts = line.split(" ")
            line = ".Dt " + parts[1].replace(".", "-") + " " + " ".join(parts[2:])
        elif line.startswith(".Ex -std"):
            line = EXIT_STATUS
        elif line and not line.startswith("."):
            # mandoc: a new sentence starts on a new line.
            line = re.sub(r"([.!?:;]) +(?=[A-Z0-9$(~'\"-])", r"\1\n", line)
        lines.append(line)
    # mandoc: no paragraph break right before a list item or the end of a list.
    lines = [l for i, l in enumerate(lines)
             if not (l == ".Pp" and i + 1 < len(lines) and lines[i + 1].startswith((".It", ".El")))]
    out = "\n".join(lines)
    # The list of subcommands must not end with a comma after a left-out entry.
    out = re.sub(r" ,\n(\.Sh|\Z)", r"\n\1", out)
    return out


def main(src, dst):
    for name in sorted(os.listdir(src)):
        if not name.endswith(".1"):
            continue
        parts = name[:-2].split(".")
        if len(parts) > 1 and parts[1] in HIDDEN:
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(dst, page_name(name[:-2]) + ".1"), "w", encoding="utf-8") as f:
            f.write(tidy(text))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
