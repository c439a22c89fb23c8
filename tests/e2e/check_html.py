#!/usr/bin/env python3
"""Checks a driftgate HTML report the way a reader's browser sees it.   Usage:
    check_html.py REPORT.html [--expect-roc] [--expect-charts N]
    check_html.py --selftest DIR        (the checks must catch a page that fetches things)

1. Static: parsed with html.parser, no element that loads anything (script, link, iframe, object,
   embed, img, base, meta refresh, ...), no attribute that points outside the file (src, href,
   srcset, xlink:href, action, poster, data, background, ...: only "#..." or "data:" allowed), no
   url(...) or @import in CSS. Every <svg> is closed, charts are counted.
2. Headless Chromium renders it to a PNG (--screenshot) while writing its network log
   (--log-net-log). The PNG is decoded (zlib, struct) and must not be blank: many distinct
   colours. The network log must hold no request made on behalf of the page: the network stack
   tags each request with its network isolation key, which for the page's own subresources is
   the file:// site (Chromium's own background requests carry other keys and are ignored).
Exit 0 when everything holds, 1 with a message otherwise, 77 when chromium is not installed.
"""
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

LOADING_TAGS = {"script", "link", "iframe", "frame", "object", "embed", "img", "base", "audio", "video",
                "source", "track", "image", "use", "feimage", "picture", "portal", "applet", "form", "input"}
URL_ATTRS = {"src", "href", "srcset", "xlink:href", "action", "formaction", "poster", "data", "background",
             "ping", "manifest", "codebase", "cite", "longdesc", "profile", "usemap", "archive", "lowsrc",
             "dynsrc", "imagesrcset"}


class Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.svgs = 0
        self.open_svgs = 0
        self.in_style = False
        self.css = []

    def handle_starttag(self, tag, attrs):
        if tag in LOADING_TAGS:
            self.problems.append(f"element <{tag}> can load a resource")
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            self.problems.append("meta refresh")
        for k, v in attrs:
            v = v or ""
            if k in URL_ATTRS and not (v.startswith("#") or v.startswith("data:")):
                self.problems.append(f"<{tag} {k}={v!r}> points outside the file")
            if k.startswith("on"):
                self.problems.append(f"<{tag} {k}=...>: an event handler (script)")
            if k == "style":
                self.css.append(v)
        if tag == "svg":
            self.svgs += 1
            self.open_svgs += 1
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self.open_svgs -= 1
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.css.append(data)


def static_check(text):
    s = Scan()
    s.feed(text)
    s.close()
    problems = list(s.problems)
    css = "\n".join(s.css)
    if re.search(r"url\s*\(", css, re.I):
        problems.append("CSS url(...)")
    if re.search(r"@import", css, re.I):
        problems.append("CSS @import")
    if re.search(r"javascript:", text, re.I):
        problems.append("javascript: URL")
    if s.open_svgs != 0:
        problems.append("an <svg> is not closed")
    return problems, s.svgs


def png_pixels(path):
    """(width, height, distinct colours) of an 8-bit RGB or RGBA PNG, non-interlaced."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace != 0:
                raise ValueError(f"unsupported PNG: depth {depth} type {ctype} interlace {interlace}")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    i = 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        # Sample every 4th pixel of every 4th row: enough to tell a page from a blank one.
        if _ % 4 == 0:
            for x in range(0, width, 4):
                colours.add(bytes(line[x * bpp:x * bpp + 3]))
        prev = line
    return width, height, len(colours)


def page_requests(netlog_path):
    """URLs of requests the network stack made for the file:// page."""
    log = json.load(open(netlog_path))
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    out = []
    for e in log["events"]:
        if names.get(e["type"]) not in ("URL_REQUEST_START_JOB", "REQUEST_ALIVE"):
            continue
        p = e.get("params", {})
        nik = p.get("network_isolation_key", "")
        if "file://" in nik or p.get("initiator") == "null" or "site=file://" in p.get("site_for_cookies", ""):
            out.append(p.get("url", "?"))
    return out


def render(path, workdir):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("SKIPPED: chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        sys.exit(77)
    shot = os.path.join(workdir, "shot.png")
    netlog = os.path.join(workdir, "net.json")
    profile = tempfile.mkdtemp(dir=workdir)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1200,2000",
           f"--log-net-log={netlog}", "file://" + os.path.abspath(path)]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
    if not os.path.exists(shot) or not os.path.exists(netlog):
        raise SystemExit(f"chromium wrote no screenshot or network log ({' '.join(cmd)})")
    return shot, netlog


def check(path, expect_roc, expect_charts):
    text = open(path, encoding="utf-8").read()
    problems, svgs = static_check(text)
    if svgs < expect_charts:
        problems.append(f"{svgs} <svg> charts, expected at least {expect_charts}")
    if expect_roc and "ROC curve of" not in text:
        problems.append("no ROC curve")
    if "prefers-color-scheme:dark" not in text.replace(" ", ""):
        problems.append("no dark colour scheme")
    with tempfile.TemporaryDirectory() as work:
        shot, netlog = render(path, work)
        w, h, colours = png_pixels(shot)
        if (w, h) != (1200, 2000):
            problems.append(f"screenshot is {w}x{h}")
        if colours < 20:
            problems.append(f"screenshot looks blank: {colours} distinct colours")
        reqs = page_requests(netlog)
        if reqs:
            problems.append(f"the page made requests: {reqs}")
    return problems, svgs, colours


def selftest(directory):
    """A page that fetches things and a blank page must both be caught."""
    bad = os.path.join(directory, "bad.html")
    with open(bad, "w") as f:
        f.write('<!DOCTYPE html><html><head><style>body{background:url(http://127.0.0.1:9/b.png)}</style></head>'
                '<body><img src="http://127.0.0.1:9/x.png"><svg><image href="http://127.0.0.1:9/z.png"/></svg>'
                '</body></html>')
    problems, _, _ = check(bad, False, 0)
    caught_static = any("<img src=" in p for p in problems)
    caught_network = any("requests" in p and "127.0.0.1:9/x.png" in p for p in problems)
    blank = os.path.join(directory, "blank.html")
    with open(blank, "w") as f:
        f.write("<!DOCTYPE html><html><body></body></html>")
    bproblems, _, _ = check(blank, False, 0)
    caught_blank = any("blank" in p for p in bproblems)
    if not (caught_static and caught_network and caught_blank):
        print(f"self-test failed: static {caught_static}, network {caught_network}, blank {caught_blank}: "
              f"{problems} {bproblems}", file=sys.stderr)
        return 1
    print("self-test: external references, page requests and a blank page are all caught")
    return 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--selftest":
        return selftest(sys.argv[2])
    path = sys.argv[1]
    expect_roc = "--expect-roc" in sys.argv
    expect_charts = int(sys.argv[sys.argv.index("--expect-charts") + 1]) if "--expect-charts" in sys.argv else 1
    problems, svgs, colours = check(path, expect_roc, expect_charts)
    if problems:
        for p in problems:
            print(f"{path}: {p}", file=sys.stderr)
        return 1
    print(f"{path}: ok ({svgs} charts, {colours} colours sampled, no request)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
