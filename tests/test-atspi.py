#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exkeys as a screen reader meets it: the real program on the real accessibility bus.

Runs inside keyring-env.sh (a private D-Bus session, HOME and the XDG directories in a
temporary directory) under Xvfb. Starts the accessibility bus (at-spi-bus-launcher, which
D-Bus-activates at-spi2-registryd on it), the mock server, and the built exkeys signed in as
the mock's demo user the way build-aux/run --demo does (the token through fd 3), with GTK's
AT-SPI backend. Then, through pyatspi only:

- walks the main window and each dialog, and fails on any interactive element (button,
  toggle, check box, radio, text field, menu item, combo box, link, activatable list item)
  whose accessible name is empty, a type name ("GtkCheckButton"), or has a mnemonic
  underscore in it ("_Undo Undo");
- does one whole flow with AT-SPI actions alone (GTK 4 reports no screen coordinates, so
  nothing is clicked): select a project, create a key with notes, copy it, disable it; and
  checks the result in the mock's store and on screen.

Prints TAP. Skips only when at-spi2-core or pyatspi is not installed.

For a person looking into it: EXK_ATSPI_DUMP=1 prints each tree walked,
EXK_ATSPI_SCREENSHOTS=DIR saves the screen at points of the flow, EXK_ATSPI_WRAP="gdb -batch
-ex run -ex bt --args" runs the program under a wrapper.

Run with Debian's /usr/bin/python3: pyatspi and PyGObject are Debian packages.
"""

import importlib.util
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
import urllib.request

LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
PISTOL = "Disintegrating Pistol"   # the mock's demo project with 7 keys
NOTES = "AT-SPI flow key"
MULTIPLIER = float(os.environ.get("EXK_TEST_TIMEOUT_MULTIPLIER", "1"))
TIMEOUT = 20 * MULTIPLIER           # seconds for any one thing to appear

results = []


def skip_all(reason):
    print(f"1..0 # SKIP {reason}")
    sys.exit(0)


def diag(text):
    for line in str(text).splitlines():
        print(f"# {line}")
    sys.stdout.flush()


if not os.path.exists(LAUNCHER):
    skip_all(f"{LAUNCHER} is missing (Debian package at-spi2-core)")
if importlib.util.find_spec("gi") is None or importlib.util.find_spec("pyatspi") is None:
    skip_all("pyatspi is not installed (Debian packages python3-pyatspi, python3-gi)")
# libatspi warns about what GTK 4.8 does not implement (the cache object), and GTK 4.8's own
# bridge logs criticals in the program: neither is fatal here. GLib reads G_DEBUG once, when
# it is loaded.
os.environ.pop("G_DEBUG", None)
import gi  # noqa: E402
try:
    gi.require_version("Atspi", "2.0")
except ValueError:
    skip_all("the Atspi typelib is not installed (Debian package gir1.2-atspi-2.0)")


class Failure(Exception):
    pass


def wait_for(what, probe, timeout=TIMEOUT):
    """Polls probe() until it returns something true, and returns that; fails after timeout
    seconds. The accessibility tree is read afresh each time (no client-side cache)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except Exception as error:   # objects go away while they are looked at
            value = None
            last_error = error
        else:
            last_error = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}"
                          + (f" (last error: {last_error})" if last_error else ""))
        time.sleep(0.02)


# The session: accessibility bus, mock server, the program

class Session:
    def __init__(self):
        self.processes = []
        self.start_a11y_bus()
        self.start_mock(os.environ["EXKEYS_MOCK_SERVER"])
        self.start_exkeys(os.environ["EXKEYS_PROGRAM"])

    def start_a11y_bus(self):
        self.processes.append(subprocess.Popen([LAUNCHER, "--launch-immediately"],
                                               stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))

        def owned():
            answer = subprocess.run(["gdbus", "call", "--session",
                                     "--dest", "org.freedesktop.DBus",
                                     "--object-path", "/org/freedesktop/DBus",
                                     "--method", "org.freedesktop.DBus.NameHasOwner",
                                     "org.a11y.Bus"],
                                    stdout=subprocess.PIPE, text=True)
            return "true" in answer.stdout
        wait_for("the accessibility bus (org.a11y.Bus)", owned)

    def start_mock(self, program):
        mock = subprocess.Popen([program, "--port", "0"], stdout=subprocess.PIPE,
                                stderr=sys.stderr)
        self.processes.append(mock)
        self.url = self.token = None
        deadline = time.monotonic() + TIMEOUT
        output = b""
        while self.url is None or self.token is None:
            ready, _, _ = select.select([mock.stdout], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(mock.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                raise Failure("the mock server did not start")
            output += chunk
            for line in output.decode(errors="replace").splitlines():
                if line.startswith("LISTENING "):
                    self.url = line.split()[1]
                elif line.startswith("TOKEN "):
                    self.token = line.split()[1]

    def start_exkeys(self, program):
        # Not under G_DEBUG=fatal-warnings: GTK 4.8's AT-SPI bridge itself logs criticals
        # (g_variant_is_object_path on a context without a path when a dialog closes).
        env = dict(os.environ)
        # The real bridge: no test backend, nothing turning the bridge off.
        env.pop("NO_AT_BRIDGE", None)
        env["GTK_A11Y"] = "atspi"
        env["GSK_RENDERER"] = "cairo"
        env["GDK_BACKEND"] = "x11"
        env["GSETTINGS_BACKEND"] = "memory"
        env["EXKEYS_DEMO_URL"] = self.url
        env["EXKEYS_DEMO_TOKEN_FD"] = "3"
        # The token goes through a pipe on fd 3, as build-aux/run --demo gives it.
        read_end, write_end = os.pipe()
        wrapper = os.environ.get("EXK_ATSPI_WRAP", "").split()
        # Its output goes to stderr: stdout is the TAP stream.
        self.app = subprocess.Popen(wrapper + [program], env=env, stdin=subprocess.DEVNULL,
                                    stdout=sys.stderr, pass_fds=[3],
                                    preexec_fn=lambda: os.dup2(read_end, 3))
        self.processes.append(self.app)
        os.close(read_end)
        os.write(write_end, (self.token + "\n").encode())
        os.close(write_end)

    def mock_call(self, method, path):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def requests(self, method, prefix):
        return [r for r in self.mock_call("GET", "/_mock/requests")
                if r["method"] == method and r["path"].startswith(prefix)]

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# Reading the tree

def role(acc):
    return acc.getRoleName()


def describe(acc):
    return f"{role(acc)} “{acc.name}”"


def children(acc):
    return [acc.getChildAtIndex(i) for i in range(acc.childCount)]


def descendants(acc):
    stack = [acc]
    while stack:
        node = stack.pop()
        yield node
        try:
            stack.extend(reversed(children(node)))
        except Exception:
            pass


def snapshot(root, read):
    """Runs read() through libatspi's cache, emptied before and after: a whole tree is read
    in fewer calls. Only for reading what is already there: nothing here listens to the
    events that keep the cache up to date, so waits read without it."""
    application = root.get_application()
    application.clear_cache()
    application.set_cache_mask(pyatspi.cache.DEFAULT)
    try:
        return read()
    finally:
        application.set_cache_mask(pyatspi.cache.NONE)
        application.clear_cache()


def find(root, predicate):
    for node in descendants(root):
        try:
            if predicate(node):
                return node
        except Exception:
            continue
    return None


def find_all(root, predicate):
    found = []
    for node in descendants(root):
        try:
            if predicate(node):
                found.append(node)
        except Exception:
            continue
    return found


def named(role_name, name):
    return lambda acc: role(acc) == role_name and acc.name == name


def action_names(acc):
    try:
        action = acc.queryAction()
    except NotImplementedError:
        return []
    return [action.getName(i) for i in range(action.nActions)]


def do_action(acc, name):
    action = acc.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    if name not in names:
        raise Failure(f"{describe(acc)} has no action “{name}” (it has {names})")
    try:
        done = action.doAction(names.index(name))
    except Exception as error:  # GLib.GError: the program did not answer in time
        raise Failure(f"{describe(acc)}: action “{name}” got no answer: {error}")
    if not done:
        raise Failure(f"{describe(acc)}: action “{name}” failed")


def has_state(acc, state):
    return acc.getState().contains(state)


# The check

INTERACTIVE = None   # set once pyatspi is imported
LIST_ITEMS = None
TYPE_NAME = re.compile(r"^(Gtk|Adw|Exk|Gdk)[A-Z][A-Za-z]*$")
MNEMONIC = re.compile(r"_[^\W_]")


def name_problem(acc):
    """What a screen reader would say wrong about this element's name, or None."""
    name = (acc.name or "").strip()
    if not name:
        return "has no accessible name"
    if TYPE_NAME.match(name) or name == role(acc):
        return "is named after its type"
    if MNEMONIC.search(name):
        return "has a mnemonic underscore in its name"
    words = name.split()
    if len(words) % 2 == 0 and words and words[:len(words) // 2] == words[len(words) // 2:]:
        return "is named twice"
    return None


def is_interactive(acc):
    r = acc.getRole()
    if r in INTERACTIVE:
        return True
    # A list item is announced and activated on its own only when it does something.
    return r in LIST_ITEMS and any(not n.startswith(("list.", "listitem.", "menu."))
                                    for n in action_names(acc))


def walk(root, label):
    """Every interactive element under root with a name a screen reader reads wrong."""
    return snapshot(root, lambda: walk_cached(root, label))


def walk_cached(root, label):
    problems = []
    seen = 0
    stack = [(root, [])]
    while stack:
        node, path = stack.pop()
        try:
            if is_interactive(node):
                seen += 1
                problem = name_problem(node)
                if problem:
                    where = " › ".join(p for p in path[-3:] if p)
                    problems.append(f"{describe(node)} {problem} (in {label}: {where})")
            here = node.name if node.name and not TYPE_NAME.match(node.name) else ""
            stack.extend((child, path + [here]) for child in reversed(children(node)))
        except Exception:
            continue   # gone while walking: the next walk sees what replaced it
    return seen, problems


# The program's windows

class App:
    def __init__(self, session):
        self.session = session
        self.frame = None

        def application():
            desktop = pyatspi.Registry.getDesktop(0)
            for acc in children(desktop):
                if acc is not None and acc.name == "exkeys" and acc.childCount > 0:
                    return acc
            return None
        self.acc = wait_for("exkeys on the accessibility bus", application)
        # Read the tree afresh every time: nothing stale from a client-side cache.
        self.acc.set_cache_mask(pyatspi.cache.NONE)

    def window(self, title, timeout=TIMEOUT):
        def probe():
            for acc in children(self.acc):
                if acc.name == title:
                    return acc
            return None
        return wait_for(f"the window “{title}”", probe, timeout)

    def window_gone(self, window):
        """Waits until window is hidden or destroyed. Asks the window, not the application:
        GTK 4.8 crashes when the application's list of windows is read while one of them is
        being destroyed (a NULL object path for its context)."""
        def gone():
            try:
                state = window.getState()
            except Exception:
                return True
            return (state.contains(pyatspi.STATE_DEFUNCT)
                    or not state.contains(pyatspi.STATE_VISIBLE))
        wait_for(f"the window “{window.name}” to close", gone)

    def titles(self):
        return [acc.name for acc in children(self.acc)]


def main_window(app):
    if app.frame is None:
        app.frame = app.window("Exkeys")
    return app.frame


def wait_element(root, what, predicate, timeout=TIMEOUT):
    return wait_for(what, lambda: find(root, predicate), timeout)


def press(root, name, role_name="push button"):
    button = wait_element(root, f"the {role_name} “{name}”", named(role_name, name))
    do_action(button, "click")
    return button


# The tests

def test(title):
    def register(function):
        results.append((title, function))
        return function
    return register


def dump(root):
    lines = []
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        try:
            lines.append("  " * depth + f"{describe(node)} {action_names(node)[:4]}")
            stack.extend((child, depth + 1) for child in reversed(children(node)))
        except Exception as error:
            lines.append("  " * depth + f"({error})")
    return "\n".join(lines)


def check_walk(root, label, require=True):
    if os.environ.get("EXK_ATSPI_DUMP"):
        diag(dump(root))
    seen, problems = walk(root, label)
    if seen == 0 and require:
        raise Failure(f"{label}: no interactive element found")
    diag(f"{label}: {seen} interactive elements")
    if problems:
        raise Failure("\n".join(problems))


def open_project(app, frame, name):
    """Selects the project in the sidebar's list, as arrow keys or a screen reader's
    “select” would, and waits for its keys."""
    projects = wait_element(frame, "the sidebar's project list", named("list", "Projects"))

    def item():
        for index, child in enumerate(children(projects)):
            if find(child, named("label", name)):
                return (index, child)
        return None
    index, _ = wait_for(f"“{name}” in the sidebar", item)
    if not projects.querySelection().selectChild(index):
        raise Failure(f"could not select “{name}” in the sidebar")
    keys = wait_element(frame, "the key list", named("list", "API Keys"))
    wait_for(f"the keys of “{name}”", lambda: keys.childCount > 0)
    return keys


def token_rows(keys):
    return [row for row in find_all(keys, lambda acc: "row.copy" in action_names(acc))]


MENU_BUTTONS = {}


def open_menu(root, button_name):
    """Opens the popover of a menu button by its toggle's “click”; returns the button, which
    holds the popover. The window's own menu buttons stay: they are looked for once."""
    outer = MENU_BUTTONS.get((root, button_name))
    if outer is None:
        outer = wait_element(root, f"the menu button “{button_name}”",
                             named("push button", button_name))
        if role(root) == "frame":
            MENU_BUTTONS[(root, button_name)] = outer
    # GtkMenuButton is a button around its own toggle button: the inner one clicks.
    inner = find(outer, lambda acc: acc is not outer and "click" in action_names(acc)) or outer
    do_action(inner, "click")
    return outer


def menu_item(root, name):
    return wait_element(root, f"the menu item “{name}”",
                        lambda acc: role(acc).endswith("menu item") and acc.name == name)


def choose(root, button_name, item_name):
    outer = open_menu(root, button_name)
    do_action(menu_item(outer, item_name), "click")


def new_window(app, before):
    # Never the main window, even when a slow read of the list missed it in `before`.
    def probe():
        for acc in children(app.acc):
            if acc is None or acc.name in before or acc.name == "Exkeys":
                continue
            try:
                if acc.getState().contains(pyatspi.STATE_VISIBLE):
                    return acc
            except Exception:
                continue
        return None
    return wait_for("a new window", probe)


def key_row(app, predicate=lambda row: True):
    frame = main_window(app)
    keys = wait_element(frame, "the key list", named("list", "API Keys"))
    return wait_for("the key row", lambda: next((row for row in token_rows(keys)
                                                  if predicate(row)), None))


def check_dialog(app, label, open_it, close_button="Cancel"):
    """Opens a dialog with open_it(), walks it, and closes it with close_button."""
    before = set(app.titles())
    open_it()
    dialog = new_window(app, before)
    title = dialog.name
    problems = []
    if not title or TYPE_NAME.match(title):
        problems.append(f"the window of {label} is named “{title}”")
    try:
        check_walk(dialog, label)
    except Failure as error:
        problems.append(str(error))
    # Closed by what a person would press, whatever the walk found.
    button = wait_element(dialog, f"the button “{close_button}”",
                          lambda acc: role(acc) == "push button" and (
                              acc.name == close_button or
                              find(acc, named("label", close_button)) is not None))
    do_action(button, "click")
    app.window_gone(dialog)
    if problems:
        raise Failure("\n".join(problems))


@test("main window: every interactive element has a name")
def test_main_window(app):
    frame = main_window(app)
    keys = open_project(app, frame, PISTOL)
    wait_for("the key rows", lambda: len(token_rows(keys)) >= 7)
    check_walk(frame, "main window")


@test("New API Key dialog")
def test_new_key(app):
    frame = main_window(app)
    check_dialog(app, "New API Key", lambda: press(frame, "New API Key"))


@test("menus: main menu, accounts, a key's More Actions")
def test_menus(app):
    frame = main_window(app)
    problems = []
    for button, item in (("Main Menu", "Find Key…"), ("Accounts", "Sign Out")):
        outer = open_menu(frame, button)
        menu_item(outer, item)
        problems += walk(outer, button)[1]
        do_action(find(outer, lambda acc: acc is not outer and "click" in action_names(acc)),
                  "click")
    row = key_row(app)
    outer = open_menu(row, "More Actions")
    menu_item(outer, "Edit Notes…")
    problems += walk(outer, "More Actions")[1]
    do_action(find(outer, lambda acc: acc is not outer and "click" in action_names(acc)),
              "click")
    if problems:
        raise Failure("\n".join(problems))


@test("Edit Notes dialog")
def test_notes(app):
    row = key_row(app)
    check_dialog(app, "Edit Notes", lambda: choose(row, "More Actions", "Edit Notes…"))


@test("Replace Key dialog")
def test_replace(app):
    row = key_row(app)
    check_dialog(app, "Replace Key", lambda: choose(row, "More Actions", "Replace Key…"))


@test("Replace Leaked Key dialog")
def test_leak(app):
    row = key_row(app)
    check_dialog(app, "Replace Leaked Key",
                 lambda: choose(row, "More Actions", "Replace as Leaked…"))


@test("Delete confirmation")
def test_delete(app):
    row = key_row(app)
    check_dialog(app, "Delete", lambda: choose(row, "More Actions", "Delete…"))


@test("Find Key dialog")
def test_find_key(app):
    frame = main_window(app)
    check_dialog(app, "Find Key", lambda: choose(frame, "Main Menu", "Find Key…"),
                 close_button="Close")


@test("Sign Out confirmation")
def test_sign_out(app):
    frame = main_window(app)
    check_dialog(app, "Sign Out", lambda: choose(frame, "Accounts", "Sign Out"))


def text_of(acc):
    text = acc.queryText()
    return text.getText(0, text.characterCount)


def type_into(field, text, mnemonic):
    """Types text into field as a keyboard user would, reaching it by its mnemonic (Alt and
    the letter): GTK 4.8 implements neither EditableText nor Component.GrabFocus over
    AT-SPI, so the keys go through the registry's keyboard synthesis."""
    registry = pyatspi.Registry
    alt = 64   # Alt_L in the X server's default keymap
    registry.generateKeyboardEvent(alt, None, pyatspi.KEY_PRESS)
    registry.generateKeyboardEvent(ord(mnemonic), None, pyatspi.KEY_SYM)
    registry.generateKeyboardEvent(alt, None, pyatspi.KEY_RELEASE)
    registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
    wait_for(f"“{text}” in {describe(field)}",
             lambda: text_of(field) == text)


def screenshot(name):
    """Saves the screen to $EXK_ATSPI_SCREENSHOTS/NAME.png when that is set (to look at)."""
    folder = os.environ.get("EXK_ATSPI_SCREENSHOTS")
    if folder and shutil.which("import"):
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["import", "-window", "root", os.path.join(folder, name + ".png")],
                       timeout=TIMEOUT, check=False)


def clipboard():
    """The text on the clipboard, as another program on the display reads it."""
    answer = subprocess.run(["xclip", "-selection", "clipboard", "-out"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=TIMEOUT)
    return answer.stdout if answer.returncode == 0 else None


@test("flow: select a project, create a key with notes, copy it, disable it (AT-SPI only)")
def test_flow(app):
    session = app.session
    frame = main_window(app)
    open_project(app, frame, PISTOL)

    # Create, with notes typed into the Notes field.
    before = set(app.titles())
    press(frame, "New API Key")
    dialog = new_window(app, before)
    notes = wait_element(dialog, "the Notes field", named("text", "Notes (optional)"))
    type_into(notes, NOTES, "n")
    press(dialog, "Create")
    created = wait_for("the key on the server", lambda: next(
        (t for t in session.mock_call("GET", "/_mock/seed")["tokens"]
         if t.get("notes") == NOTES), None))
    key = created["id"]
    posts = session.requests("POST", "/api/v2/")
    if not any(r["body"] and r["body"].get("notes") == NOTES for r in posts):
        raise Failure(f"no POST with the notes in the mock's log: {posts}")
    wait_element(dialog, "“Key Created”", named("label", "Key Created"))
    screenshot("key-created")

    # Copy it, from the dialog that shows it once.
    press(dialog, "Copy Key")
    wait_element(dialog, "the “Key copied” toast", named("label", "Key copied"))
    if shutil.which("xclip"):
        wait_for("the new key on the clipboard", lambda: clipboard() == key)
    else:
        diag("xclip is not installed: the clipboard itself is not read")
    press(dialog, "Done")
    app.window_gone(dialog)

    # Disable it from its row's menu.
    row = key_row(app, lambda row: NOTES in row.name)
    if key[:6] not in row.name:
        raise Failure(f"the new key's row reads “{row.name}”")
    choose(row, "More Actions", "Disable")
    # Shown for a few seconds only: looked for first.
    toast = wait_element(frame, "the toast naming the key",
                         lambda acc: role(acc) == "label" and key[:6] in acc.name
                         and "disabled" in acc.name)
    # The toast's Undo button, read as a screen reader reads it, while it is there.
    widget = toast.parent
    while widget is not None and find(widget, lambda acc: role(acc) == "push button") is None:
        widget = widget.parent
    undo = find(widget, lambda acc: role(acc) == "push button" and "click" in action_names(acc))
    if undo is None or undo.name != "Undo":
        raise Failure(f"the toast's button reads “{undo.name if undo else None}”")
    screenshot("key-disabled")
    check_walk(widget, "the toast")
    wait_for("the key disabled on the server",
             lambda: session.mock_call("GET", f"/_mock/tokens/{key}")["is_disabled"])
    wait_for("the row to say it is disabled",
             lambda: "disabled" in key_row(app, lambda r: NOTES in r.name).name.lower())


@test("History page")
def test_history(app):
    frame = main_window(app)
    choose(frame, "Main Menu", "History")
    history = wait_element(frame, "the history list", named("list", "Changes made with Exkeys"))
    wait_for("the changes of the flow", lambda: history.childCount >= 2)
    # Its rows only read out; what it has to press is checked with the window.
    check_walk(frame, "main window with History")
    unnamed = [describe(item) for item in children(history)
               if not item.name and find(item, lambda acc: role(acc) == "label"
                                         and acc.name) is None]
    if unnamed:
        raise Failure(f"history entries with nothing to read: {unnamed}")


@test("All Keys page")
def test_all_keys(app):
    frame = main_window(app)
    choose(frame, "Main Menu", "All Keys")
    wait_element(frame, "the organization's keys", named("label", "Disintegrating Pistol"))
    check_walk(frame, "main window with All Keys")


@test("New Project dialog")
def test_new_project(app):
    frame = main_window(app)
    check_dialog(app, "New Project", lambda: choose(frame, "Main Menu", "New Project…"))


@test("Keyboard Shortcuts window")
def test_shortcuts(app):
    frame = main_window(app)
    check_dialog(app, "Keyboard Shortcuts",
                 lambda: choose(frame, "Main Menu", "Keyboard Shortcuts"), close_button="Close")


def main():
    global pyatspi, INTERACTIVE, LIST_ITEMS
    session = Session()
    try:
        import pyatspi as module
        pyatspi = module
        INTERACTIVE = {
            pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
            pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY,
            pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
            pyatspi.ROLE_RADIO_MENU_ITEM, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_LINK,
            pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER, pyatspi.ROLE_PAGE_TAB,
        }
        LIST_ITEMS = {pyatspi.ROLE_LIST_ITEM, pyatspi.ROLE_TABLE_CELL, pyatspi.ROLE_TREE_ITEM}
        # An action that opens a dialog answers once the dialog is built: slow under the
        # sanitizers, so there libatspi's method deadline (0.8 s by default) is longer.
        if MULTIPLIER > 1:
            from gi.repository import Atspi
            Atspi.set_timeout(int(800 * MULTIPLIER * 4), int(15000 * MULTIPLIER))
        app = App(session)
        print(f"1..{len(results)}")
        failed = 0
        for number, (title, function) in enumerate(results, 1):
            started = time.monotonic()
            try:
                function(app)
            except Failure as error:
                failed += 1
                print(f"not ok {number} - {title}")
                diag(error)
            else:
                print(f"ok {number} - {title}")
            diag(f"{time.monotonic() - started:.1f} s")
            sys.stdout.flush()
        return 1 if failed else 0
    finally:
        session.stop()


if __name__ == "__main__":
    sys.exit(main())
