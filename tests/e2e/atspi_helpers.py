# tests/e2e/atspi_helpers.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What tests/e2e/test-e2e.py, tests/e2e/test-desktop.py and build-aux/flatpak-smoke.py share to
# drive the app through the accessibility tree (AT-SPI), so that each fix is made once: TAP
# output, starting and stopping the fake LlamaGate and the app, a watchdog, walking and
# searching the tree, waiting for a state, typing and waiting until the widget holds all of it,
# screenshots, and the fake LlamaGate's test controls (/_control/…, docs/fake-llamagate.md).
#
# Every wait is for a state, polled with a generous ceiling, never a fixed sleep: a sanitizer
# build on a loaded machine may be many times slower than a plain one, and waiting longer costs
# a passing run nothing. CRIA_E2E_SLOWDOWN multiplies every ceiling (default 3).
#
# Importing it never fails for want of gi: the caller checks ATSPI_ERROR and skips, saying why:
#   sys.path.insert(0, <the directory of this file>)
#   import atspi_helpers as h
#   if h.ATSPI_ERROR: h.skip_all('gi.repository.Atspi is not available (%s)' % h.ATSPI_ERROR)

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import warnings

try:
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi, GLib  # noqa: E402
    ATSPI_ERROR = None
except (ImportError, ValueError) as e:
    Atspi = GLib = None
    ATSPI_ERROR = str(e)

# Atspi's get_*_iface are deprecated in newer releases, not in Debian 12's.
warnings.filterwarnings('ignore', category=DeprecationWarning)

# A sanitizer build answers slowly while it builds a window (Preferences):
# wait up to a minute for a reply rather than the default 25 s.
if Atspi is not None:
    Atspi.set_timeout(60000, 60000)

SLOWDOWN = float(os.environ.get('CRIA_E2E_SLOWDOWN', '3'))
# A whole walk takes a minute or two; five minutes a slowdown unit (15 minutes by default, 30
# under the sanitizers, whose meson timeout is doubled) only ends a hung one.
WATCHDOG_S = 300 * SLOWDOWN

KEY_RETURN = 65293
KEY_END = 65367
KEY_ESCAPE = 65307
KEY_BACKSPACE = 65288
KEY_TAB = 65289


class Failure(Exception):
    pass


# --- TAP --------------------------------------------------------------------

def diag(msg):
    for line in str(msg).splitlines() or ['']:
        print('# ' + line, flush=True)


def skip_all(reason):
    print('1..0 # SKIP ' + reason, flush=True)
    sys.exit(0)


class Tap:
    """Prints TAP result lines numbered on from first; the caller prints the plan."""

    def __init__(self, first=0):
        self.first = first
        self.results = []

    def __call__(self, ok, title, why=''):
        self.results.append(ok)
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', self.first + len(self.results), title,
                                ' # ' + why if why else ''), flush=True)
        return ok

    def all_ok(self):
        return bool(self.results) and all(self.results)


# --- processes --------------------------------------------------------------

def start_fake(fake, args, key_env, key, procs, stderr=subprocess.DEVNULL):
    """Starts tests/fake-llamagate with args, wanting key (passed in the environment variable
    key_env, never on the command line); returns (process, base URL)."""
    env = dict(os.environ)
    env[key_env] = key
    p = subprocess.Popen([fake] + list(args) + ['--api-key-env', key_env],
                         stdout=subprocess.PIPE, stderr=stderr, env=env, text=True)
    procs.append(p)
    if not select.select([p.stdout], [], [], 10)[0]:
        raise Failure('fake-llamagate printed no URL within 10 s')
    url = p.stdout.readline().strip()
    if not url.startswith('http'):
        raise Failure('fake-llamagate printed %r, not a URL' % url)
    return p, url


def app_env(url, schema_dir, drop=()):
    """The environment for the app under test, talking to url: registered on AT-SPI, settings in
    memory, no key from the caller's environment, no proxy, X11 with the software renderer, and
    toasts that stay until dismissed so a test reads them at its own pace."""
    env = dict(os.environ)
    for var in ('GTK_A11Y', 'NO_AT_BRIDGE', 'LLAMAGATE_API_KEY', 'G_DEBUG') + tuple(drop):
        env.pop(var, None)
    env.update(GSETTINGS_SCHEMA_DIR=schema_dir, GSETTINGS_BACKEND='memory', LLAMAGATE_API_BASE=url,
               GIO_USE_PROXY_RESOLVER='dummy', GDK_BACKEND='x11', CRIA_TOAST_TIMEOUT='0')
    env.setdefault('GSK_RENDERER', 'cairo')
    env.setdefault('GDK_DEBUG', 'gl-disable')
    return env


def stop_processes(procs, timeout=5):
    """Ends the processes the test started (only those, by their Popen): asks each to stop,
    the last started first, and kills those still running after timeout."""
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in reversed(procs):
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout)


def start_watchdog(procs, seconds=WATCHDOG_S):
    """A stuck D-Bus call can't be interrupted from Python: after seconds, kills the processes
    the test started, by their Popen, and bails out. SIGTERM (meson's timeout) ends the test
    through its finally blocks. Returns the timer, to cancel at the end."""
    def watchdog():
        print('Bail out! the test ran for more than %d s' % seconds, flush=True)
        for p in procs:
            if p.poll() is None:
                p.kill()
        os._exit(1)

    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    timer = threading.Timer(seconds, watchdog)
    timer.daemon = True
    timer.start()
    return timer


def find_app(proc, timeout, match=None, who='the app'):
    """The app that proc started, once it is on the AT-SPI bus with a window: by its process
    id, or by match(accessible) (a sandboxed app has a PID namespace of its own)."""
    def matches(a):
        if match is not None:
            return match(a)
        return safe(a.get_process_id) == proc.pid

    def found():
        if proc.poll() is not None:
            raise Failure('%s exited with status %s' % (who, proc.returncode))
        for a in children(Atspi.get_desktop(0)):
            # Its window, too.
            if matches(a) and any(role(w) == 'frame' for w in children(a)):
                return a
        return None
    try:
        return wait_for(found, timeout, 'the app on the AT-SPI bus')
    except Failure as e:
        if proc.poll() is not None:
            raise Failure('%s exited with status %s' % (who, proc.returncode))
        names = [name(a) for a in children(Atspi.get_desktop(0))]
        raise Failure('%s (apps: %r)' % (e, names))


def screenshot(frame, path):
    """Saves frame (the window, at 0,0 with no window manager), cropped from the root window,
    and returns the path."""
    if shutil.which('import') is None:
        raise Failure('ImageMagick import is not installed')
    e = extents(frame)
    cmd = ['import', '-window', 'root']
    if e.width > 0 and e.height > 0:
        cmd += ['-crop', '%dx%d+0+0' % (e.width, e.height), '+repage']
    try:
        r = subprocess.run(cmd + [path], timeout=20, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        raise Failure('import took more than 20 s')
    if r.returncode != 0 or not os.path.exists(path):
        raise Failure('the screenshot %s failed: %s' % (path, r.stderr.strip()))
    # A blank or failed capture compresses to almost nothing.
    if os.path.getsize(path) < 8000:
        raise Failure('%s is suspiciously small (%d bytes)' % (path, os.path.getsize(path)))
    return path


def safe(fn, default=None):
    try:
        return fn()
    except Exception:
        return default


def children(node):
    for i in range(safe(node.get_child_count, 0) or 0):
        c = safe(lambda: node.get_child_at_index(i))
        if c is not None:
            yield c


def walk_depth(node, depth=0, out=None, max_nodes=20000):
    """[(depth, node)] for node and everything under it."""
    out = [] if out is None else out
    if len(out) >= max_nodes:
        return out
    out.append((depth, node))
    for c in children(node):
        walk_depth(c, depth + 1, out, max_nodes)
    return out


def walk(node):
    return [n for _, n in walk_depth(node)]


def role(n):
    return safe(n.get_role_name, '') or ''


def name(n):
    return safe(n.get_name, '') or ''


def description(n):
    return safe(n.get_description, '') or ''


def states(n):
    return safe(n.get_state_set)


def has_state(n, state):
    return bool(safe(lambda: n.get_state_set().contains(state), False))


def focused(n):
    return has_state(n, Atspi.StateType.FOCUSED)


def busy(n):
    return has_state(n, Atspi.StateType.BUSY)


def text_of(n):
    t = safe(n.get_text_iface)
    return (safe(lambda: t.get_text(0, -1), '') or '') if t is not None else ''


def showing(n):
    """On screen now. GTK 4.8 sets SHOWING on windows only, VISIBLE on every
    widget whose visible property is set (the pages a GtkStack hides too), and
    leaves stale extents on unmapped widgets; Component.Contains at the centre
    of a widget's own extents is true only for a widget that is mapped."""
    s = states(n)
    if s is None or not s.contains(Atspi.StateType.VISIBLE):
        return False
    comp = safe(n.get_component_iface)
    if comp is None:
        return True
    e = safe(lambda: comp.get_extents(Atspi.CoordType.WINDOW))
    if e is None or e.width <= 0 or e.height <= 0:
        return False
    return bool(safe(lambda: comp.contains(e.x + e.width // 2, e.y + e.height // 2,
                                           Atspi.CoordType.WINDOW), False))


def find(root, roles, nm=None, pred=None, shown=True):
    """Nodes under root with one of roles (a string, a tuple, or () for any), named nm
    (or one of the names in a tuple; None: any name), on screen (unless shown=False) and for which pred is true."""
    if isinstance(roles, str):
        roles = (roles,)
    names = (nm,) if isinstance(nm, str) else nm
    return [n for n in walk(root) if (not roles or role(n) in roles)
            and (names is None or name(n) in names) and (not shown or showing(n))
            and (pred is None or pred(n))]


def find_text(root, needle, shown=True):
    """The first name or text under root that contains needle, or None."""
    for n in walk(root):
        if shown and not showing(n):
            continue
        for s in (name(n), text_of(n)):
            if s and needle in s:
                return s
    return None


def pump(seconds=0.0):
    """Runs the GLib main loop, which delivers AT-SPI events, for up to seconds."""
    end = time.monotonic() + seconds
    ctx = GLib.MainContext.default()
    while True:
        while ctx.iteration(False):
            pass
        if time.monotonic() >= end:
            return
        time.sleep(0.01)


def wait_for(fn, timeout, what, interval=0.1):
    """Polls fn until it returns something true and returns that; timeout (times SLOWDOWN)
    is a ceiling for a broken app, never what a passing run waits for."""
    ceiling = timeout * SLOWDOWN
    end = time.monotonic() + ceiling
    while True:
        v = safe(fn)
        if v:
            return v
        if time.monotonic() > end:
            raise Failure('timed out after %.0f s waiting for %s' % (ceiling, what))
        pump(interval)


def wait_stable(fn, timeout, what, polls=3, interval=0.1):
    """Waits until fn returns the same true value polls times in a row, and returns it."""
    last = [None, 0]

    def stable():
        v = fn()
        if not v or v != last[0]:
            last[0], last[1] = v, (1 if v else 0)
            return None
        last[1] += 1
        return v if last[1] >= polls else None
    return wait_for(stable, timeout, what, interval)


def extents(n):
    return n.get_component_iface().get_extents(Atspi.CoordType.WINDOW)


def center(n):
    # Window coordinates: GTK 4.8 warns that it can't report screen ones. With
    # no window manager the window sits at 0,0, so they are screen ones too.
    e = extents(n)
    if e.width <= 0 or e.height <= 0:
        raise Failure('%s %r has no extents' % (role(n), name(n)))
    return e.x + e.width // 2, e.y + e.height // 2


def click(n):
    x, y = center(n)
    Atspi.generate_mouse_event(x, y, 'b1c')


def click_focus(n, timeout=10):
    """Clicks n and waits until it has the keyboard focus."""
    click(n)
    wait_for(lambda: focused(n), timeout, 'the %s %r to take the focus when clicked' % (role(n), name(n)))


def type_text(text, into=None, timeout=20, expect=None):
    """Types text. With into (a node whose text AT-SPI can read), waits until it holds all of
    it, expect if given (the whole text it should then read), else anything ending with text:
    the keys reach the app one by one, and a reader who looked sooner would see part of it."""
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    if into is not None:
        if expect is None:
            def done():
                return text_of(into).endswith(text)
        else:
            def done():
                return text_of(into) == expect
        try:
            wait_for(done, timeout, 'the %s %r to hold all the typed text %r'
                     % (role(into), name(into), expect if expect is not None else text))
        except Failure as e:
            raise Failure('%s; it reads %r' % (e, text_of(into)))


def press(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)


def chord(keys):
    """A shortcut such as "ctrl+v", typed with xdotool into the window that has the keyboard:
    AT-SPI can press a modifier only by its keycode, which depends on the keymap. xdotool
    returns once the X server has the keys."""
    subprocess.run(['xdotool', 'key', '--clearmodifiers', keys], timeout=30, check=True)


def has_action(n):
    a = safe(n.get_action_iface)
    return a is not None and (safe(a.get_n_actions, 0) or 0) > 0


def act(n):
    a = n.get_action_iface()
    if a is None or a.get_n_actions() < 1:
        raise Failure('%s %r has no action' % (role(n), name(n)))
    a.do_action(0)


# --- the fake LlamaGate's test controls (docs/fake-llamagate.md) --------------

def control(base_url, what, body=None):
    """POSTs body (JSON) to /_control/what of the fake whose base URL (…/v1) is base_url, or
    GETs it without a body; returns the reply's JSON."""
    root = base_url.rstrip('/')
    if root.endswith('/v1'):
        root = root[:-3]
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(root + '/_control/' + what, data=data,
                                 method='POST' if data is not None else 'GET',
                                 headers={'Content-Type': 'application/json'})
    # Straight to loopback, never through a proxy from the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(req, timeout=30) as r:
        return json.loads(r.read().decode())


def release(base_url):
    """Lets every stream of the fake go past its hold point; returns how many waited there."""
    return control(base_url, 'release', {})['released']


def hold(base_url, after):
    """Streams that start from now on stop after `after` writes until released (-1: never)."""
    control(base_url, 'hold', {'after': after})


def held(base_url):
    return control(base_url, 'held')['held']
