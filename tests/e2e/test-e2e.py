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
# unlocked keyring); without a display or a session bus it skips itself.
# Use /usr/bin/python3: a python3 on PATH may lack gi. Set CRIA_E2E_DUMP=1 to
# print the accessibility tree at each step.

import os
import shutil
import signal
import subprocess
import sys
import time

PLAN = 6
WRONG_KEY = 'sk-wrong-key-0000'
RIGHT_KEY = 'sk-e2e-right-key-1234'
# Per write of the fake's stream: slow enough to press Stop mid-answer, fast
# enough that a full answer takes a few seconds.
DELAY_MS = 25

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
    s = states(node)
    return s is not None and s.contains(Atspi.StateType.SHOWING) and \
        s.contains(Atspi.StateType.VISIBLE)


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
    comp = node.get_component_iface()
    e = comp.get_extents(Atspi.CoordType.SCREEN)
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
KEY_CTRL_L = 65507
KEY_A = 97
KEY_BACKSPACE = 65288


def press_key(keysym):
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    time.sleep(0.1)


def select_all_and_delete():
    Atspi.generate_keyboard_event(KEY_CTRL_L, None, Atspi.KeySynthType.PRESS | Atspi.KeySynthType.SYM)
    Atspi.generate_keyboard_event(KEY_A, None, Atspi.KeySynthType.PRESSRELEASE | Atspi.KeySynthType.SYM)
    Atspi.generate_keyboard_event(KEY_CTRL_L, None, Atspi.KeySynthType.RELEASE | Atspi.KeySynthType.SYM)
    time.sleep(0.1)
    press_key(KEY_BACKSPACE)


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


def find_string(root, needle):
    for s, n in all_strings(root):
        if needle in s:
            return s
    return None


# --- processes --------------------------------------------------------------

def start_fake(delay_ms):
    env = dict(os.environ)
    env['CRIA_E2E_KEY'] = RIGHT_KEY
    p = subprocess.Popen([FAKE, '--dialect', 'ollama', '--delay', str(delay_ms),
                          '--api-key-env', 'CRIA_E2E_KEY'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         env=env, text=True)
    procs.append(p)
    import select
    r, _, _ = select.select([p.stdout], [], [], 10)
    if not r:
        raise Failure('fake-llamagate printed no URL within 10 s')
    url = p.stdout.readline().strip()
    if not url.startswith('http'):
        raise Failure('fake-llamagate printed %r, not a URL' % url)
    return url


def start_app(url, log_path):
    env = dict(os.environ)
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

    click(key)
    type_text(WRONG_KEY)
    do_action(cont)

    def refused():
        for s, _ in all_strings(win):
            low = s.lower()
            if 'not accepted' in low or 'was rejected' in low or 'invalid' in low \
               or 'not valid' in low or 'wrong' in low:
                return s
        return None
    msg = wait_for(refused, 10, 'a label saying the key was not accepted')
    diag('refusal shown: %r' % msg)
    dump(win, 'after wrong key')

    key = wait_find(win, ('password text', 'text'), 'API Key', 5)
    click(key)
    select_all_and_delete()
    type_text(RIGHT_KEY)
    cont = wait_find(win, 'push button', 'Continue', 5)
    do_action(cont)
    wait_find(win, 'text', 'Message', 10)


def s_pick_model():
    """pick a model: the Model popover's search finds Qwen 3 8B"""
    win = frame()
    dump(win, 'chat')
    button = wait_find(win, ('toggle button', 'push button'), 'Model', 10)
    diag('model button before: name=%r description=%r'
         % (name(button), safe(button.get_description, '')))
    do_action(button)
    search = wait_find(ctx['app'], 'text', 'Search models', 5)
    click(search)
    type_text('qwen3 8')

    def row():
        for n in find_all(ctx['app'], ('list item', 'row', 'push button', 'label', 'table row')):
            if name(n).startswith('Qwen 3 8B'):
                return n
        return None
    r = wait_for(row, 5, 'the row "Qwen 3 8B"')
    dump(ctx['app'], 'popover with search')
    diag('row found: %s %r' % (role(r), name(r)))
    # The row of a GtkListBox activates on Enter from the search entry only
    # for the first match; click the row itself.
    click(r)

    def chosen():
        b = find_all(win, ('toggle button', 'push button'), 'Model')
        if not b:
            return None
        b = b[0]
        s = [name(b), safe(b.get_description, '') or '']
        for c in children(b):
            for _, n in walk(c):
                s.append(name(n))
                s.append(text_of(n))
        joined = ' | '.join(x for x in s if x)
        return joined if 'Qwen 3 8B' in joined else None
    shown = wait_for(chosen, 5, 'the Model button to show Qwen 3 8B')
    diag('model button now shows: %r' % shown)


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
    if find_string(win, 'Hello from AT-SPI') is None:
        raise Failure('the question is not readable in the conversation')
    dump(win, 'after answer')


def s_stop():
    """stop a reply mid-answer: Send comes back, the answer says Stopped"""
    win = frame()
    send('Please stop me')
    stop = wait_find(win, 'push button', 'Stop', 5)
    time.sleep(0.5)
    do_action(stop)
    wait_find(win, 'push button', 'Send', 5)

    def stopped():
        return find_string(win, 'Stopped')
    s = wait_for(stopped, 5, 'the word "Stopped" in the conversation')
    diag('after Stop: %r' % s[:120])
    dump(win, 'after stop')


CONTROL_ROLES = ('push button', 'toggle button', 'text', 'password text', 'check box',
                 'combo box', 'menu button', 'radio button', 'spin button', 'slider',
                 'entry', 'link')


def s_names():
    """every control has an accessible name"""
    unnamed = []
    count = 0
    for _, n in walk(ctx['app']):
        if role(n) in CONTROL_ROLES and is_showing(n):
            count += 1
            if not name(n).strip():
                parent = safe(n.get_parent)
                unnamed.append('%s in %s %r' % (role(n), role(parent) if parent else '?',
                                                name(parent) if parent else ''))
    diag('%d visible controls checked' % count)
    if unnamed:
        raise Failure('controls without an accessible name: ' + '; '.join(unnamed))


def s_screenshot():
    """screenshot of the main window with the conversation"""
    os.makedirs(SHOT_DIR, exist_ok=True)
    path = os.path.join(SHOT_DIR, 'main-window.png')
    e = frame().get_component_iface().get_extents(Atspi.CoordType.SCREEN)
    cmd = ['import', '-window', 'root']
    if e.width > 0 and e.height > 0:
        cmd += ['-crop', '%dx%d+%d+%d' % (e.width, e.height, max(e.x, 0), max(e.y, 0)), '+repage']
    if shutil.which('import') is None:
        raise Failure('ImageMagick import is not installed')
    r = subprocess.run(cmd + [path], timeout=20, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(path):
        raise Failure('import failed: %s' % r.stderr.strip())
    diag('screenshot: %s' % path)


def main():
    url = start_fake(DELAY_MS)
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


print('1..%d' % PLAN, flush=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
try:
    main()
except Failure as e:
    diag('setup failed: %s' % e)
    while len(results) < PLAN:
        results.append(False)
        print('not ok %d - setup # %s' % (len(results), e), flush=True)
finally:
    stop_all()

diag('total %.1f s' % elapsed())
sys.exit(0 if results and all(results) else 1)
