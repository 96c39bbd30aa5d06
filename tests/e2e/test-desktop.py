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
import shutil
import subprocess
import sys
import time

if len(sys.argv) < 5:
    print('usage: test-desktop.py CRIA FAKE_LLAMAGATE SCHEMA_DIR OUT_DIR [--update-screenshots DIR]',
          file=sys.stderr)
    sys.exit(2)

CRIA, FAKE, SCHEMA_DIR, OUT = sys.argv[1:5]
UPDATE = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == '--update-screenshots' else None
KEY = 'sk-desktop-test-key-4321'

# The AT-SPI helpers shared with test-e2e.py and build-aux/flatpak-smoke.py.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_helpers as h  # noqa: E402
from atspi_helpers import diag, skip_all  # noqa: E402

tap = h.Tap()
procs = []

if not os.environ.get('CRIA_HEADLESS_DIR') or not os.environ.get('DISPLAY'):
    skip_all('not inside build-aux/run-headless.sh (CRIA_HEADLESS_DIR or DISPLAY is unset)')
for tool in ('import', 'xdotool'):
    if shutil.which(tool) is None:
        skip_all('%s is not installed (build-aux/install-deps.sh installs it)' % tool)
if h.ATSPI_ERROR:
    skip_all('gi.repository.Atspi is not available (%s)' % h.ATSPI_ERROR)

import gi  # noqa: E402
from atspi_helpers import (Atspi, GLib, Failure, safe, children, walk, role, name, description,  # noqa: E402
                           extents, showing, find, find_text, pump, wait_for, click, click_focus,
                           type_text, press, chord, act, release, KEY_RETURN, KEY_ESCAPE)
from atspi_helpers import busy as is_busy  # noqa: E402


# --- processes --------------------------------------------------------------

# Each answer stops after this many writes of the fake (the role and a few words of its
# reasoning) until the test has seen it streaming and releases it (POST /_control/release):
# however slow the build, "while it streams" lasts as long as the test needs.
HOLD_AFTER = 6


def start_fake():
    # 15 ms a write, as a model streams; the hold point, not the pace, keeps it streaming.
    _, url = h.start_fake(FAKE, ['--dialect', 'think', '--delay', '15', '--hold-after', str(HOLD_AFTER)],
                          'CRIA_DESKTOP_KEY', KEY, procs)
    return url


def start_app(url, log_name, extra_env=None, with_key=True):
    env = h.app_env(url, SCHEMA_DIR, drop=('GTK_THEME', 'ADW_DEBUG_COLOR_SCHEME', 'ADW_DEBUG_HIGH_CONTRAST'))
    if with_key:
        env['LLAMAGATE_API_KEY'] = KEY
    env.update(extra_env or {})
    log = open(os.path.join(OUT, log_name), 'w')
    p = subprocess.Popen([CRIA], stdout=log, stderr=subprocess.STDOUT, env=env)
    procs.append(p)
    return p


def stop(p):
    h.stop_processes([p])


def find_app(proc, timeout=20):
    return h.find_app(proc, timeout)


def main_frame(app):
    frames = [w for w in children(app) if role(w) == 'frame' and name(w) == 'Cria']
    if not frames:
        raise Failure('no window named Cria')
    return frames[0]


def resize(proc, frame, width, height):
    r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(proc.pid)],
                       capture_output=True, text=True, timeout=10)
    ids = r.stdout.split()
    if not ids:
        raise Failure('xdotool found no window of the app')
    for wid in ids:
        subprocess.run(['xdotool', 'windowsize', wid, str(width), str(height)], timeout=10)
    # The window says so once it has taken the new size.
    wait_for(lambda: extents(frame).width <= width, 10,
             'the window to be %d px wide (it is %d px)' % (width, extents(frame).width))


screenshot = h.screenshot


def composer(frame):
    return wait_for(lambda: find(frame, ('text',), 'Message'), 10, 'the composer')[0]


def type_message(frame, text):
    """Types text into the composer and waits until it holds all of it."""
    box = composer(frame)
    click_focus(box)
    type_text(text, into=box, expect=text)
    return box


def answered(frame):
    return find(frame, ('push button',), 'Send') and find_text(frame, 'fake LlamaGate')


def send_and_wait(url, frame, text):
    type_message(frame, text)
    press(KEY_RETURN)
    # The fake holds the answer until released: Stop is there for as long as it takes to see it.
    wait_for(lambda: find(frame, ('push button',), 'Stop'), 10, 'Stop while the answer streams')
    wait_for(lambda: release(url), 10, 'the answer to reach the fake\'s hold point')
    wait_for(lambda: answered(frame), 40, 'the whole answer')


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
            send_and_wait(url, frame, 'Show me the %s style' % style)
            wide = screenshot(frame, os.path.join(shots, '%s.png' % style))
            lum[style] = mean_luminance(wide)
            if style == 'light':
                # The model picker, for this run's output only: without a compositor the
                # popover's shadow is drawn black.
                chord('ctrl+m')
                wait_for(lambda: find(app, ('list',), 'Models'), 5, 'the model picker')
                # For this run's output only: a picture of the popover as it is drawn now.
                pump(0.5)
                screenshot(frame, os.path.join(shots, 'model-picker.png'))
                press(KEY_ESCAPE)
                wait_for(lambda: not find(app, ('list',), 'Models'), 5, 'the model picker to close')
                if UPDATE:
                    chord('ctrl+comma')
                    prefs = wait_for(lambda: [w for w in children(app) if name(w) == 'Preferences'],
                                     5, 'the Preferences window')[0]
                    pump(0.5)
                    screenshot(prefs, os.path.join(UPDATE, 'preferences.png'))
                    press(KEY_ESCAPE)
                    wait_for(lambda: not [w for w in children(app) if name(w) == 'Preferences'], 5,
                             'the Preferences window to close')
            resize(proc, frame, 360, 720)
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
            type_message(frame, 'Talk to a screen reader')
            # The composer's own text events, up to here, are not the answer's.
            pump(0.5)
            del events[:]
            del other[:]
            press(KEY_RETURN)
            send_t = time.monotonic()
            # While it streams, the row says so and is marked busy.
            # The fake holds the answer after its first few writes until released, so this
            # state lasts until the test has seen it, however slow the build.
            writing = wait_for(lambda: find(frame, ('panel',), pred=lambda n: name(n).endswith('being written')),
                               10, 'a row named "Answer from …, being written"')[0]
            if not is_busy(writing):
                raise Failure('the answer being written is not marked busy')
            if not wait_for(lambda: release(url), 10, 'the answer to reach the fake\'s hold point'):
                raise Failure('the answer was not held')
            wait_for(lambda: answered(frame), 40, 'the whole answer')
            streamed = time.monotonic() - send_t
            # Not a wait: events still on their way from the app are heard too.
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
        wait_for(lambda: find(frame, ('password text', 'text'), 'API Key'), 30, 'the welcome page')
        chord('ctrl+question')

        def shortcuts_window():
            return [w for w in children(app) if role(w) in ('frame', 'dialog', 'window')
                    and find_text(w, 'Copy the Last Answer')]
        try:
            win = wait_for(shortcuts_window, 10, 'the shortcuts window after Ctrl+?')[0]
        except Failure as e:
            raise Failure('%s; the app shows %r' % (e, [(role(w), name(w)) for w in children(app)]))
        for title in ('New Chat', 'Search Conversations', 'Focus the Message Box', 'Stop the Answer',
                      'Pick a Model', 'Attach a File', 'Preferences', 'Close Window', 'Quit'):
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

    env = h.app_env(url, SCHEMA_DIR)
    env['LLAMAGATE_API_KEY'] = KEY
    proc = subprocess.Popen([CRIA, '--gapplication-service'], env=env,
                            stdout=open(os.path.join(OUT, 'cria-service.log'), 'w'), stderr=subprocess.STDOUT)
    procs.append(proc)
    try:
        wait_for(owner, 20, '%s on the session bus' % app_id)
        # Not a wait for a state: a service that wrongly opened a window has had a moment to.
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


timer = h.start_watchdog(procs)
try:
    main()
finally:
    h.stop_processes(procs)
    timer.cancel()
print('1..%d' % len(tap.results), flush=True)
sys.exit(0 if tap.all_ok() else 1)
