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
# checking every control has an accessible name, then the rest of the app:
# pasting an image (a PNG put on the X clipboard with xclip, Ctrl+V in the
# composer) into a new chat with a vision model and checking, in the fake's
# request log, that the request carried it; searching with Ctrl+F and
# opening a result with Tab and Return; renaming a conversation and deleting
# one, then Undo in the toast, from the sidebar row's menu; and changing the
# largest image side in Preferences, closing it with Escape and seeing the
# next pasted image scaled to it. The dialogs, menus, toast and Preferences
# met on the way are checked for accessible names too. Prints TAP.
#
# Run it inside build-aux/run-headless.sh (private Xvfb, session bus and
# unlocked keyring): it stores a key in the keyring, so outside that session
# (CRIA_HEADLESS_DIR unset), or without a display or a session bus, it skips
# itself. An app that never shows up on the AT-SPI bus is a failure.
# Use /usr/bin/python3: a python3 on PATH may lack gi. Set CRIA_E2E_DUMP=1 to
# print the accessibility tree at each step.

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

PLAN = 12
WRONG_KEY = 'sk-wrong-key-0000'
RIGHT_KEY = 'sk-e2e-right-key-1234'
# Per write of the fake's stream, as a model streams. Nothing depends on the
# pace: where the test must see an answer streaming (Stop), the fake holds it
# at a pause point (HOLD_AFTER writes) until the test is done with it.
DELAY_MS = 25
HOLD_AFTER = 8
# The whole run takes about 45 s, a few minutes under a sanitizer on a busy
# machine; meson's own timeout is 960 s, the watchdog's (atspi_helpers.WATCHDOG_S) less.

# The AT-SPI helpers shared with test-desktop.py and build-aux/flatpak-smoke.py.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atspi_helpers as h  # noqa: E402
from atspi_helpers import diag, skip_all  # noqa: E402

t_start = time.monotonic()
tap = h.Tap()
results = tap.results
procs = []


def elapsed():
    return time.monotonic() - t_start


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

if h.ATSPI_ERROR:
    skip_all('gi.repository.Atspi is not available (%s)' % h.ATSPI_ERROR)

from atspi_helpers import (Atspi, Failure, safe, children, walk_depth, role, name, states, text_of,  # noqa: E402
                           click, click_focus, focused, has_action, wait_for, wait_stable,
                           KEY_RETURN, KEY_END, KEY_ESCAPE, KEY_BACKSPACE, KEY_TAB)

DUMP = os.environ.get('CRIA_E2E_DUMP') == '1'


# --- AT-SPI helpers ---------------------------------------------------------

is_showing = h.showing


def walk(node):
    return walk_depth(node)


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
    return h.find(root, roles, nm, pred=pred, shown=showing)


def wait_find(root, roles, nm, timeout=10, pred=None):
    def f():
        r = find_all(root, roles, nm, pred=pred)
        return r[0] if r else None
    return wait_for(f, timeout, '%s %r' % (roles, nm))


def type_text(text, into=None, expect=None):
    h.type_text(text, into=into, expect=expect)


def press_key(keysym):
    h.press(keysym)


def do_action(node):
    h.act(node)


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
    return h.find_text(root, needle, shown=showing)


def focus_in(root):
    """What says it has the keyboard focus under root, as a set of (role, name,
    x, y): GTK 4.8 may leave the state on a widget the focus has left, so the
    focus has moved when the set changes."""
    out = set()
    for _, n in walk(root):
        if focused(n):
            e = safe(lambda: h.extents(n))
            out.add((role(n), name(n), e.x if e else None, e.y if e else None))
    return frozenset(out)


# --- processes --------------------------------------------------------------

fake_proc = None
fake_url = None


def start_fake(delay_ms, port=None):
    global fake_proc
    args = ['--dialect', 'ollama', '--delay', str(delay_ms)]
    if port is not None:
        args += ['--port', str(port)]
    # One line per request, appended across restarts: the image scenario
    # reads it to check what the app sent.
    fake_proc, url = h.start_fake(FAKE, args, 'CRIA_E2E_KEY', RIGHT_KEY, procs,
                                  stderr=open(FAKE_LOG, 'a'))
    return url


# The app saves its history under XDG_DATA_HOME: never the user's own.
DATA_HOME = tempfile.mkdtemp(prefix='cria-e2e-')
FAKE_LOG = os.path.join(SHOT_DIR, 'fake-llamagate.log')


def start_app(url, log_path):
    env = h.app_env(url, SCHEMA_DIR)
    env['XDG_DATA_HOME'] = DATA_HOME
    log = open(log_path, 'w')
    p = subprocess.Popen([CRIA], stdout=log, stderr=subprocess.STDOUT, env=env)
    procs.append(p)
    return p


def stop_all():
    h.stop_processes(procs)


def find_app(proc, timeout):
    return h.find_app(proc, timeout)


# --- TAP --------------------------------------------------------------------

def run_step(fn):
    title = fn.__doc__.strip().splitlines()[0]
    t0 = time.monotonic()
    try:
        fn()
    except Failure as e:
        return tap(False, title, str(e))
    except Exception as e:  # a bug in the test or an AT-SPI error
        return tap(False, title, '%s: %s' % (type(e).__name__, e))
    tap(True, title)
    diag('%s: %.1f s (at %.1f s)' % (title, time.monotonic() - t0, elapsed()))
    return True


# --- scenarios --------------------------------------------------------------

ctx = {}


def frame():
    # A loaded machine can keep the app from answering AT-SPI for a while.
    def wins():
        return [w for w in children(ctx['app']) if role(w) == 'frame']
    try:
        return wait_for(wins, 20, 'the app\'s window')[0]
    except Failure:
        raise Failure('the app has no window')


def s_onboarding():
    """onboarding: a wrong key is refused, the right one opens the chat"""
    win = frame()
    dump(win, 'welcome')
    key = wait_find(win, ('password text', 'text'), 'API Key', 20)
    wait_find(win, 'push button', 'Continue', 20)
    check_names(win, 'welcome page')

    # The row, not its text, is what AT-SPI sees: it never says it is focused.
    click(key)
    # Return in the key's entry continues, as Continue does. Unlike an AT-SPI
    # action it comes after the typed keys, so the whole key is checked (a
    # password entry's text can't be read back to wait for it).
    type_text(WRONG_KEY)
    press_key(KEY_RETURN)

    def refused():
        for s, _ in all_strings(win):
            low = s.lower()
            if 'accept' in low or 'reject' in low or 'invalid' in low or 'not valid' in low:
                return s
        return None
    msg = wait_for(refused, 20, 'a label saying the key was not accepted')
    diag('refusal shown: %r' % msg)
    dump(win, 'after wrong key')

    key = wait_find(win, ('password text', 'text'), 'API Key', 20)
    click(key)
    # End, then one BackSpace per character: the password entry's text can't
    # be read back through AT-SPI in GTK 4.8 to check it was cleared. The keys
    # reach the app in the order they were pressed.
    press_key(KEY_END)
    for _ in range(len(WRONG_KEY) + 4):
        press_key(KEY_BACKSPACE)
    type_text(RIGHT_KEY)
    wait_find(win, 'push button', 'Continue', 20)
    press_key(KEY_RETURN)
    try:
        wait_find(win, 'text', 'Message', 20)
    except Failure:
        raise Failure('the chat did not appear after the right key; the page shows: %r'
                      % refused())


def pick_model(query, model_name):
    """Opens the Model popover, searches for query, expects model_name first
    and picks it with Return."""
    win = frame()
    # A GtkMenuButton shows as a "push button" holding the toggle button
    # that has the action; both are named "Model".
    button = wait_find(win, ('toggle button', 'push button'), 'Model', 20)
    diag('model button before: name=%r description=%r'
         % (name(button), safe(button.get_description, '')))
    toggle = wait_find(win, ('toggle button', 'push button'), 'Model', 20, pred=has_action)
    do_action(toggle)
    # The popover focuses its search entry. It is a surface of its own, so
    # window coordinates inside it aren't the main window's: use the keyboard.
    search = wait_find(ctx['app'], ('entry', 'text'), 'Search models', 20)
    if not safe(lambda: states(search).contains(Atspi.StateType.FOCUSED)):
        raise Failure('the search entry is not focused when the popover opens')
    # GTK 4.8 can't read a search entry's text back: the list below shows
    # when the query is in.
    type_text(query)

    def first_row():
        models = find_all(ctx['app'], 'list', 'Models')
        if not models:
            return None
        rows = find_all(models[0], 'list item')
        return rows if rows and name(rows[0]) == model_name else None
    try:
        rows = wait_for(first_row, 20, 'the search to put "%s" first in the list' % model_name)
    except Failure as e:
        models = find_all(ctx['app'], 'list', 'Models')
        shown = [name(r) for r in find_all(models[0], 'list item')] if models else None
        press_key(KEY_ESCAPE)
        raise Failure('%s; the list shows %r' % (e, shown))
    diag('rows matching %r: %r' % (query, [name(r) for r in rows]))
    dump(ctx['app'], 'popover with search')
    check_names(ctx['app'], 'model popover')
    press_key(KEY_RETURN)

    def chosen():
        for b in find_all(win, ('toggle button', 'push button'), 'Model'):
            d = safe(b.get_description, '') or ''
            if d == model_name:
                return d
        return None
    try:
        wait_for(chosen, 20, 'the Model button to describe itself as "%s"' % model_name)
    except Failure as e:
        b = find_all(win, ('toggle button', 'push button'), 'Model')
        raise Failure('%s; it says %r' % (e, [safe(x.get_description, '') for x in b]))
    if find_all(ctx['app'], 'list', 'Models'):
        raise Failure('the popover is still open after picking a model')


def s_pick_model():
    """pick a model: the Model popover's search finds Qwen 3 8B"""
    dump(frame(), 'chat')
    # The search is a plain substring of the name or id: "qwen3 8" finds
    # nothing, "qwen 3 8" finds the name "Qwen 3 8B".
    pick_model('qwen 3 8', 'Qwen 3 8B')


def composer():
    return wait_find(frame(), 'text', 'Message', 20)


def send(text):
    box = composer()
    click_focus(box)
    # Enter only once the composer holds every typed key.
    type_text(text, into=box, expect=text)
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
    # The fake now holds each answer after a few writes until released, so
    # there is an answer to stop however slow this run is.
    h.hold(fake_url, HOLD_AFTER)
    send('Please stop me')
    stop = wait_find(win, 'push button', 'Stop', 20)
    # Stop it in the middle: once the fake has sent its first writes (the
    # reasoning) and waits.
    wait_for(lambda: h.held(fake_url) == 1, 20, 'the answer to reach the fake\'s hold point')
    h.hold(fake_url, -1)
    if not find_all(win, 'push button', 'Stop'):
        raise Failure('the answer finished before Stop could be pressed')
    do_action(stop)
    wait_find(win, 'push button', 'Send', 20)
    if find_all(win, 'push button', 'Stop'):
        raise Failure('Stop is still shown after stopping')

    def stopped():
        return find_string(win, 'Stopped')
    s = wait_for(stopped, 20, 'the word "Stopped" in the conversation')
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
    # libadwaita 1.2: AdwToast's close button (its tooltip says "Dismiss").
    ('push button', 'GtkImage', 'filler', 'AdwToastWidget'),
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
        while (holder is not None and role(holder) in ('panel', 'filler')
               and not FALLBACK_NAME.match(name(holder))):
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
        exp = expanders[-1]
        do_action(exp)
        wait_for(lambda: h.has_state(exp, Atspi.StateType.EXPANDED), 20, 'the reasoning to expand')
        check_names(ctx['app'], 'chat with the reasoning expanded')
        do_action(exp)
        wait_for(lambda: not h.has_state(exp, Atspi.StateType.EXPANDED), 20,
                 'the reasoning to collapse')
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
    os.makedirs(SHOT_DIR, exist_ok=True)
    return h.screenshot(frame(), os.path.join(SHOT_DIR, filename))


def s_screenshot():
    """screenshots of the main window with the conversation"""
    if 'answer_shot' in ctx:
        diag('screenshot of the answer: %s' % ctx['answer_shot'])
    else:
        raise Failure('no screenshot was taken after the answer: %s'
                      % ctx.get('answer_shot_error', 'scenario 3 failed'))
    diag('screenshot after Stop: %s' % screenshot('stopped.png'))


# --- the rest of the app: images, search, rename, delete, Preferences -------

def need_tools(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise Failure('%s not installed (build-aux/install-deps.sh installs it)'
                      % ', '.join(missing))


def chord(keys):
    """A shortcut such as "ctrl+v", typed with xdotool into the window that
    has the keyboard: AT-SPI can press a modifier only by its keycode, which
    depends on the keymap."""
    need_tools('xdotool')
    h.chord(keys)


def assert_names(root, where):
    """check_names, failing the scenario at once on a control without a name."""
    check_names(root, where)
    bad = [k for k in unnamed_controls if k[0] == where]
    if bad:
        raise Failure('controls without an accessible name: ' + '; '.join(
            '%s: %s named %r (in %s)' % k for k in bad))


def write_png(path, width, height):
    """A real PNG, RGB with a gradient, written with zlib: no image library."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((x * 255 // width, y * 255 // height, 128))

    def chunk(kind, data):
        c = struct.pack('>I', len(data)) + kind + data
        return c + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(bytes(rows), 9)))
        f.write(chunk(b'IEND', b''))
    return path


def paste_image(png):
    """Puts png on the X clipboard as image/png (xclip serves it until
    something else takes the clipboard) and presses Ctrl+V in the composer."""
    need_tools('xclip', 'xdotool')
    clip = subprocess.Popen(['xclip', '-quiet', '-selection', 'clipboard', '-t', 'image/png',
                             '-i', png], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(clip)

    def offered():
        r = subprocess.run(['xclip', '-selection', 'clipboard', '-t', 'TARGETS', '-o'],
                           capture_output=True, text=True, timeout=5)
        return 'image/png' in r.stdout.split()
    wait_for(offered, 20, 'xclip to offer image/png on the clipboard')
    box = composer()
    try:
        click_focus(box)
    except Failure:
        raise Failure('the composer did not take the focus when clicked')
    chord('ctrl+v')


def conversation_list():
    lists = find_all(frame(), (), 'Conversation', showing=False)
    if not lists:
        raise Failure('no accessible "Conversation" list')
    return lists[0]


def sidebar_rows(list_name):
    """The rows of the sidebar's "Conversations" or "Search results" list:
    each row is a panel named after the conversation's title."""
    lists = find_all(frame(), 'list', list_name)
    if not lists:
        return []
    return [n for n in find_all(lists[0], 'panel') if name(n)]


def row_titles(list_name='Conversations'):
    return [name(r) for r in sidebar_rows(list_name)]


def s_send_image():
    """send with an image: pasted into a vision model's chat, the request carries it"""
    win = frame()
    before = row_titles()
    do_action(wait_find(win, 'push button', 'New chat', 20, pred=has_action))
    wait_for(lambda: find_string(conversation_list(), 'Hello from AT-SPI') is None, 20,
             'the new chat to replace the first conversation')
    pick_model('qwen 3 vl', 'Qwen 3 VL 8B')

    png = write_png(os.path.join(DATA_HOME, 'e2e-picture.png'), 600, 400)
    log_at = os.path.getsize(FAKE_LOG)
    paste_image(png)
    # The chip: the image's name, a Remove button named after it, and once the
    # image is prepared, its size.
    try:
        wait_find(win, 'push button', 'Remove Pasted image', 20)
    except Failure as e:
        raise Failure('%s: no attachment chip after Ctrl+V with an image on the clipboard' % e)
    size = wait_for(lambda: find_string(win, '600 × 400'), 20, 'the chip to say "600 × 400"')
    diag('attachment chip: %r' % size)
    assert_names(win, 'chat with an attached image')
    dump(win, 'with an attachment')

    send('What is in this picture?')

    def answered():
        if not find_all(win, 'push button', 'Send'):
            return None
        return find_string(conversation_list(), 'fake LlamaGate')
    wait_for(answered, 20, 'the answer to the question with the image', 0.2)
    conv = conversation_list()
    if find_string(conv, 'Qwen 3 VL 8B', showing=False) is None:
        raise Failure('the answer is not labelled with the vision model, Qwen 3 VL 8B')
    if find_all(conv, (), 'Image 1 of 1', showing=False) == []:
        raise Failure('the sent message shows no image ("Image 1 of 1")')
    if find_all(win, 'push button', 'Remove Pasted image'):
        raise Failure('the attachment chip is still there after sending')

    def requests():
        with open(FAKE_LOG) as f:
            f.seek(log_at)
            return [l.strip() for l in f if 'chat/completions' in l]
    sent = wait_for(lambda: [l for l in requests() if 'stream' in l], 20,
                    'the fake to log the streamed request')
    diag('requests: %r' % requests())
    if not any('qwen3-vl-8b' in l and '1 image)' in l for l in sent):
        raise Failure('the request did not carry one image_url part for qwen3-vl-8b: %r' % sent)
    # The new conversation gets its row in the sidebar.
    wait_for(lambda: len(row_titles()) > len(before), 20,
             'a second conversation in the sidebar (it had %r)' % before)
    diag('sidebar: %r' % row_titles())


def s_search():
    """search: Ctrl+F finds a word from the first chat, its result opens that chat"""
    win = frame()
    click_focus(composer())
    chord('ctrl+f')
    entry = wait_find(win, ('entry', 'text'), 'Search conversations', 20, pred=focused)
    type_text('AT-SPI')

    # The results follow the typed text key by key ("A" finds the picture
    # conversation too): wait until they are the whole query's, that is until
    # every result is the conversation that has the word, and they hold still.
    # A search that never gets there fails at the ceiling, with the results it
    # showed. Each poll walks the window's tree, seconds under a sanitizer on
    # a busy machine: the ceiling is a minute and more.
    def results():
        lists = find_all(win, 'list', ('Search results', 'Conversations'))
        if len(lists) != 1 or name(lists[0]) != 'Search results':
            return None
        rows = [n for n in find_all(lists[0], 'panel') if name(n)]
        titles = tuple(name(r) for r in rows)
        return titles if titles and set(titles) == {'Hello from AT-SPI'} else None
    try:
        wait_stable(results, 60, 'results in the sidebar for "AT-SPI"', polls=3, interval=0.2)
    except Failure:
        raise Failure('"AT-SPI" is only in the conversation "Hello from AT-SPI", the results are %r'
                      % [name(r) for r in sidebar_rows('Search results')])
    rows = sidebar_rows('Search results')
    # One result per message that has the word, each named after its
    # conversation: the question and the answers quoting it.
    titles = [name(r) for r in rows]
    diag('results: %r' % titles)
    dump(win, 'search results')
    assert_names(win, 'search results')
    if set(titles) != {'Hello from AT-SPI'}:
        raise Failure('"AT-SPI" is only in the conversation "Hello from AT-SPI", the results are %r'
                      % titles)
    if find_string(conversation_list(), 'Hello from AT-SPI') is not None:
        raise Failure('the first conversation is already shown before the result is opened')
    # Tab from the search entry to the results, Return opens the first one.
    press_key(KEY_TAB)
    press_key(KEY_RETURN)
    wait_for(lambda: find_string(conversation_list(), 'Hello from AT-SPI'), 20,
             'the conversation with "Hello from AT-SPI" after Tab and Return on the results')
    if find_string(conversation_list(), 'What is in this picture?') is not None:
        raise Failure('the picture conversation is still shown')
    # Escape in the search entry clears it: the list of conversations is back.
    click_focus(entry)
    press_key(KEY_ESCAPE)
    wait_for(lambda: row_titles(), 20, 'the list of conversations after clearing the search')


def row_menu(title, item):
    """Opens the "Conversation menu" of the sidebar row titled title and
    activates the menu item whose name contains item."""
    rows = [r for r in sidebar_rows('Conversations') if name(r) == title]
    if not rows:
        raise Failure('no row titled %r in the sidebar (it shows %r)' % (title, row_titles()))
    buttons = find_all(rows[0], ('toggle button', 'push button'), 'Conversation menu', pred=has_action)
    if not buttons:
        raise Failure('the row %r has no "Conversation menu" button' % title)
    do_action(buttons[0])

    def menu_item():
        items = find_all(ctx['app'], ('menu item', 'push button', 'check menu item'),
                         pred=lambda n: item in name(n))
        return items[0] if items else None
    mi = wait_for(menu_item, 20, 'the menu item %r' % item)
    assert_names(ctx['app'], 'conversation menu')
    do_action(mi)
    return mi


def s_rename():
    """rename a conversation from its sidebar menu"""
    win = frame()
    titles = row_titles()
    old = [t for t in titles if 'AT-SPI' in t] or titles[-1:]
    if not old:
        raise Failure('the sidebar lists no conversations')
    old = old[0]
    new = 'Renamed over AT-SPI'
    row_menu(old, 'Rename')

    def dialog():
        for w in children(ctx['app']):
            e = find_all(w, ('entry', 'text'), 'Title')
            if e:
                return w, e[0]
        return None
    dlg, entry = wait_for(dialog, 20, 'the Rename dialog with its "Title" entry')
    dump(dlg, 'rename dialog')
    assert_names(dlg, 'rename dialog')
    if not focused(entry):
        click_focus(entry)
    # Replace the old title, then Return renames: the keys reach the app in
    # the order they were pressed.
    chord('ctrl+a')
    type_text(new)
    press_key(KEY_RETURN)
    wait_for(lambda: new in row_titles(), 20, 'a row titled %r' % new)
    if old in row_titles():
        raise Failure('the old title %r is still in the sidebar' % old)
    wait_for(lambda: dialog() is None, 20, 'the Rename dialog to close')
    ctx['renamed'] = new


def s_delete_undo():
    """delete a conversation, then Undo in the toast brings it back"""
    win = frame()
    title = ctx.get('renamed') or row_titles()[0]
    before = row_titles()
    row_menu(title, 'Delete')
    wait_for(lambda: title not in row_titles(), 20, 'the row %r to leave the sidebar' % title)
    dump(win, 'after delete')
    # libadwaita 1.2 names the toast's button after its label and its
    # mnemonic: "_Undo Undo".
    undo = wait_for(lambda: find_all(win, 'push button', pred=lambda n: name(n).endswith('Undo'))[0],
                    5, 'an Undo button in a toast')
    toast = find_string(win, 'deleted')
    if toast is None or title not in toast:
        raise Failure('the toast does not say %r was deleted: %r' % (title, toast))
    diag('toast: %r' % toast)
    assert_names(win, 'delete toast')
    do_action(undo)
    wait_for(lambda: title in row_titles(), 20, 'the row %r back after Undo' % title)
    if sorted(row_titles()) != sorted(before):
        raise Failure('after Undo the sidebar lists %r, before %r' % (row_titles(), before))
    # Its messages came back too.
    for r in sidebar_rows('Conversations'):
        if name(r) == title:
            click(r)
            break
    wait_for(lambda: find_string(conversation_list(), 'Hello from AT-SPI'), 20,
             'the restored conversation to show its messages')


def prefs_window():
    w = [w for w in children(ctx['app']) if name(w) == 'Preferences' and role(w) in ('frame', 'dialog', 'window')]
    return w[0] if w else None


def s_preferences():
    """Preferences: a smaller largest image side applies to the next image"""
    win = frame()
    menu = wait_find(win, ('toggle button', 'push button'), 'Main menu', 20, pred=has_action)
    do_action(menu)
    item = wait_for(lambda: find_all(ctx['app'], (), pred=lambda n: name(n) == 'Preferences' and has_action(n)),
                    5, 'Preferences in the main menu')[0]
    do_action(item)
    prefs = wait_for(prefs_window, 20, 'the Preferences window')
    dump(prefs, 'preferences')
    # The Chat page's tab. Its AT-SPI action does not switch pages in
    # libadwaita 1.2; a click does (with no window manager the window sits
    # at 0,0, so its coordinates are the screen's).
    chat = wait_find(prefs, 'page tab', 'Chat', 20)
    click(chat)
    wait_find(prefs, 'list', 'Generation', 20)
    assert_names(prefs, 'preferences')
    # GTK 4.8 names a spin button after its label twice over.
    spins = find_all(prefs, 'spin button', showing=False,
                     pred=lambda n: name(n).startswith('Largest Image Side'))
    if not spins:
        raise Failure('no "Largest Image Side" spin button on the Chat page')
    spin = spins[0]
    value = spin.get_value_iface()
    diag('largest image side before: %s' % value.get_current_value())
    # It is below the fold: Tab to it, as a keyboard user would; the page
    # scrolls to what has the focus. Each Tab is followed by the focus moving.
    for _ in range(25):
        if focused(spin):
            break
        before = focus_in(prefs)
        press_key(KEY_TAB)
        try:
            wait_for(lambda: focused(spin) or focus_in(prefs) not in (frozenset(), before), 5,
                     'the focus to move on')
        except Failure:
            # Some of libadwaita 1.2's rows never say they have the focus:
            # the keys are taken in order, so the next Tab goes on from there.
            diag('no focus change seen after Tab from %r' % (sorted(before),))
    if not focused(spin):
        raise Failure('Tab never reached the "Largest Image Side" spin button')
    if not is_showing(spin):
        raise Failure('the focused "Largest Image Side" spin button was not scrolled into view')
    chord('ctrl+a')
    type_text('256')
    press_key(KEY_TAB)
    wait_for(lambda: value.get_current_value() == 256, 20, 'the spin button to read 256')
    press_key(KEY_ESCAPE)
    wait_for(lambda: prefs_window() is None, 20, 'the Preferences window to close on Escape')
    # The main window still answers: the composer takes the focus.
    box = composer()
    click(box)
    wait_for(lambda: focused(box), 20, 'the composer to take the focus after Preferences closed')
    # And the setting applies: the same 600 × 400 picture comes out 256 wide.
    paste_image(os.path.join(DATA_HOME, 'e2e-picture.png'))
    size = wait_for(lambda: find_string(win, '256 × 171') or find_string(win, '256 × 170'), 20,
                    'the chip to say "256 × 171" with the largest side set to 256')
    diag('attachment chip: %r' % size)
    do_action(wait_find(win, 'push button', 'Remove Pasted image', 20))
    wait_for(lambda: not find_all(win, 'push button', 'Remove Pasted image'), 20,
             'the chip to go when removed')


# GTK 4.8 names a button with an accessible label and text by both.
ALLOW_ONCE = 'Allow the call once Allow Once'
ALWAYS_ALLOW = 'Always allow this tool Always Allow This Tool'
DENY = 'Deny the call Deny'


def s_tool_round():
    """one tool round: the call waits for approval, runs once allowed, and the model reads its result"""
    win = frame()
    send('tools: search_conversations {"query": "AT-SPI"}')
    # The call asks first (it reads the user's history), showing its arguments.
    allow = wait_find(win, 'push button', ALLOW_ONCE, 20)
    if find_string(win, 'search_conversations') is None:
        raise Failure('the waiting call does not show the tool\'s name')
    if find_string(win, '"query" : "AT-SPI"') is None:
        raise Failure('the waiting call does not show its arguments')
    if not find_all(win, 'push button', DENY) or \
            not find_all(win, 'push button', ALWAYS_ALLOW):
        raise Failure('the waiting call does not offer Deny and Always Allow')
    if not find_all(win, 'push button', 'Stop'):
        raise Failure('Stop is not offered while a call waits for approval')
    do_action(allow)
    # The search runs, its result goes back, and the model answers from it.
    txt = wait_for(lambda: find_string(win, 'The tools answered:'), 20,
                   'an answer quoting the tool\'s result')
    diag('after the tool round: %r' % txt[:120])
    wait_find(win, 'push button', 'Send', 20)
    if find_string(win, 'Done in') is None:
        raise Failure('the call does not say it is done, and how long it took')
    if find_all(win, 'push button', ALLOW_ONCE):
        raise Failure('the approval buttons stay after the call was allowed')
    check_names(win, 'after a tool round')


def main():
    global fake_url
    os.makedirs(SHOT_DIR, exist_ok=True)
    open(FAKE_LOG, 'w').close()
    url = start_fake(DELAY_MS)
    fake_url = url
    log_path = os.path.join(SHOT_DIR, 'cria-e2e.log')
    proc = start_app(url, log_path)
    diag('fake LlamaGate at %s; app log %s' % (url, log_path))
    ctx['app'] = find_app(proc, 15)
    ctx['app_pid'] = proc.pid
    diag('app on the AT-SPI bus after %.1f s' % elapsed())

    steps = [s_onboarding, s_pick_model, s_send_and_read, s_stop, s_names, s_screenshot,
             s_send_image, s_search, s_rename, s_delete_undo, s_preferences, s_tool_round]
    assert len(steps) == PLAN
    for i, step in enumerate(steps):
        if not run_step(step) and step in (s_onboarding,):
            for rest in steps[i + 1:]:
                tap(False, rest.__doc__.strip().splitlines()[0], 'skipped: onboarding failed')
            break


print('1..%d' % PLAN, flush=True)
timer = h.start_watchdog(procs)
try:
    main()
except Failure as e:
    diag('setup failed: %s' % e)
    while len(results) < PLAN:
        tap(False, 'setup', str(e))
finally:
    stop_all()
    timer.cancel()
    shutil.rmtree(DATA_HOME, ignore_errors=True)

diag('total %.1f s' % elapsed())
sys.exit(0 if results and all(results) else 1)
