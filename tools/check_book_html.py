"""Open every page of the built book in headless Chromium, offline, and check what a reader sees.

For each ``*.html`` page under the build directory (``_build/html`` by
default) the page is loaded from disk in Debian's ``chromium`` driven through
Selenium and ``chromedriver``, with every host name unresolvable (no network),
and checked for

* math: MathJax (the local copy) has finished and every ``.math`` element was
  typeset; no raw TeX delimiters (``\\(``, ``\\[``, ``$$``) are left in the text
  outside code;
* figures: every ``<img>`` has loaded (non-zero natural width);
* console: no message of level SEVERE (failed loads, script errors);
* links: every internal link points to an existing file, and an ``#anchor``
  to an existing ``id`` in it.

It prints one line per page and exits with status 1 if any page has a defect,
and 2 if Chromium or its driver is missing (``make browser`` installs both).

Usage::

    python tools/check_book_html.py [_build/html]
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM_NAMES = ("chromium", "chromium-browser")
DRIVER_PATHS = ("chromedriver", "/usr/lib/chromium/chromedriver")

WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const hasMathJax = !!document.querySelector('script[src*="mathjax"], script[src*="tex-chtml"]');
if (!hasMathJax) { done('absent'); return; }
const t0 = Date.now();
(function poll() {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(() => done('typeset')).catch(e => done('error: ' + e));
  } else if (Date.now() - t0 > 15000) {
    done('error: MathJax did not start within 15 s');
  } else { setTimeout(poll, 50); }
})();
"""

INSPECT = r"""
const math = Array.from(document.querySelectorAll('.math'));
const untypeset = math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60));
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const raw = [];
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (n.parentElement.closest('pre, code, script, style, mjx-container, .math, textarea')) continue;
  const m = n.textContent.match(/\\\(|\\\[|\$\$/);
  if (m) raw.push(n.textContent.trim().slice(0, 60));
}
const broken = Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
                    .map(i => i.getAttribute('src'));
return {math: math.length, untypeset: untypeset, raw: raw, images: document.images.length, broken: broken};
"""


class _Anchors(HTMLParser):
    """Collects the ``id``/``name`` anchors and the ``href`` links of one HTML file."""

    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def parse(path: Path) -> _Anchors:
    p = _Anchors()
    p.feed(path.read_text(errors="replace"))
    return p


def check_links(page: Path, root: Path, cache: dict) -> list[str]:
    """Internal links of ``page`` whose file or anchor does not exist."""
    bad = []
    for href in parse(page).links:
        url = urlparse(href)
        if url.scheme in ("http", "https", "mailto", "ftp", "javascript", "data"):
            continue
        target = page if not url.path else (page.parent / unquote(url.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.exists() or root.resolve() not in target.resolve().parents and target.resolve() != root:
            bad.append(f"{href} (no such file)")
            continue
        if url.fragment and target.suffix == ".html":
            ids = cache.setdefault(target, parse(target).ids)
            if unquote(url.fragment) not in ids:
                bad.append(f"{href} (no anchor)")
    return bad


def find_browser():
    chromium = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    driver = next((shutil.which(p) or (p if Path(p).exists() else None) for p in DRIVER_PATHS
                   if shutil.which(p) or Path(p).exists()), None)
    return chromium, driver


def make_driver(chromium: str, driver: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--allow-file-access-from-files", "--window-size=1200,900",
                # no network: every host name fails to resolve, and no proxy can be reached
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                "--no-first-run", "--disable-background-networking", "--disable-component-update"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=driver))
    drv.set_script_timeout(30)
    drv.set_page_load_timeout(60)
    return drv


REDIRECT = re.compile(r'^\s*<meta http-equiv="Refresh" content="0; url=([^"]+)"\s*/?>\s*$', re.I)



def content_problems(info: dict) -> list[str]:
    """What the page inspection ``INSPECT`` found: untypeset math, raw TeX, images that did not load."""
    problems = []
    if info["untypeset"]:
        problems.append(f"{len(info['untypeset'])} math element(s) not typeset, e.g. {info['untypeset'][0]!r}")
    if info["raw"]:
        problems.append(f"raw TeX in the text, e.g. {info['raw'][0]!r}")
    if info["broken"]:
        problems.append(f"{len(info['broken'])} image(s) not loaded, e.g. {info['broken'][0]}")
    return problems


def check_page(drv, page: Path, root: Path, cache: dict) -> tuple[list[str], str]:
    redirect = REDIRECT.match(page.read_text(errors="replace"))
    if redirect:  # Sphinx's index.html: the browser leaves it at once, so check its target exists instead
        target = (page.parent / redirect.group(1)).resolve()
        return ([] if target.is_file() else [f"redirects to a missing page {redirect.group(1)}"]), \
            f"redirect to {redirect.group(1)}"
    drv.get(page.resolve().as_uri())
    problems = []
    mathjax = drv.execute_async_script(WAIT_FOR_MATHJAX)
    if mathjax.startswith("error"):
        problems.append(f"MathJax {mathjax}")
    info = drv.execute_script(INSPECT)
    problems += content_problems(info)
    severe = [e["message"] for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
    if severe:
        problems.append(f"{len(severe)} console error(s), e.g. {severe[0][:160]}")
    bad_links = check_links(page, root, cache)
    if bad_links:
        problems.append(f"{len(bad_links)} broken internal link(s), e.g. {bad_links[0]}")
    summary = f"math={info['math']} ({mathjax}) images={info['images']}"
    return problems, summary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", nargs="?", default="_build/html", help="built HTML directory (default _build/html)")
    args = ap.parse_args(argv)
    root = Path(args.root)
    # the book's pages: not Sphinx's _static/_sources, not stray dot-directories
    pages = sorted(p for p in root.rglob("*.html")
                   if not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts))
    if not pages:
        print(f"error: no HTML pages under {root}: build the book first (make book)", file=sys.stderr)
        return 1
    chromium, driver = find_browser()
    if not chromium or not driver:
        print("error: headless Chromium is not available (need Debian's 'chromium' and 'chromium-driver'; "
              "`make browser` installs them as root). The rendered book was NOT checked.", file=sys.stderr)
        return 2
    drv = make_driver(chromium, driver)
    failed, cache = 0, {}
    try:
        for page in pages:
            problems, summary = check_page(drv, page, root, cache)
            name = page.relative_to(root)
            if problems:
                failed += 1
                print(f"FAIL {name}: " + "; ".join(problems))
            else:
                print(f"ok   {name}: {summary}")
    finally:
        drv.quit()
    print(f"{len(pages) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
