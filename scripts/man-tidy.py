"""Tidies the pages generate-manual wrote (see scripts/man)."""
import os
import re
import subprocess
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


def literal(line):
    """A line shown as typed in a .Bd -literal block."""
    line = line.replace("\\", "\\e")
    return "\\&" + line if line.startswith((".", "'")) else line


def examples_section(text):
    """Moves the examples a command's discussion ends with (`Examples:`, then a line saying what
    each is for, indented 2, and what is typed and printed, indented 4) to an EXAMPLES section."""
    lines = text.split("\n")
    if "Examples:" not in lines:
        return text
    start = lines.index("Examples:")
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    block = lines[start + 1:end]
    del lines[start:end]
    if start > 0 and lines[start - 1] == "":
        del lines[start - 1]
    section = [".Sh EXAMPLES"]
    in_literal = False
    for line in block:
        if line.startswith("    "):
            if not in_literal:
                section.append(".Bd -literal -offset indent")
                in_literal = True
            section.append(literal(line[4:]))
        else:
            if in_literal:
                section.append(".Ed")
                in_literal = False
            if len(section) > 1:
                section.append(".Pp")
            section.append(line[2:])
    if in_literal:
        section.append(".Ed")
    # mdoc's order: ... EXIT STATUS, EXAMPLES, ... SEE ALSO.
    at = next((i for i, l in enumerate(lines) if l.startswith(('.Sh "SEE ALSO"', ".Sh SEE ALSO"))), len(lines))
    while at > 0 and lines[at - 1] == "":
        at -= 1
    return "\n".join(lines[:at] + section + lines[at:])


def list_section(text, heading, section, macro):
    """Moves a discussion's `Heading:` block of `  NAME   meaning` lines to a section of its own
    (ENVIRONMENT, FILES), before EXIT STATUS."""
    lines = text.split("\n")
    if heading not in lines:
        return text
    start = lines.index(heading)
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    block = lines[start + 1:end]
    del lines[start:end]
    out = [".Sh " + section, ".Bl -tag -width Ds"]
    for entry in block:
        name, meaning = re.split(r"\s{2,}", entry.strip(), maxsplit=1)
        out += [".It %s %s" % (macro, name.replace("~", "\\(ti")), meaning]
    out.append(".El")
    at = next(i for i, l in enumerate(lines) if l.startswith('.Sh "EXIT STATUS"'))
    return "\n".join(lines[:at] + out + lines[at:])


def root_page(text, raw_dir, simsh):
    """simsh(1): the synopsis of every mode (the usage declared beside the command line), the
    shell's options, environment and files, and the other sections' pages."""
    usage = subprocess.run([simsh, "--help"], capture_output=True, text=True,
                           env=dict(os.environ, COLUMNS="300")).stdout
    modes = []
    for line in usage.split("\n"):
        if line.startswith("USAGE: ") or (modes and line.startswith("       simsh")):
            modes.append(line[len("USAGE: "):].strip())
        elif modes:
            break
    synopsis = [".Sh SYNOPSIS"]
    for mode in modes:
        synopsis += [".Nm", mode[len("simsh "):].replace("\\", "\\e")]
    lines = text.split("\n")
    a = lines.index(".Sh SYNOPSIS")
    b = lines.index(".Sh DESCRIPTION")
    lines[a:b] = synopsis
    text = "\n".join(lines)
    # OPTIONS: the shell's (the default mode), instead of the bare --help of the tree's root.
    with open(os.path.join(raw_dir, "simsh.shell.1"), encoding="utf-8") as f:
        shell = f.read().split("\n")
    start = next(i for i, l in enumerate(shell) if l.startswith(".Bl -tag"))
    end = shell.index(".El", start)
    lines = text.split("\n")
    start_root = next(i for i, l in enumerate(lines) if l.startswith(".Bl -tag"))
    end_root = lines.index(".El", start_root)
    lines[start_root:end_root + 1] = [".Sh OPTIONS"] + shell[start:end + 1]
    text = "\n".join(lines)
    # The pages of sections 5 and 7 after those of section 1.
    text = text.rstrip("\n") + " ,\n.Xr simsh-script 5 ,\n.Xr simsh-api 7 ,\n.Xr simsh-events 7\n"
    return no_stray_paragraphs(text)


def help_examples(simsh, words):
    """The examples `WORDS --help` ends with in the shell (a built-in's, kept beside its declaration)."""
    if not simsh or not words:
        return ""
    out = subprocess.run([simsh, "-c", " ".join(words) + " --help"], capture_output=True, text=True,
                         env=dict(os.environ, NO_COLOR="1", COLUMNS="300")).stdout
    lines = out.rstrip("\n").split("\n")
    if "Examples:" not in lines:
        return ""
    return "\n".join(lines[lines.index("Examples:"):])


def no_stray_paragraphs(text):
    """mandoc: no paragraph break right before a list item, the end of a list, a list or a section."""
    lines = text.split("\n")
    lines = [l for i, l in enumerate(lines)
             if not (l == ".Pp" and (i + 1 == len(lines) or lines[i + 1].startswith((".It", ".El", ".Sh", ".Bl"))))]
    return "\n".join(lines)


def tidy(text, examples=""):
    if examples and "Examples:" not in text.split("\n"):
        # Into the description, where a discussion's own examples are: moved out below.
        at = text.index(".Sh DESCRIPTION\n") + len(".Sh DESCRIPTION\n")
        end = text.find("\n.", at)
        text = text[:end + 1] + examples + "\n" + text[end + 1:]
    text = examples_section(text)
    text = list_section(text, "Environment:", "ENVIRONMENT", "Ev")
    text = list_section(text, "Files:", "FILES", "Pa")
    lines = []
    in_literal = False
    for line in text.split("\n"):
        if line.startswith(".Bd -literal"):
            in_literal = True
        elif line == ".Ed":
            in_literal = False
        elif in_literal:
            lines.append(line)
            continue
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
        elif line == "" and lines and not lines[-1].startswith("."):
            line = ".Pp"  # a blank line between a discussion's paragraphs
        elif line.startswith(".Ex -std"):
            line = EXIT_STATUS
        elif line and not line.startswith("."):
            # mandoc: a new sentence starts on a new line.
            line = re.sub(r"([.!?:;]) +(?=[A-Z0-9$(~'\"-])", r"\1\n", line)
        lines.append(line)
    out = no_stray_paragraphs("\n".join(lines))
    # The list of subcommands must not end with a comma after a left-out entry.
    out = re.sub(r" ,\n(\.Sh|\Z)", r"\n\1", out)
    return out


def main(src, dst, simsh=None):
    for name in sorted(os.listdir(src)):
        if not name.endswith(".1"):
            continue
        parts = name[:-2].split(".")
        if len(parts) > 1 and parts[1] in HIDDEN:
            continue
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(dst, page_name(name[:-2]) + ".1"), "w", encoding="utf-8") as f:
            words = name[:-2].split(".")[1:]
            page = tidy(text, help_examples(simsh, words))
            if name == "simsh.1" and simsh:
                page = root_page(page, src, simsh)
            f.write(page)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
