#!/usr/bin/python3
# tests/e2e/test-desktop.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-desktop.py CRIA FAKE_LLAMAGATE SCHEMA_DIR OUT_DIR [--update-screenshots DIR]
#
# The running app as a desktop user sees it, driven through AT-SPI against the fake LlamaGate:
#   - in the light, dark and high-contrast styles (libadwaita's ADW_DEBUG_COLOR_SCHEME and
#     ADW_DEBUG_HIGH_CONTRAST, which stand in for the desktop's settings), at full size and
#     phone-sized (360 px wide, resized with xdotool): each answered, each screenshotted into
#     OUT_DIR/styles/, and at 360 px the composer, the Send button and the model picker must
#     still be on screen;
#   - what a screen reader hears while an answer streams: the answer's row is marked busy and
#     says what it holds once, when it is complete, not with every piece that arrives;
#   - the shortcuts window on Ctrl+?, and the About window from the main menu;
#   - D-Bus activation, as the desktop file's DBusActivatable=true asks of the desktop: started
#     as a service it waits, and org.freedesktop.Application.Activate opens the window.
# With --update-screenshots DIR it also saves the pictures the metainfo and the README show
# (build-aux/screenshots.sh). Prints TAP. Run it inside build-aux/run-headless.sh; outside that
# session it skips itself. Use /usr/bin/python3 (it needs gi).

import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings

if len(sys.argv) < 5:
    print('usage: test-desktop.py CRIA FAKE_LLAMAGATE SCHEMA_DIR OUT_DIR [--update-screenshots DIR]',
          file=sys.stderr)
    sys.exit(2)

CRIA, FAKE, SCHEMA_DIR, OUT = sys.argv[1:5]
UPDATE = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == '--update-screenshots' else None
KEY = 'sk-desktop-test-key-4321'
WATCHDOG_S = 330

results = []
procs = []


def tap(ok, title, why=''):
    results.append(ok)
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', len(results), title, ' # ' + why if why else ''),
          flush=True)


def diag(msg):
    for line in str(msg).splitlines():
        print('# ' + line, flush=True)


def skip_all(reason):
    print('1..0 # SKIP ' + reason, flush=True)
    sys.exit(0)


if not os.environ.get('CRIA_HEADLESS_DIR') or not os.environ.get('DISPLAY'):
    skip_all('not inside build-aux/run-headless.sh (CRIA_HEADLESS_DIR or DISPLAY is unset)')
for tool in ('import', 'xdotool'):
    if shutil.which(tool) is None:
        skip_all('%s is not installed (build-aux/install-deps.sh installs it)' % tool)

try:
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi, GLib
except (ImportError, ValueError) as e:
    skip_all('gi.repository.Atspi is not available (%s)' % e)

warnings.filterwarnings('ignore', category=DeprecationWarning)
# A sanitizer build answers slowly while it builds a window: wait up to a minute for a reply.
Atspi.set_timeout(60000, 60000)


class Failure(Exception):
    pass


# --- AT-SPI helpers ---------------------------------------------------------

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


def walk(node, out=None):
    out = [] if out is None else out
    out.append(node)
    if len(out) < 20000:
        for c in children(node):
            walk(c, out)
    return out


def role(n):
    return safe(n.get_role_name, '') or ''


def name(n):
    return safe(n.get_name, '') or ''


def description(n):
    return safe(n.get_description, '') or ''


def text_of(n):
    t = safe(n.get_text_iface)
    return (safe(lambda: t.get_text(0, -1), '') or '') if t is not None else ''


def extents(n):
    return n.get_component_iface().get_extents(Atspi.CoordType.WINDOW)


def showing(n):
    s = safe(n.get_state_set)
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


def find(root, roles, nm=None, pred=None):
    return [n for n in walk(root) if role(n) in roles and (nm is None or name(n) == nm)
            and showing(n) and (pred is None or pred(n))]


def find_text(root, needle):
    for n in walk(root):
        if showing(n) and any(needle in s for s in (name(n), text_of(n))):
            return True
    return False


def pump(seconds):
    # AT-SPI events are delivered from the GLib main loop.
    end = time.monotonic() + seconds
    ctx = GLib.MainContext.default()
    while time.monotonic() < end:
        while ctx.iteration(False):
            pass
        time.sleep(0.01)


# Timeouts are upper bounds for a quiet machine; a sanitizer build on a busy
# one can be several times slower, and waiting longer costs a passing run nothing.
SLOWDOWN = 3


def wait_for(fn, timeout, what):
    end = time.monotonic() + timeout * SLOWDOWN
    while True:
        v = safe(fn)
        if v:
            return v
        if time.monotonic() > end:
            raise Failure('timed out after %d s waiting for %s' % (timeout * SLOWDOWN, what))
        pump(0.1)


def click(n):
    e = extents(n)
    Atspi.generate_mouse_event(e.x + e.width // 2, e.y + e.height // 2, 'b1c')
    pump(0.3)


def type_text(text):
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    pump(0.2)


KEY_RETURN = 65293
KEY_ESCAPE = 65307


def press(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    pump(0.1)


def chord(keys):
    # A shortcut such as "ctrl+question", typed with xdotool into the focused window: AT-SPI
    # can press a modifier only by its keycode, which depends on the keymap.
    subprocess.run(['xdotool', 'key', '--clearmodifiers', keys], timeout=10)
    pump(0.5)


def act(n):
    n.get_action_iface().do_action(0)
    pump(0.3)


# --- processes --------------------------------------------------------------

def start_fake():
    env = dict(os.environ, CRIA_DESKTOP_KEY=KEY)
    # 40 ms a write: an answer streams for several seconds, long enough to be
    # seen streaming through AT-SPI even from a sanitizer build.
    p = subprocess.Popen([FAKE, '--dialect', 'think', '--delay', '40', '--api-key-env', 'CRIA_DESKTOP_KEY'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    procs.append(p)
    if not select.select([p.stdout], [], [], 10)[0]:
        raise Failure('fake-llamagate printed no URL')
    return p.stdout.readline().strip()


def start_app(url, log_name, extra_env=None, with_key=True):
    env = dict(os.environ)
    for var in ('GTK_A11Y', 'NO_AT_BRIDGE', 'LLAMAGATE_API_KEY', 'G_DEBUG', 'GTK_THEME',
                'ADW_DEBUG_COLOR_SCHEME', 'ADW_DEBUG_HIGH_CONTRAST'):
        env.pop(var, None)
    env.update(GSETTINGS_SCHEMA_DIR=SCHEMA_DIR, GSETTINGS_BACKEND='memory', LLAMAGATE_API_BASE=url,
               GIO_USE_PROXY_RESOLVER='dummy', GDK_BACKEND='x11')
    env.setdefault('GSK_RENDERER', 'cairo')
    env.setdefault('GDK_DEBUG', 'gl-disable')
    if with_key:
        env['LLAMAGATE_API_KEY'] = KEY
    env.update(extra_env or {})
    log = open(os.path.join(OUT, log_name), 'w')
    p = subprocess.Popen([CRIA], stdout=log, stderr=subprocess.STDOUT, env=env)
    procs.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def find_app(proc, timeout=20):
    def found():
        if proc.poll() is not None:
            raise Failure('the app exited with status %s' % proc.returncode)
        for a in children(Atspi.get_desktop(0)):
            if safe(a.get_process_id) == proc.pid and any(role(w) == 'frame' for w in children(a)):
                return a
        return None
    return wait_for(found, timeout, 'the app on the AT-SPI bus')


def main_frame(app):
    frames = [w for w in children(app) if role(w) == 'frame' and name(w) == 'Cria']
    if not frames:
        raise Failure('no window named Cria')
    return frames[0]


def resize(proc, width, height):
    r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(proc.pid)],
                       capture_output=True, text=True, timeout=10)
    ids = r.stdout.split()
    if not ids:
        raise Failure('xdotool found no window of the app')
    for wid in ids:
        subprocess.run(['xdotool', 'windowsize', wid, str(width), str(height)], timeout=10)
    pump(1.0)


def screenshot(frame, path):
    e = extents(frame)
    r = subprocess.run(['import', '-window', 'root', '-crop', '%dx%d+0+0' % (e.width, e.height),
                        '+repage', path], capture_output=True, text=True, timeout=20)
    if r.returncode != 0 or not os.path.exists(path) or os.path.getsize(path) < 8000:
        raise Failure('the screenshot %s failed: %s' % (path, r.stderr.strip()))
    return path


def send_and_wait(frame, text):
    box = wait_for(lambda: find(frame, ('text',), 'Message'), 10, 'the composer')[0]
    click(box)
    type_text(text)
    press(KEY_RETURN)
    wait_for(lambda: find(frame, ('push button',), 'Stop'), 10, 'Stop while the answer streams')
    wait_for(lambda: find(frame, ('push button',), 'Send') and find_text(frame, 'fake LlamaGate'),
             40, 'the whole answer')
    pump(0.5)


# --- scenarios --------------------------------------------------------------

STYLES = [
    ('light', {'ADW_DEBUG_COLOR_SCHEME': 'prefer-light', 'ADW_DEBUG_HIGH_CONTRAST': '0'}),
    ('dark', {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark', 'ADW_DEBUG_HIGH_CONTRAST': '0'}),
    ('high-contrast', {'ADW_DEBUG_COLOR_SCHEME': 'prefer-light', 'ADW_DEBUG_HIGH_CONTRAST': '1'}),
    ('high-contrast-dark', {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark', 'ADW_DEBUG_HIGH_CONTRAST': '1'}),
]


def mean_luminance(path):
    r = subprocess.run(['convert', path, '-colorspace', 'Gray', '-format', '%[fx:mean]', 'info:'],
                       capture_output=True, text=True, timeout=20)
    return float(r.stdout.strip())


def s_styles(url):
    shots = os.path.join(OUT, 'styles')
    os.makedirs(shots, exist_ok=True)
    lum = {}
    for style, env in STYLES:
        proc = start_app(url, 'cria-%s.log' % style, env)
        try:
            app = find_app(proc)
            frame = main_frame(app)
            send_and_wait(frame, 'Show me the %s style' % style)
            wide = screenshot(frame, os.path.join(shots, '%s.png' % style))
            lum[style] = mean_luminance(wide)
            if style == 'light':
                # The model picker, for this run's output only: without a compositor the
                # popover's shadow is drawn black.
                chord('ctrl+m')
                wait_for(lambda: find(app, ('list',), 'Models'), 5, 'the model picker')
                pump(0.5)
                screenshot(frame, os.path.join(shots, 'model-picker.png'))
                press(KEY_ESCAPE)
                pump(0.3)
                if UPDATE:
                    chord('ctrl+comma')
                    prefs = wait_for(lambda: [w for w in children(app) if name(w) == 'Preferences'],
                                     5, 'the Preferences window')[0]
                    pump(0.5)
                    screenshot(prefs, os.path.join(UPDATE, 'preferences.png'))
                    press(KEY_ESCAPE)
                    pump(0.3)
            resize(proc, 360, 720)
            e = extents(frame)
            if e.width > 360:
                raise Failure('the %s window is %d px wide after resizing it to 360' % (style, e.width))
            for role_, nm in ((('text',), 'Message'), (('push button',), 'Send'),
                              (('toggle button', 'push button'), 'Model'), (('push button',), 'New chat')):
                nodes = find(frame, role_, nm)
                if not nodes:
                    raise Failure('%s %r is not on screen at 360 px (%s)' % (role_[0], nm, style))
                x = extents(nodes[0])
                if x.x < 0 or x.x + x.width > e.width:
                    raise Failure('%r sticks out of the 360 px window: %d..%d' % (nm, x.x, x.x + x.width))
            narrow = screenshot(frame, os.path.join(shots, '%s-360px.png' % style))
            if UPDATE and style == 'dark':
                shutil.copy(narrow, os.path.join(UPDATE, 'dark-narrow.png'))
            diag('%s: %s, %s (mean luminance %.2f)' % (style, wide, narrow, lum[style]))
        finally:
            stop(proc)
    if not (lum['dark'] < 0.5 < lum['light']):
        raise Failure('the dark style is not dark or the light one not light: %r' % lum)
    if lum['high-contrast'] == lum['light']:
        raise Failure('the high-contrast style looks the same as the light one')
    diag('screenshots of each style: %s' % shots)


def s_screen_reader(url):
    proc = start_app(url, 'cria-a11y.log')
    try:
        app = find_app(proc)
        frame = main_frame(app)
        events = []
        # Name and description changes of anything else: labels, buttons.
        other = []

        def on_event(ev):
            src = ev.source
            if safe(lambda: src.get_process_id()) != proc.pid:
                return
            if ev.type.startswith('object:property-change:accessible-'):
                if role(src) == 'panel' and (name(src).startswith('Answer from') or name(src) == 'Your message'):
                    events.append((ev.type, name(src), description(src)))
                else:
                    other.append('%s %s' % (ev.type.split(':')[-1], role(src)))
            elif ev.type == 'object:state-changed:busy':
                events.append((ev.type, name(src), ev.detail1))
            elif ev.type.startswith('object:text-changed'):
                events.append((ev.type, '%s %r' % (role(src), name(src)), ev.detail2))

        listener = Atspi.EventListener.new(on_event)
        for kind in ('object:property-change:accessible-name', 'object:property-change:accessible-description',
                     'object:state-changed:busy', 'object:text-changed'):
            listener.register(kind)
        try:
            box = wait_for(lambda: find(frame, ('text',), 'Message'), 10, 'the composer')[0]
            click(box)
            type_text('Talk to a screen reader')
            pump(0.5)
            del events[:]
            del other[:]
            press(KEY_RETURN)
            send_t = time.monotonic()
            # While it streams, the row says so and is marked busy.
            writing = wait_for(lambda: find(frame, ('panel',), pred=lambda n: name(n).endswith('being written')),
                               10, 'a row named "Answer from …, being written"')[0]
            if not safe(lambda: writing.get_state_set().contains(Atspi.StateType.BUSY)):
                raise Failure('the answer being written is not marked busy')
            wait_for(lambda: find(frame, ('push button',), 'Send') and find_text(frame, 'fake LlamaGate'),
                     40, 'the whole answer')
            streamed = time.monotonic() - send_t
            pump(1.0)
        finally:
            for kind in ('object:property-change:accessible-name', 'object:property-change:accessible-description',
                         'object:state-changed:busy', 'object:text-changed'):
                listener.deregister(kind)

        rows = find(frame, ('panel',), pred=lambda n: name(n).startswith('Answer from'))
        if not rows:
            raise Failure('no row named "Answer from …" in the conversation')
        row = rows[-1]
        if 'fake LlamaGate' not in description(row):
            raise Failure('the answer\'s row does not describe the answer: %r' % description(row))
        if safe(lambda: row.get_state_set().contains(Atspi.StateType.BUSY)):
            raise Failure('the finished answer is still marked busy')
        names = [e for e in events if e[0].endswith('accessible-name')]
        descs = [e for e in events if e[0].endswith('accessible-description') and e[2]]
        busy = [e for e in events if e[0] == 'object:state-changed:busy']
        text = [e for e in events if e[0].startswith('object:text-changed')]
        diag('while the answer streamed for %.1f s: %d row name changes, %d row descriptions, '
             '%d busy changes, %d text-changed events' % (streamed, len(names), len(descs), len(busy), len(text)))
        by_source = {}
        for e in text:
            by_source[e[1]] = by_source.get(e[1], 0) + 1
        diag('  text-changed by source: %r' % by_source)
        by_kind = {}
        for e in other:
            by_kind[e] = by_kind.get(e, 0) + 1
        diag('  other name and description changes: %r' % by_kind)
        for e in names + descs:
            diag('  %s: %r %r' % (e[0].split(':')[-1], e[1], e[2][:60]))
        if len(descs) > 2:
            raise Failure('the answer was described %d times while it streamed, not once when done' % len(descs))
        if not any(not e[2] for e in busy if e[1].startswith('Answer from')):
            raise Failure('the answer\'s row did not stop being busy: %r' % busy)
        # Text changes a few times a second at most, never token by token: the fake streams
        # a write every 15 ms, about 65 a second.
        if len(text) > 4 * streamed + 4:
            raise Failure('%d text changes in %.1f s of streaming: %r' % (len(text), streamed, by_source))
        # The answer's labels, being rewritten every frame, stay out of the tree until it is done.
        labels = sum(n for k, n in by_kind.items() if k.endswith(' label'))
        if labels > 4 * streamed + 4:
            raise Failure('%d label changes in %.1f s of streaming: %r' % (labels, streamed, by_kind))
    finally:
        stop(proc)


def s_shortcuts_and_about(url):
    proc = start_app(url, 'cria-windows.log', with_key=False)
    try:
        app = find_app(proc)
        frame = main_frame(app)
        if UPDATE:
            wait_for(lambda: find(frame, ('password text', 'text'), 'API Key'), 30, 'the welcome page')
            pump(0.5)
            screenshot(frame, os.path.join(UPDATE, 'welcome.png'))
        click(frame)
        chord('ctrl+question')

        def shortcuts_window():
            return [w for w in children(app) if role(w) in ('frame', 'dialog', 'window')
                    and find_text(w, 'Copy the Last Answer')]
        try:
            win = wait_for(shortcuts_window, 10, 'the shortcuts window after Ctrl+?')[0]
        except Failure as e:
            raise Failure('%s; the app shows %r' % (e, [(role(w), name(w)) for w in children(app)]))
        for title in ('New Chat', 'Search Conversations', 'Focus the Message Box', 'Stop the Answer',
                      'Pick a Model', 'Attach an Image', 'Preferences', 'Close Window', 'Quit'):
            if not find_text(win, title):
                raise Failure('the shortcuts window does not list %r' % title)
        press(KEY_ESCAPE)
        wait_for(lambda: not shortcuts_window(), 5, 'the shortcuts window to close on Escape')

        menu = wait_for(lambda: find(frame, ('toggle button', 'push button'), 'Main menu'), 5, 'the main menu')
        act([m for m in menu if safe(lambda: m.get_action_iface().get_n_actions(), 0)][0])
        item = wait_for(lambda: [n for n in walk(app) if 'About Cria' in name(n) and showing(n)],
                        5, 'About Cria in the main menu')[0]
        act(item)

        def about_window():
            return [w for w in children(app) if role(w) in ('frame', 'dialog', 'window')
                    and w is not frame and find_text(w, '0.1') and find_text(w, 'Cria')]
        about = wait_for(about_window, 10, 'the About window')[0]
        diag('About window: %r' % [name(n) for n in walk(about) if name(n)][:12])
    finally:
        stop(proc)


def s_dbus_activation(url):
    # What the desktop does with DBusActivatable=true: the bus starts the service file's command
    # (cria --gapplication-service), which shows nothing until it is activated over D-Bus.
    gi.require_version('Gio', '2.0')
    from gi.repository import Gio
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    app_id = 'io.github.cria.Cria'

    def owner():
        r = bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                          'NameHasOwner', GLib.Variant('(s)', (app_id,)), None,
                          Gio.DBusCallFlags.NONE, 5000, None)
        return r.unpack()[0]
    if owner():
        raise Failure('%s is already on the bus' % app_id)

    env = dict(os.environ)
    for var in ('GTK_A11Y', 'NO_AT_BRIDGE', 'G_DEBUG'):
        env.pop(var, None)
    env.update(GSETTINGS_SCHEMA_DIR=SCHEMA_DIR, GSETTINGS_BACKEND='memory', LLAMAGATE_API_BASE=url,
               LLAMAGATE_API_KEY=KEY, GIO_USE_PROXY_RESOLVER='dummy', GDK_BACKEND='x11')
    env.setdefault('GSK_RENDERER', 'cairo')
    env.setdefault('GDK_DEBUG', 'gl-disable')
    proc = subprocess.Popen([CRIA, '--gapplication-service'], env=env,
                            stdout=open(os.path.join(OUT, 'cria-service.log'), 'w'), stderr=subprocess.STDOUT)
    procs.append(proc)
    try:
        wait_for(owner, 20, '%s on the session bus' % app_id)
        pump(1.0)
        shown = [a for a in children(Atspi.get_desktop(0)) if safe(a.get_process_id) == proc.pid
                 and any(role(w) == 'frame' for w in children(a))]
        if shown:
            raise Failure('the service opened a window before it was activated')
        bus.call_sync(app_id, '/io/github/cria/Cria', 'org.freedesktop.Application', 'Activate',
                      GLib.Variant('(a{sv})', ({},)), None, Gio.DBusCallFlags.NONE, 30000, None)
        app = find_app(proc)
        main_frame(app)
    finally:
        stop(proc)


def main():
    os.makedirs(OUT, exist_ok=True)
    if UPDATE:
        os.makedirs(UPDATE, exist_ok=True)
    url = start_fake()
    diag('fake LlamaGate at %s' % url)
    for title, fn in (('light, dark and high-contrast styles, full size and 360 px wide', s_styles),
                      ('a screen reader hears the answer once, when it is complete', s_screen_reader),
                      ('the shortcuts window on Ctrl+?, and About from the main menu', s_shortcuts_and_about),
                      ('D-Bus activation: the service waits, Activate opens the window', s_dbus_activation)):
        t0 = time.monotonic()
        try:
            fn(url)
            tap(True, title)
            diag('%.1f s' % (time.monotonic() - t0))
        except Failure as e:
            tap(False, title, str(e))
        except Exception as e:  # a bug in the test or an AT-SPI error
            tap(False, title, '%s: %s' % (type(e).__name__, e))


def watchdog():
    print('Bail out! the test ran for more than %d s' % WATCHDOG_S, flush=True)
    for p in procs:
        if p.poll() is None:
            p.kill()
    os._exit(1)


signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
timer = threading.Timer(WATCHDOG_S, watchdog)
timer.daemon = True
timer.start()
try:
    main()
finally:
    for p in reversed(procs):
        stop(p)
    timer.cancel()
print('1..%d' % len(results), flush=True)
sys.exit(0 if results and all(results) else 1)
