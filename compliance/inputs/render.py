"""``--render``: a page as headless Chromium draws it, scripts run, with the browser's own verdict on what shows.

Some pages draw their byline, credit or logo with JavaScript (React and Next sites, hydration data);
read as served they show none of it. With ``--render`` each page is loaded in Debian's ``chromium``
through Playwright (``pip install 'compliance[render]'``; no browser is downloaded), given a bounded
time to load and settle, and the rendered DOM is checked instead. Visibility then comes from the
browser: every element it does not draw (computed style, or a layout box clipped or pushed out of
sight) is marked ``data-compliance-hidden`` before the DOM is handed back, and the page model reads
those marks instead of evaluating stylesheets (``compliance.document.visibility.RenderedVisibility``).

What the browser may fetch is decided here, not by the page:

- a file or standard input: the page is served from memory at a made-up origin, files beside it on
  disk (below its folder, within the page size limit) are served as its scripts, stylesheets and
  images, and every other request is refused: nothing leaves the machine;
- a URL: the bytes already fetched (within the fetch limits) are served for the document, and only
  requests to the page's own host go out.

One browser runs per process (a worker of ``--jobs`` has its own), started on first use and reused
for every page; each page gets a fresh browser context (no cookies or storage shared between pages).
Playwright's synchronous API runs an event loop in the thread that starts it, so the browser lives on
a thread of its own: the rest of the process (fetching with ``asyncio.run``, a server) never finds a
loop already running.
"""

from __future__ import annotations

import atexit
import mimetypes
import queue
import shutil
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from compliance.errors import UsageError

DEFAULT_TIMEOUT = 5.0
VIEWPORT = {"width": 1280, "height": 720}  # the screen the static reading pretends to be, too
HIDDEN_MARK = "data-compliance-hidden"
TEXT_MARK = "data-compliance-text-hidden"
LOCAL_ORIGIN = "http://page.invalid"  # .invalid never resolves: a request that slipped through goes nowhere
_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-features=Translate,MediaRouter,OptimizationHints", "--mute-audio"]
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
_MAX_LOCAL_FILE = 10 * 1024 * 1024
MAX_SHOT_HEIGHT = 16_000  # pixels: Chromium's own limit for one capture is about 16,384

# What the browser draws of each element, written into the DOM. An element is hidden when Chromium's
# checkVisibility() says so (display, visibility, opacity, content-visibility), or when none of its
# layout boxes shows a readable area once clipped by every ancestor that hides its overflow, clips or
# clip-paths it, or when it lies left of or above the page. Its text is hidden when no text of its own
# is drawn in a readable size.
_MARK_JS = r"""
([mark, textMark]) => {
  const sx = window.scrollX, sy = window.scrollY;
  const REPLACED = new Set(['IMG','SVG','PICTURE','VIDEO','CANVAS','IFRAME','OBJECT','EMBED','INPUT','AMP-IMG','AMP-ANIM']);
  const clips = new Map();
  const cut = (a, b) => ({l: Math.max(a.l, b.l), r: Math.min(a.r, b.r), t: Math.max(a.t, b.t), b: Math.min(a.b, b.b)});
  function clipBox(el) {
    if (clips.has(el)) return clips.get(el);
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    const p = {l: r.left + sx, t: r.top + sy, r: r.right + sx, b: r.bottom + sy};
    let box = null;
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible')
      box = {l: cs.overflowX !== 'visible' ? p.l : -1e9, r: cs.overflowX !== 'visible' ? p.r : 1e9,
             t: cs.overflowY !== 'visible' ? p.t : -1e9, b: cs.overflowY !== 'visible' ? p.b : 1e9};
    if ((cs.position === 'absolute' || cs.position === 'fixed') && cs.clip && cs.clip.startsWith('rect(')) {
      const n = cs.clip.slice(5, -1).split(/[ ,]+/).map(v => v === 'auto' ? null : parseFloat(v));
      const c = {t: p.t + (n[0] ?? 0), r: n[1] === null ? 1e9 : p.l + n[1], b: n[2] === null ? 1e9 : p.t + n[2], l: p.l + (n[3] ?? 0)};
      box = box ? cut(box, c) : c;
    }
    const cp = cs.clipPath;
    if (cp && cp !== 'none') {
      const m = cp.match(/^inset\(([^)]*)\)/);
      if (m) {
        const v = m[1].split(' ').filter(x => x && x !== 'round').slice(0, 4).map(x => x.endsWith('%') ? parseFloat(x) / 100 : null);
        const w = p.r - p.l, h = p.b - p.t, t = v[0], rr = v[1] ?? v[0], bb = v[2] ?? v[0], l = v[3] ?? v[1] ?? v[0];
        if ([t, rr, bb, l].every(x => x !== null && x !== undefined)) {
          const c = {l: p.l + l * w, r: p.r - rr * w, t: p.t + t * h, b: p.b - bb * h};
          box = box ? cut(box, c) : c;
        }
      } else if (/^(circle|ellipse)\(0(px)?[ )]/.test(cp)) box = {l: 0, r: 0, t: 0, b: 0};
    }
    clips.set(el, box);
    return box;
  }
  function shown(rect, el) {
    let r = {l: rect.left + sx, t: rect.top + sy, r: rect.right + sx, b: rect.bottom + sy};
    for (let n = el; n && n !== document.documentElement && n !== document.body; n = n.parentElement) {
      const box = clipBox(n);
      if (box) r = cut(r, box);
    }
    return r.r - r.l > 1 && r.b - r.t > 1 && r.r > 0 && r.b > 0;
  }
  function why(el) {
    // display: contents (Astro's <astro-island>, many component wrappers) draws no box of its own, so
    // checkVisibility() says false; what it holds is drawn, and each child is judged on its own
    if (getComputedStyle(el).display === 'contents') return null;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) {
      const cs = getComputedStyle(el);
      if (cs.display === 'none') return 'display: none';
      if (cs.visibility !== 'visible') return 'visibility: ' + cs.visibility;
      if (parseFloat(cs.opacity) === 0) return 'opacity: 0';
      return 'not rendered';
    }
    const rects = [...el.getClientRects()];
    if (!rects.length) return [...el.children].some(c => why(c) === null) ? null : 'no layout box';
    if (rects.some(r => shown(r, el))) return null;
    const cs = getComputedStyle(el);
    const clipsSelf = REPLACED.has(el.tagName) || cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
    if (!clipsSelf && [...el.children].some(c => why(c) === null)) return null;
    return 'clipped out of view or off-screen';
  }
  function textWhy(el) {
    let any = false;
    for (const child of el.childNodes) {
      if (child.nodeType !== 3 || !child.data.trim()) continue;
      any = true;
      const range = document.createRange();
      range.selectNodeContents(child);
      if (parseFloat(getComputedStyle(el).fontSize) > 0.5 && [...range.getClientRects()].some(r => shown(r, el))) return null;
    }
    return any ? 'its text is not drawn readably' : null;
  }
  const skip = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'TITLE', 'META', 'LINK']);
  for (const el of document.querySelectorAll('body *')) {
    el.removeAttribute(mark); el.removeAttribute(textMark);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (skip.has(el.tagName)) continue;
    if (el.parentElement && el.parentElement.hasAttribute(mark)) continue;  // the ancestor says it all
    const w = why(el);
    if (w) { el.setAttribute(mark, w); continue; }
    const t = textWhy(el);
    if (t) el.setAttribute(textMark, t);
  }
  const doctype = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>' : '';
  return doctype + document.documentElement.outerHTML;
}
"""


@dataclass
class Rendered:
    """The DOM as the browser left it, with its visibility marks, and what was refused or cut short."""

    html: bytes
    notes: list[str] = field(default_factory=list)
    screenshot: bytes | None = None  # PNG of the whole page as drawn, when asked for


def chromium_path() -> str | None:
    """Debian's chromium (or a Chromium-like browser on PATH), or None."""
    for candidate in _CANDIDATES:
        found = shutil.which(candidate) if "/" not in candidate else (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    return None


def unavailable_reason() -> str | None:
    """Why ``--render`` cannot run here (a sentence saying how to fix it), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "--render needs Playwright: install the render extra with pip install 'compliance[render]'"
    if chromium_path() is None:
        return ("--render needs Chromium: install Debian's chromium package (apt-get install chromium); "
                "no browser is downloaded")
    return None


class Renderer:
    """One headless Chromium, started on first use and reused for every page."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or chromium_path()
        self._browser = None
        self.launches = 0

    def _start(self) -> None:
        if self.executable is None:
            raise UsageError(unavailable_reason() or "no Chromium found")
        # A worker's address space is capped for its own pages (compliance.pool); the browser is a process
        # of its own, bounded by the render timeout, and Chromium reserves far more address space than it
        # uses: it is started without the worker's cap.
        with _uncapped():
            # launch() gives the browser a fresh temporary profile of its own, removed when it closes
            self._browser = _driver().chromium.launch(executable_path=self.executable, args=_ARGS, headless=True)
        self.launches += 1

    def close(self) -> None:
        """Close the browser (on its own thread)."""
        if _BROWSER_THREAD.alive():
            _BROWSER_THREAD.call(self._close, timeout=30.0)

    def _close(self) -> None:
        browser, self._browser = self._browser, None
        if browser is not None:
            try:
                browser.close()
            except Exception:  # noqa: BLE001, S110 - already gone (its process died, or the driver stopped)
                pass

    def render(self, html: bytes, url: str | None = None, folder: Path | None = None,
               timeout: float = DEFAULT_TIMEOUT, screenshot: bool = False) -> Rendered:
        """Load ``html`` (fetched from ``url``, or read from a file in ``folder``) and return the rendered DOM
        (and, with ``screenshot``, a PNG of the whole page as drawn)."""
        # a browser launch takes a few seconds; a page its timeout and the time to read the DOM back
        return _BROWSER_THREAD.call(lambda: self._render(html, url, folder, timeout, screenshot),
                                    timeout=timeout + 60.0)

    def _render(self, html: bytes, url: str | None, folder: Path | None, timeout: float,
                screenshot: bool = False) -> Rendered:
        if self._browser is None or not self._browser.is_connected():
            self._close()
            self._start()
        deadline = time.monotonic() + timeout
        notes: list[str] = []
        refused: list[str] = []
        address = url or f"{LOCAL_ORIGIN}/page.html"
        own = urlsplit(address)
        context = self._browser.new_context(viewport=VIEWPORT, service_workers="block", accept_downloads=False)
        try:
            page = context.new_page()
            devtools = context.new_cdp_session(page)
            page.route("**/*", lambda route: _route(route, html, address, own, url is None, folder, refused))
            try:
                page.goto(address, wait_until="load", timeout=max(100.0, (deadline - time.monotonic()) * 1000))
            except Exception as exc:  # noqa: BLE001 - a slow page is checked as far as it got
                notes.append(f"the page did not finish loading within {timeout:g} s ({type(exc).__name__})")
            left = deadline - time.monotonic()
            if left > 0.05:
                try:  # scripts that fetch more (hydration data) get the rest of the time to settle
                    page.wait_for_load_state("networkidle", timeout=left * 1000)
                except Exception:  # noqa: BLE001, S110 - still busy: take the page as it is now
                    pass
            # the time is up: the page's own scripts stop (a busy loop would hold the page for ever), then the
            # DOM is read as they left it
            devtools.send("Emulation.setScriptExecutionDisabled", {"value": True})
            devtools.send("Runtime.terminateExecution")
            picture = _screenshot(page, notes) if screenshot else None
            dom = page.evaluate(_MARK_JS, [HIDDEN_MARK, TEXT_MARK])
        finally:
            context.close()
        if refused:
            where = "outside this machine" if url is None else f"to hosts other than {own.hostname}"
            notes.append(f"{len(refused)} request(s) {where} were refused (first: {refused[0][:120]})")
        return Rendered(dom.encode("utf-8"), notes, picture)


def _screenshot(page, notes: list[str]) -> bytes | None:
    """The whole page as drawn, at most ``MAX_SHOT_HEIGHT`` pixels tall (a page may be endless)."""
    try:
        height = min(MAX_SHOT_HEIGHT, int(page.evaluate("document.documentElement.scrollHeight") or VIEWPORT["height"]))
        return page.screenshot(clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max(1, height)},
                               full_page=True, timeout=10_000, animations="disabled")
    except Exception as exc:  # noqa: BLE001 - a page without a picture is still a page
        notes.append(f"no screenshot could be taken ({type(exc).__name__})")
        return None


@contextmanager
def _uncapped() -> Iterator[None]:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _route(route, html: bytes, address: str, own, local: bool, folder: Path | None, refused: list[str]) -> None:
    request = route.request
    target = urlsplit(request.url)
    if request.url.split("#")[0] == address.split("#")[0] and request.resource_type == "document":
        return route.fulfill(body=html, status=200, headers={"content-type": "text/html; charset=utf-8"})
    if target.scheme in ("data", "blob"):
        return route.continue_()
    if local:
        if folder is not None and target.netloc == own.netloc:
            found = _local_file(folder, target.path)
            if found is not None:
                name, body = found
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return route.fulfill(body=body, status=200, headers={"content-type": kind})
        refused.append(request.url)
        return route.abort()
    if target.scheme in ("http", "https") and target.hostname == own.hostname:
        return route.continue_()
    refused.append(request.url)
    return route.abort()


def _local_file(folder: Path, path: str) -> tuple[str, bytes] | None:
    """(name, bytes) of a regular file below the page's folder named by a request path; None outside it,
    missing, not a regular file or too large."""
    from compliance.inputs.files import inside, read_bytes

    relative = unquote(path).lstrip("/")
    if not relative or relative == "page.html" or not inside(folder / relative, folder):
        return None
    try:
        return relative, read_bytes(folder / relative, _MAX_LOCAL_FILE)
    except OSError:
        return None


def render_input(kind: str, source: str, data: bytes, url: str | None, timeout: float) -> bytes:
    """The rendered DOM of one page read by the runner: a file's folder serves its scripts and styles."""
    folder = Path(source).resolve().parent if kind == "file" else None
    return shared_renderer().render(as_utf8(data), url=url if kind == "url" else None, folder=folder,
                                    timeout=timeout).html


def as_utf8(data: bytes) -> bytes:
    """A page's bytes in UTF-8, decoded as the checker decodes them: the browser is told UTF-8."""
    from compliance.inputs.decode import decode_html

    decoded = decode_html(data)
    return decoded.utf8 or decoded.text.encode("utf-8", "surrogatepass")


class _BrowserThread:
    """The one thread that touches Playwright in this process; work is handed to it and waited for."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def call(self, fn, timeout: float):
        with self._lock:
            if not self.alive():
                self._thread = threading.Thread(target=self._serve, name="compliance-browser", daemon=True)
                self._thread.start()
        done: Future = Future()
        self._jobs.put((fn, done))
        try:
            return done.result(timeout)
        except TimeoutError:
            raise TimeoutError(f"the browser did not answer within {timeout:g} s") from None

    def _serve(self) -> None:
        while True:
            fn, done = self._jobs.get()
            if not done.set_running_or_notify_cancel():
                continue
            try:
                done.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller, who decides
                done.set_exception(exc)


_BROWSER_THREAD = _BrowserThread()
_DRIVER = None


def _driver():
    """Playwright's driver: one per process (its sync API allows no second one in a thread), stopped at exit."""
    global _DRIVER
    if _DRIVER is None:
        from playwright.sync_api import sync_playwright

        with _uncapped():
            _DRIVER = sync_playwright().start()
        atexit.register(_stop_driver)
        try:  # a pool worker ends without running atexit handlers, but runs its finalisers
            from multiprocessing import util

            util.Finalize(None, _stop_driver, exitpriority=5)
        except Exception:  # noqa: BLE001, S110 - not in a pool
            pass
    return _DRIVER


def _stop_driver() -> None:
    if _BROWSER_THREAD.alive():
        try:
            _BROWSER_THREAD.call(_stop_driver_here, timeout=30.0)
        except Exception:  # noqa: BLE001, S110 - the process is ending anyway
            pass


def _stop_driver_here() -> None:
    global _DRIVER
    if _SHARED is not None:
        _SHARED._close()  # browsers first, while the driver can still close them
    driver, _DRIVER = _DRIVER, None
    if driver is not None:
        try:
            driver.stop()
        except Exception:  # noqa: BLE001, S110 - the process is ending anyway
            pass


_SHARED: Renderer | None = None


def shared_renderer() -> Renderer:
    """This process's browser: one per worker, reused across its pages, closed when the process ends."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Renderer()
        atexit.register(_SHARED.close)
        try:  # a pool worker ends without running atexit handlers: close the browser through its finaliser
            from multiprocessing import util

            util.Finalize(_SHARED, _SHARED.close, exitpriority=10)
        except Exception:  # noqa: BLE001, S110 - not in a pool
            pass
    return _SHARED
