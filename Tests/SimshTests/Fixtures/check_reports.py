"""Reads simsh test's reports with independent parsers and prints what they hold as JSON.

usage: check_reports.py JUNIT_XML HTML_FILE
JUnit: junitparser (Debian python3-junitparser), which CI tools' importers resemble.
HTML: Python's html.parser, checking that every element opened is closed in order.
"""
import json
import sys
from html.parser import HTMLParser

from junitparser import Error, Failure, JUnitXml

junit_path, html_path = sys.argv[1], sys.argv[2]
xml = JUnitXml.fromfile(junit_path)
cases = []
for suite in xml:
    for case in suite:
        results = [{"kind": "failure" if isinstance(r, Failure) else "error" if isinstance(r, Error) else r._tag,
                    "message": r.message, "text": r.text or ""} for r in case.result]
        cases.append({"name": case.name, "classname": case.classname, "time": case.time, "results": results,
                      "out": case.system_out or "", "err": case.system_err or ""})


class Page(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.rows, self.text, self.failures = [], [], 0, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("class") == "case":
            self.rows += 1
        if tag == "p" and attrs.get("class") == "failure":
            self.failures += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


page = Page()
with open(html_path, encoding="utf-8") as f:
    page.feed(f.read())
page.close()
print(json.dumps({
    "suites": len(list(xml)), "cases": cases,
    "html": {"rows": page.rows, "failures": page.failures, "unclosed": page.stack, "errors": page.errors,
             "text": "".join(page.text)},
}))
