#!/usr/bin/python3
# tests/e2e/test-e2e.py — Copyright 2026 The Cria authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-e2e.py CRIA FAKE_LLAMAGATE SCHEMA_DIR SCREENSHOT_DIR
#
# Drives the running app only through the accessibility tree (AT-SPI), the
# way a screen reader or a user with a keyboard would, against a fake
# LlamaGate: onboarding with a wrong and then the right key, picking a model,
# sending a message and reading the streamed answer back, stopping a reply,
# and checking every control has an accessible name. Prints TAP.
#
# Run it inside build-aux/run-headless.sh (private Xvfb, session bus and
# unlocked keyring): it stores a key in the keyring, so outside that session
# (CRIA_HEADLESS_DIR unset), or without a display or a session bus, it skips
# itself. An app that never shows up on the AT-SPI bus is a failure.
# Use /usr/bin/python3: a python3 on PATH may lack gi. Set CRIA_E2E_DUMP=1 to
# print the accessibility tree at each step.

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

PLAN = 6
WRONG_KEY = 'sk-wrong-key-0000'
RIGHT_KEY = 'sk-e2e-right-key-1234'
# Per write of the fake's stream: slow enough to press Stop mid-answer, fast
# enough that a full answer takes a few seconds.
DELAY_MS = 25
# For the Stop scenario: an answer that takes about a minute to stream.
SLOW_DELAY_MS = 300
# The whole run takes about 16 s; meson's own timeout is 180 s.
WATCHDOG_S = 120

t_start = time.monotonic()
results = []
procs = []


def elapsed():
    return time.monotonic() - t_start


def diag(msg):
    for line in str(msg).splitlines() or ['']:
        print('# ' + line, flush=True)


def skip_all(reason):
    print('1..0 # SKIP ' + reason, flush=True)
    sys.exit(0)


if len(sys.argv) < 5:
    print('usage: test-e2e.py CRIA FAKE_LLAMAGATE SCHEMA_DIR SCREENSHOT_DIR', file=sys.stderr)
    sys.exit(2)

CRIA, FAKE, SCHEMA_DIR, SHOT_DIR = sys.argv[1:5]

# The test stores a key in the session's keyring and draws on its display:
# only in the throw-away session of build-aux/run-headless.sh, never the
# user's (CRIA_E2E_ANY_SESSION=1 overrides).
if not os.environ.get('CRIA_HEADLESS_DIR') and os.environ.get('CRIA_E2E_ANY_SESSION') != '1':
    skip_all('not inside build-aux/run-headless.sh (CRIA_HEADLESS_DIR is unset)')
if not os.environ.get('DISPLAY'):
    skip_all('no DISPLAY; run inside build-aux/run-headless.sh')
if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
    skip_all('no session bus; run inside build-aux/run-headless.sh')

try:
    import gi
    gi.require_version('Atspi', '2.0')
    from gi.repository import Atspi
except (ImportError, ValueError) as e:
    skip_all('gi.repository.Atspi is not available (%s)' % e)

DUMP = os.environ.get('CRIA_E2E_DUMP') == '1'


class Failure(Exception):
    pass


# --- AT-SPI helpers ---------------------------------------------------------

def safe(fn, default=None):
    try:
        return fn()
    except Exception:
        return default


def children(node):
    n = safe(node.get_child_count, 0) or 0
    for i in range(n):
        c = safe(lambda: node.get_child_at_index(i))
        if c is not None:
            yield c


def walk(node, depth=0, out=None, max_nodes=20000):
    if out is None:
        out = []
    if len(out) >= max_nodes:
        return out
    out.append((depth, node))
    for c in children(node):
        walk(c, depth + 1, out, max_nodes)
    return out


def role(node):
    return safe(node.get_role_name, '') or ''


def name(node):
    return safe(node.get_name, '') or ''


def states(node):
    s = safe(node.get_state_set)
    return s


def is_showing(node):
    """On screen now. GTK 4.8 sets SHOWING on windows only, VISIBLE on every
    widget whose visible property is set (the pages a GtkStack hides too), and
    leaves stale extents on unmapped widgets; Component.Contains at the centre
    of a widget's own extents is true only for a widget that is mapped."""
    s = states(node)
    if s is None or not s.contains(Atspi.StateType.VISIBLE):
        return False
    comp = safe(node.get_component_iface)
    if comp is None:
        return True
    e = safe(lambda: comp.get_extents(Atspi.CoordType.WINDOW))
    if e is None or e.width <= 0 or e.height <= 0:
        return False
    return bool(safe(lambda: comp.contains(e.x + e.width // 2, e.y + e.height // 2,
                                           Atspi.CoordType.WINDOW), False))


def text_of(node):
    t = safe(node.get_text_iface)
    if t is None:
        return ''
    return safe(lambda: t.get_text(0, -1), '') or ''


def dump(root, title):
    if not DUMP:
        return
    diag('--- tree: %s' % title)
    for d, n in walk(root):
        extra = ''
        txt = text_of(n)
        if txt:
            extra = ' text=%r' % txt[:60]
        diag('%s%s %r%s%s' % ('  ' * d, role(n), name(n), extra,
                               '' if is_showing(n) else ' (hidden)'))


def find_all(root, roles, nm=None, showing=True, pred=None):
    if isinstance(roles, str):
        roles = (roles,)
    found = []
    for _, n in walk(root):
        if roles and role(n) not in roles:
            continue
        if nm is not None and name(n) != nm:
            continue
        if showing and not is_showing(n):
            continue
        if pred is not None and not pred(n):
            continue
        found.append(n)
    return found


def wait_for(fn, timeout, what, interval=0.1):
    end = time.monotonic() + timeout
    while True:
        v = safe(fn)
        if v:
            return v
        if time.monotonic() >= end:
            raise Failure('timed out after %.0f s waiting for %s' % (timeout, what))
        time.sleep(interval)


def wait_find(root, roles, nm, timeout=10, pred=None):
    def f():
        r = find_all(root, roles, nm, pred=pred)
        return r[0] if r else None
    return wait_for(f, timeout, '%s %r' % (roles, nm))


def center(node):
    # Window coordinates: GTK 4.8 warns that it can't report screen ones. With
    # no window manager the window sits at 0,0, so they are screen ones too.
    comp = node.get_component_iface()
    e = comp.get_extents(Atspi.CoordType.WINDOW)
    if e.width <= 0 or e.height <= 0:
        raise Failure('%s %r has no extents' % (role(node), name(node)))
    return e.x + e.width // 2, e.y + e.height // 2


def click(node):
    x, y = center(node)
    Atspi.generate_mouse_event(x, y, 'b1c')
    time.sleep(0.3)


def type_text(text):
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.2)


KEY_RETURN = 65293
KEY_END = 65367
KEY_ESCAPE = 65307
KEY_BACKSPACE = 65288


def press_key(keysym, pause=0.1):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    time.sleep(pause)


def has_action(node):
    act = safe(node.get_action_iface)
    return act is not None and (safe(act.get_n_actions, 0) or 0) > 0


def do_action(node):
    act = node.get_action_iface()
    if act is None or act.get_n_actions() < 1:
        raise Failure('%s %r has no action' % (role(node), name(node)))
    act.do_action(0)
    time.sleep(0.2)


def all_strings(root, showing=True):
    """Every accessible name and text under root, with the node."""
    out = []
    for _, n in walk(root):
        if showing and not is_showing(n):
            continue
        for s in (name(n), text_of(n)):
            if s:
                out.append((s, n))
    return out


def find_string(root, needle, showing=True):
    for s, n in all_strings(root, showing):
        if needle in s:
            return s
    return None


# --- processes --------------------------------------------------------------

fake_proc = None
fake_url = None


def start_fake(delay_ms, port=None):
    global fake_proc
    env = dict(os.environ)
    env['CRIA_E2E_KEY'] = RIGHT_KEY
    args = [FAKE, '--dialect', 'ollama', '--delay', str(delay_ms), '--api-key-env', 'CRIA_E2E_KEY']
    if port is not None:
        args += ['--port', str(port)]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=env, text=True)
    procs.append(p)
    fake_proc = p

    r, _, _ = select.select([p.stdout], [], [], 10)
    if not r:
        raise Failure('fake-llamagate printed no URL within 10 s')
    url = p.stdout.readline().strip()
    if not url.startswith('http'):
        raise Failure('fake-llamagate printed %r, not a URL' % url)
    return url


# The app saves its history under XDG_DATA_HOME: never the user's own.
DATA_HOME = tempfile.mkdtemp(prefix='cria-e2e-')


def start_app(url, log_path):
    env = dict(os.environ)
    env['XDG_DATA_HOME'] = DATA_HOME
    for var in ('GTK_A11Y', 'NO_AT_BRIDGE', 'LLAMAGATE_API_KEY', 'G_DEBUG'):
        env.pop(var, None)
    env['GSETTINGS_SCHEMA_DIR'] = SCHEMA_DIR
    env['GSETTINGS_BACKEND'] = 'memory'
    env['LLAMAGATE_API_BASE'] = url
    env['GIO_USE_PROXY_RESOLVER'] = 'dummy'
    env['GSK_RENDERER'] = env.get('GSK_RENDERER', 'cairo')
    env['GDK_DEBUG'] = env.get('GDK_DEBUG', 'gl-disable')
    env['GDK_BACKEND'] = 'x11'
    log = open(log_path, 'w')
    p = subprocess.Popen([CRIA], stdout=log, stderr=subprocess.STDOUT, env=env)
    procs.append(p)
    return p


def stop_all():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
    for p in reversed(procs):
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def find_app(proc, timeout):
    pid = proc.pid
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failure('the app exited with status %s' % proc.returncode)
        desktop = Atspi.get_desktop(0)
        for a in children(desktop):
            if safe(a.get_process_id) == pid:
                # Wait for its window.
                if any(role(w) == 'frame' for w in children(a)):
                    return a
        time.sleep(0.2)
    desktop = Atspi.get_desktop(0)
    names = [name(a) for a in children(desktop)]
    raise Failure('the app did not appear on the AT-SPI bus within %d s (apps: %r)'
                  % (timeout, names))


# --- TAP --------------------------------------------------------------------

def run_step(fn):
    n = len(results) + 1
    title = fn.__doc__.strip().splitlines()[0]
    t0 = time.monotonic()
    try:
        fn()
    except Failure as e:
        results.append(False)
        print('not ok %d - %s # %s' % (n, title, e), flush=True)
        return False
    except Exception as e:  # a bug in the test or an AT-SPI error
        results.append(False)
        print('not ok %d - %s # %s: %s' % (n, title, type(e).__name__, e), flush=True)
        return False
    results.append(True)
    print('ok %d - %s' % (n, title), flush=True)
    diag('%s: %.1f s (at %.1f s)' % (title, time.monotonic() - t0, elapsed()))
    return True


# --- scenarios --------------------------------------------------------------

ctx = {}


def frame():
    wins = [w for w in children(ctx['app']) if role(w) == 'frame']
    if not wins:
        raise Failure('the app has no window')
    return wins[0]


def s_onboarding():
    """onboarding: a wrong key is refused, the right one opens the chat"""
    win = frame()
    dump(win, 'welcome')
    key = wait_find(win, ('password text', 'text'), 'API Key', 10)
    cont = wait_find(win, 'push button', 'Continue', 5)
    check_names(win, 'welcome page')

    click(key)
    type_text(WRONG_KEY)
    do_action(cont)

    def refused():
        for s, _ in all_strings(win):
            low = s.lower()
            if 'accept' in low or 'reject' in low or 'invalid' in low or 'not valid' in low:
                return s
        return None
    msg = wait_for(refused, 10, 'a label saying the key was not accepted')
    diag('refusal shown: %r' % msg)
    dump(win, 'after wrong key')

    key = wait_find(win, ('password text', 'text'), 'API Key', 5)
    click(key)
    # End, then one BackSpace per character: the password entry's text can't
    # be read back through AT-SPI in GTK 4.8 to check it was cleared.
    press_key(KEY_END)
    for _ in range(len(WRONG_KEY) + 4):
        press_key(KEY_BACKSPACE, 0.02)
    type_text(RIGHT_KEY)
    cont = wait_find(win, 'push button', 'Continue', 5)
    do_action(cont)
    try:
        wait_find(win, 'text', 'Message', 10)
    except Failure:
        raise Failure('the chat did not appear after the right key; the page shows: %r'
                      % refused())


def s_pick_model():
    """pick a model: the Model popover's search finds Qwen 3 8B"""
    win = frame()
    dump(win, 'chat')
    # A GtkMenuButton shows as a "push button" holding the toggle button
    # that has the action; both are named "Model".
    button = wait_find(win, ('toggle button', 'push button'), 'Model', 10)
    diag('model button before: name=%r description=%r'
         % (name(button), safe(button.get_description, '')))
    toggle = wait_find(win, ('toggle button', 'push button'), 'Model', 5, pred=has_action)
    do_action(toggle)
    # The popover focuses its search entry. It is a surface of its own, so
    # window coordinates inside it aren't the main window's: use the keyboard.
    search = wait_find(ctx['app'], ('entry', 'text'), 'Search models', 5)
    if not safe(lambda: states(search).contains(Atspi.StateType.FOCUSED)):
        raise Failure('the search entry is not focused when the popover opens')
    # The search is a plain substring of the name or id: "qwen3 8" finds
    # nothing, "qwen 3 8" finds the name "Qwen 3 8B".
    type_text('qwen 3 8')

    def first_row():
        models = find_all(ctx['app'], 'list', 'Models')
        if not models:
            return None
        rows = find_all(models[0], 'list item')
        return rows if rows and name(rows[0]) == 'Qwen 3 8B' else None
    try:
        rows = wait_for(first_row, 5, 'the search to put "Qwen 3 8B" first in the list')
    except Failure as e:
        models = find_all(ctx['app'], 'list', 'Models')
        shown = [name(r) for r in find_all(models[0], 'list item')] if models else None
        press_key(KEY_ESCAPE)
        raise Failure('%s; the list shows %r' % (e, shown))
    diag('rows matching "qwen 3 8": %r' % [name(r) for r in rows])
    dump(ctx['app'], 'popover with search')
    check_names(ctx['app'], 'model popover')
    press_key(KEY_RETURN)

    def chosen():
        for b in find_all(win, ('toggle button', 'push button'), 'Model'):
            d = safe(b.get_description, '') or ''
            if d == 'Qwen 3 8B':
                return d
        return None
    try:
        wait_for(chosen, 5, 'the Model button to describe itself as "Qwen 3 8B"')
    except Failure as e:
        b = find_all(win, ('toggle button', 'push button'), 'Model')
        raise Failure('%s; it says %r' % (e, [safe(x.get_description, '') for x in b]))
    if find_all(ctx['app'], 'list', 'Models'):
        raise Failure('the popover is still open after picking a model')


def composer():
    return wait_find(frame(), 'text', 'Message', 5)


def send(text):
    box = composer()
    click(box)
    type_text(text)
    got = text_of(box)
    if text not in got:
        raise Failure('the composer reads %r after typing %r' % (got, text))
    press_key(KEY_RETURN)


def s_send_and_read():
    """send a message and read the streamed answer back"""
    win = frame()
    t0 = time.monotonic()
    send('Hello from AT-SPI')

    def answered():
        # The Send button comes back when the reply is done.
        if not find_all(win, 'push button', 'Send'):
            return None
        return find_string(win, 'fake LlamaGate')
    txt = wait_for(answered, 20, 'an answer containing "fake LlamaGate"', 0.2)
    diag('answer after %.1f s, read back: %r' % (time.monotonic() - t0, txt[:120]))
    # The header's model button shows the name too: look in the conversation.
    conversation = find_all(win, (), 'Conversation', showing=False)
    if not conversation:
        raise Failure('no accessible "Conversation" list')
    if find_string(conversation[0], 'Qwen 3 8B', showing=False) is None:
        raise Failure('the reply is not labelled with the picked model, Qwen 3 8B')
    if find_string(win, 'Hello from AT-SPI', showing=False) is None:
        raise Failure('the question is not readable in the conversation')
    dump(win, 'after answer')
    try:
        ctx['answer_shot'] = screenshot('main-window.png')
    except Failure as e:
        ctx['answer_shot_error'] = str(e)


def count_strings(root, needle):
    return sum(1 for s, _ in all_strings(root, showing=False) if s == needle)


def s_stop():
    """stop a reply mid-answer: Send comes back, the answer says Stopped"""
    win = frame()
    # The same server again, now dripping slowly, so that there is an answer
    # to stop however slow this run is (a sanitizer build walks the tree slowly).
    port = int(re.search(r':(\d+)/', fake_url).group(1))
    fake_proc.terminate()
    fake_proc.wait(5)
    start_fake(SLOW_DELAY_MS, port)
    send('Please stop me')
    stop = wait_find(win, 'push button', 'Stop', 5)
    # Let the reply stream for a moment (it starts with its reasoning), then
    # stop it in the middle.
    time.sleep(1.5)
    if not find_all(win, 'push button', 'Stop'):
        raise Failure('the answer finished before Stop could be pressed')
    do_action(stop)
    wait_find(win, 'push button', 'Send', 5)
    if find_all(win, 'push button', 'Stop'):
        raise Failure('Stop is still shown after stopping')

    def stopped():
        return find_string(win, 'Stopped')
    s = wait_for(stopped, 5, 'the word "Stopped" in the conversation')
    diag('after Stop: %r' % s[:120])
    if count_strings(win, 'That is all; ask again for the same answer.') > 1:
        raise Failure('the stopped answer ran to its end')
    dump(win, 'after stop')


CONTROL_ROLES = ('push button', 'toggle button', 'text', 'password text', 'check box',
                 'combo box', 'menu button', 'radio button', 'spin button', 'slider',
                 'entry', 'link')
# With no accessible label, GTK 4.8 names a widget after its class
# ("GtkImage", "GtkExpander", "AdwGizmo"): that is no name to a user.
FALLBACK_NAME = re.compile(r'^(Gtk|Adw|Cria|GtkSource)[A-Z][A-Za-z]*$')
unnamed_controls = {}
checked_controls = set()
# Unnamed controls inside library widgets, which the app can't label: (role,
# fallback name, role and name of the library widget holding it). Reported as
# TAP comments, not failures.
KNOWN_LIBRARY = {
    # libadwaita 1.2: AdwPasswordEntryRow's "show text" peek button.
    ('push button', 'GtkImage', 'text', 'API Key'),
}
known_library_seen = set()


def check_names(root, where):
    """Records the visible controls under root that have no real name."""
    for _, n in walk(root):
        r = role(n)
        if r not in CONTROL_ROLES or not is_showing(n):
            continue
        nm = name(n).strip()
        checked_controls.add((where, r, nm))
        if nm and not FALLBACK_NAME.match(nm):
            continue
        holder = safe(n.get_parent)
        while holder is not None and role(holder) in ('panel', 'filler'):
            holder = safe(holder.get_parent)
        if holder is not None and (r, nm, role(holder), name(holder)) in KNOWN_LIBRARY:
            known_library_seen.add('%s: %s %r in %s %r' % (where, r, nm, role(holder), name(holder)))
            continue
        path = []
        p = safe(n.get_parent)
        while p is not None and len(path) < 4:
            pn = name(p)
            if pn:
                path.append('%s %r' % (role(p), pn))
            p = safe(p.get_parent)
        key = (where, r, nm, ' < '.join(path))
        unnamed_controls[key] = True


def s_names():
    """every control has an accessible name"""
    check_names(ctx['app'], 'chat')
    # The reasoning of the last answer, expanded.
    expanders = [n for n in find_all(frame(), 'push button', pred=has_action)
                 if any(name(c).startswith('Thought for') for _, c in walk(n))]
    if expanders:
        do_action(expanders[-1])
        time.sleep(0.3)
        check_names(ctx['app'], 'chat with the reasoning expanded')
        do_action(expanders[-1])
        time.sleep(0.3)
    else:
        diag('no reasoning expander found to expand')
    for k in sorted(known_library_seen):
        diag('not the app\'s, left alone: %s' % k)
    diag('%d visible controls checked on the welcome page, the model popover and the chat'
         % len(checked_controls))
    if unnamed_controls:
        raise Failure('controls without an accessible name: ' + '; '.join(
            '%s: %s named %r (in %s)' % k for k in unnamed_controls))


def screenshot(filename):
    """Saves the main window, cropped from the root window, and returns the path."""
    if shutil.which('import') is None:
        raise Failure('ImageMagick import is not installed')
    os.makedirs(SHOT_DIR, exist_ok=True)
    path = os.path.join(SHOT_DIR, filename)
    e = frame().get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    cmd = ['import', '-window', 'root']
    if e.width > 0 and e.height > 0:
        cmd += ['-crop', '%dx%d+0+0' % (e.width, e.height), '+repage']
    try:
        r = subprocess.run(cmd + [path], timeout=20, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        raise Failure('import took more than 20 s')
    if r.returncode != 0 or not os.path.exists(path):
        raise Failure('import failed: %s' % r.stderr.strip())
    # A blank or failed capture compresses to almost nothing.
    if os.path.getsize(path) < 8000:
        raise Failure('%s is suspiciously small (%d bytes)' % (path, os.path.getsize(path)))
    return path


def s_screenshot():
    """screenshots of the main window with the conversation"""
    if 'answer_shot' in ctx:
        diag('screenshot of the answer: %s' % ctx['answer_shot'])
    else:
        raise Failure('no screenshot was taken after the answer: %s'
                      % ctx.get('answer_shot_error', 'scenario 3 failed'))
    diag('screenshot after Stop: %s' % screenshot('stopped.png'))


def main():
    global fake_url
    url = start_fake(DELAY_MS)
    fake_url = url
    os.makedirs(SHOT_DIR, exist_ok=True)
    log_path = os.path.join(SHOT_DIR, 'cria-e2e.log')
    proc = start_app(url, log_path)
    diag('fake LlamaGate at %s; app log %s' % (url, log_path))
    ctx['app'] = find_app(proc, 15)
    diag('app on the AT-SPI bus after %.1f s' % elapsed())
    time.sleep(0.5)

    steps = [s_onboarding, s_pick_model, s_send_and_read, s_stop, s_names, s_screenshot]
    assert len(steps) == PLAN
    for i, step in enumerate(steps):
        if not run_step(step) and step in (s_onboarding,):
            for j, rest in enumerate(steps[i + 1:], start=i + 2):
                results.append(False)
                print('not ok %d - %s # skipped: onboarding failed' %
                      (j, rest.__doc__.strip().splitlines()[0]), flush=True)
            break


def watchdog():
    # A stuck D-Bus call can't be interrupted from Python: end the processes
    # this test started, by PID, and bail out.
    print('Bail out! the test ran for more than %d s' % WATCHDOG_S, flush=True)
    for p in procs:
        if p.poll() is None:
            p.kill()
    os._exit(1)


print('1..%d' % PLAN, flush=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
timer = threading.Timer(WATCHDOG_S, watchdog)
timer.daemon = True
timer.start()
try:
    main()
except Failure as e:
    diag('setup failed: %s' % e)
    while len(results) < PLAN:
        results.append(False)
        print('not ok %d - setup # %s' % (len(results), e), flush=True)
finally:
    stop_all()
    timer.cancel()
    shutil.rmtree(DATA_HOME, ignore_errors=True)

diag('total %.1f s' % elapsed())
sys.exit(0 if results and all(results) else 1)
