"""Writes simsh-api(7) from the endpoint catalog (one `simsh --output json -c 'describe …; describe …'`)."""
import json
import subprocess
import sys

simsh, out = sys.argv[1], sys.argv[2]
listing = subprocess.run([simsh, "-c", "describe"], capture_output=True, text=True, check=True).stdout

rows = []
for line in listing.splitlines():
    parts = line.split("  ")
    parts = [p for p in parts if p.strip()]
    method_path = next(p for p in parts if p.strip().startswith(("POST ", "PUT ")))
    rows.append(method_path.strip().split()[1])
described = subprocess.run([simsh, "--output", "json", "-c", "; ".join(f"describe {p}" for p in rows)],
                           capture_output=True, text=True, check=True).stdout
specs = [json.loads(line) for line in described.splitlines()]
assert len(specs) == len(rows), f"{len(specs)} descriptions for {len(rows)} services"


def esc(text):
    text = str(text).replace("\\", "\\e")
    return ("\\&" + text) if text.startswith((".", "'")) else text


lines = [
    ".Dd November 26, 2026", ".Dt SIMSH-API 7", ".Os", ".Sh NAME", ".Nm simsh-api",
    ".Nd every Simotel API v4 service as a simsh command", ".Sh DESCRIPTION",
    "Each service of Simotel's API v4 is a command named by resource and action.",
    "Fields are given as",
    ".Ql field=value",
    "(a string),",
    ".Ql field:=JSON",
    "(a raw JSON value) or one JSON body; dotted names nest",
    ".Pq Ql forward_policy.Busy=571 .",
    "A missing required field, an unknown field or a value outside the allowed set stops the command",
    "before anything is sent, with exit status 2.",
    "Paged searches take",
    ".Fl -start , Fl -count , Fl -sort Ar FIELD Ns Op :desc",
    "and",
    ".Fl -all ;",
    "downloads take",
    ".Fl -out Ar FILE ;",
    "destructive actions ask first in the shell unless",
    ".Fl -yes .",
    "Required marks: R required, L normally sent, O optional.",
    "This page is generated from the same catalog as",
    ".Ic describe",
    "and the simulator.",
    ".Sh SERVICES",
]
for s in specs:
    lines += [".Ss " + esc(s["command"]), esc(s["summary"]) + ":", ".Li " + s["method"] + " /api/v4/" + s["path"]]
    if s["fields"]:
        lines.append(".Bl -tag -width Ds -compact")
        for f in s["fields"]:
            text = f"{f['need']} {f['type']}"
            if f["allowed"]:
                text += ", one of " + ", ".join(f["allowed"])
            lines += [".It Li " + esc(f["name"]), esc(text)]
        lines.append(".El")
    lines += ["Example:", ".Dl " + esc(s["example"])]
lines += [".Sh SEE ALSO", ".Xr simsh 1 ,", ".Xr simsh-call 1 ,", ".Xr simsh-describe 1"]
with open(out, "w", encoding="utf-8") as fh:
    fh.write("\n".join(lines) + "\n")
