#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exkeys' start-up benchmark, measured from outside (see build-aux/bench).

Runs the installed Exkeys, signed in through the keyring, against the mock server, and the
floor program (a libadwaita window with one label) before each run of it, each under
exk-xprobe (_NET_WM_PING answers and X DAMAGE paints). Prints, for every scenario and figure,
the median of the runs with the min and max, next to the floor's. Numbers only: it never fails
because the machine is slow.

Runs inside keyring-env.sh (a private D-Bus session with a throw-away gnome-keyring, and HOME
and the XDG directories in a temporary directory) under Xvfb.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

EMAIL = "org@localhost"
NAME = "Eric Smith"
PISTOL = "537650f3b77efe23a47914f4"   # the demo project that --tokens fills
DEMO_PROJECTS = 11                    # projects in the mock's demo data
SEARCH_TEXT = "project 0042"
ORG_KEYS_SHORTCUT = "Control_L+Shift_L+k"   # win.show-organization-keys: All Keys
ORG_KEYS_SEARCH = "key 0042"               # the generated keys' notes: "Organization key 00421"


class Mock:
    """One exkeys-mock-server process."""

    def __init__(self, program, args):
        self.process = subprocess.Popen([program, "--port", "0"] + args,
                                        stdout=subprocess.PIPE, text=True)
        self.url = self.token = None
        while self.url is None or self.token is None:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("bench: the mock server did not start")
            if line.startswith("LISTENING "):
                self.url = line.split()[1]
            elif line.startswith("TOKEN "):
                self.token = line.split()[1]

    def call(self, method, path):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Scenario:
    def __init__(self, name, mock, last_project=None, cache="cold", type_text=None, press=None,
                 type_quiet=None):
        self.name = name
        self.mock = mock
        self.last_project = last_project
        self.cache = cache
        self.type_text = type_text
        self.press = press
        self.type_quiet = type_quiet
        self.runs = []


def gsettings_set(env, key, value):
    subprocess.run(["gsettings", "set", "io.github.exkeys.Exkeys", key, value],
                   env=env, check=True)


def sign_in(env, mock, last_project):
    """Leaves the account signed in as Exkeys itself would: the account in GSettings (keyfile
    backend in the test's XDG_CONFIG_HOME) and its token in the keyring."""
    account = f'("{mock.url}", "{EMAIL}")'
    gsettings_set(env, "accounts", f'[("{mock.url}", "{EMAIL}", "{NAME}")]')
    gsettings_set(env, "active-account", account)
    if last_project:
        gsettings_set(env, "last-projects", f"{{'{EMAIL} {mock.url}': '{last_project}'}}")
    else:
        gsettings_set(env, "last-projects", "@a{ss} {}")
    subprocess.run(["secret-tool", "store", "--label", f"Exkeys: {EMAIL} on {mock.url}",
                    "server", mock.url, "account", EMAIL, "kind", "user-token"],
                   input=mock.token, text=True, env=env, check=True)


def start_a11y_bus(env):
    launcher = "/usr/libexec/at-spi-bus-launcher"
    if not os.path.exists(launcher):
        print("bench: no at-spi-bus-launcher (Debian package at-spi2-core): measuring without "
              "the accessibility bus", file=sys.stderr)
        return None
    process = subprocess.Popen([launcher, "--launch-immediately"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(500):
        owned = subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.DBus",
                                "--object-path", "/org/freedesktop/DBus", "--method",
                                "org.freedesktop.DBus.NameHasOwner", "org.a11y.Bus"],
                               env=env, stdout=subprocess.PIPE, text=True).stdout
        if "true" in owned:
            return process
        time.sleep(0.02)
    sys.exit("bench: the accessibility bus did not start")


def probe(args, command, type_text=None, press=None, type_quiet=None):
    line = [args.xprobe, "--quiet", str(args.quiet)]
    if press:
        line += ["--press", press]
    if type_text:
        line += ["--type", type_text]
    if type_quiet:
        line += ["--type-quiet", str(type_quiet)]
    result = subprocess.run(line + ["--"] + command, stdout=subprocess.PIPE, text=True,
                            env=args.env, timeout=300)
    if result.returncode != 0:
        sys.exit(f"bench: exk-xprobe failed on {command[0]}")
    return json.loads(result.stdout)


def run_exkeys(args, scenario):
    mock = scenario.mock
    sign_in(args.env, mock, scenario.last_project)
    if scenario.cache == "cold":
        shutil.rmtree(os.path.join(os.environ["XDG_CACHE_HOME"], "exkeys"), ignore_errors=True)
    mock.call("DELETE", "/_mock/requests")
    command = [args.exkeys]
    if args.profile:
        args.profiled += 1
        os.makedirs(args.profile, exist_ok=True)
        command = ["perf", "record", "--call-graph", "dwarf", "-F", "1000", "-q",
                   "-k", "CLOCK_MONOTONIC", "-o",
                   os.path.join(args.profile, f"run-{args.profiled}.data")] + command
    if args.wrap:
        command = args.wrap.split() + command
    figures = probe(args, command, scenario.type_text, scenario.press, scenario.type_quiet)
    requests = mock.call("GET", "/_mock/requests")
    figures["requests"] = len(requests)
    figures["connections"] = len({r.get("connection") for r in requests})
    return figures


def spread(values, unit=""):
    values = [v for v in values if v is not None and v >= 0]
    if not values:
        return "—"
    median = statistics.median(values)
    fmt = (lambda v: f"{v:.0f}") if unit != "MiB" else (lambda v: f"{v:.0f}")
    if min(values) == max(values):
        return f"{fmt(median)}{unit and ' ' + unit}"
    return f"{fmt(median)} ({fmt(min(values))}–{fmt(max(values))}){unit and ' ' + unit}"


FIGURES = [
    ("exec → map (ms)", lambda r: r["map"]),
    ("exec → first paint (ms)", lambda r: r["first_paint"]),
    ("exec → complete: last paint before quiet (ms)", lambda r: r["complete"]),
    ("longest ping answer, map → complete (ms)", lambda r: r["start_pings"]["max"]),
    ("99th percentile ping answer (ms)", lambda r: r["start_pings"]["p99"]),
    ("ping answers over 16 ms", lambda r: r["start_pings"]["over_16"]),
    ("RSS when complete (MiB)", lambda r: r["rss_complete_kib"] / 1024
     if r.get("rss_complete_kib", -1) > 0 else None),
    ("peak RSS (MiB)", lambda r: r["peak_rss_kib"] / 1024),
    ("requests", lambda r: r.get("requests")),
    ("TCP connections", lambda r: r.get("connections")),
]

TYPING_FIGURES = [
    ("first keystroke → last paint (opens the search) (ms)",
     lambda r: r["keystrokes"][0] if r["keystrokes"] else None),
    ("later keystrokes → last paint, median of the run (ms)",
     lambda r: statistics.median(r["keystrokes"][1:]) if len(r["keystrokes"]) > 1 else None),
    ("later keystrokes → last paint, longest of the run (ms)",
     lambda r: max(r["keystrokes"][1:]) if len(r["keystrokes"]) > 1 else None),
    ("longest ping answer while typing (ms)", lambda r: r["typing_pings"]["max"]),
    ("99th percentile ping answer while typing (ms)", lambda r: r["typing_pings"]["p99"]),
]


# The "All Keys" scenario: the shortcut, then a search typed one key at a time.
PRESS_FIGURES = [
    ("shortcut → last paint: every key loaded and shown (ms)",
     lambda r: r["keystrokes"][0] if r["keystrokes"] else None),
    ("search keystrokes → last paint, median of the run (ms)",
     lambda r: statistics.median(r["keystrokes"][1:]) if len(r["keystrokes"]) > 1 else None),
    ("search keystrokes → last paint, longest of the run (ms)",
     lambda r: max(r["keystrokes"][1:]) if len(r["keystrokes"]) > 1 else None),
    ("longest ping answer, loading and typing (ms)", lambda r: r["typing_pings"]["max"]),
    ("99th percentile ping answer, loading and typing (ms)", lambda r: r["typing_pings"]["p99"]),
    ("ping answers over 16 ms, loading and typing", lambda r: r["typing_pings"]["over_16"]),
]


def report(scenarios, floor_runs, args):
    out = []
    out.append(f"{args.runs} runs each, interleaved with the floor; median (min–max).")
    out.append("")
    header = "| figure | floor | " + " | ".join(s.name for s in scenarios) + " |"
    out.append(header)
    out.append("|---" * (len(scenarios) + 2) + "|")
    for label, get in FIGURES:
        def cell(runs):
            try:
                return spread([get(r) for r in runs])
            except (KeyError, TypeError):
                return "—"
        floor = cell(floor_runs) if label not in ("requests", "TCP connections") else "—"
        out.append(f"| {label} | {floor} | " + " | ".join(cell(s.runs) for s in scenarios) + " |")
    typed = [s for s in scenarios if s.type_text and not s.press]
    if typed:
        out.append("")
        out.append(f"Typing “{SEARCH_TEXT}” into the project search once the list is complete, "
                   "one keystroke at a time:")
        out.append("")
        out.append("| figure | " + " | ".join(s.name for s in typed) + " |")
        out.append("|---" * (len(typed) + 1) + "|")
        for label, get in TYPING_FIGURES:
            out.append(f"| {label} | " + " | ".join(spread([get(r) for r in s.runs])
                                                     for s in typed) + " |")
    pressed = [s for s in scenarios if s.press]
    if pressed:
        out.append("")
        out.append(f"Once the start is complete: All Keys ({ORG_KEYS_SHORTCUT.replace('_L', '')}), "
                   f"then “{ORG_KEYS_SEARCH}” typed into its search one keystroke at a time:")
        out.append("")
        out.append("| figure | " + " | ".join(s.name for s in pressed) + " |")
        out.append("|---" * (len(pressed) + 1) + "|")
        for label, get in PRESS_FIGURES:
            out.append(f"| {label} | " + " | ".join(spread([get(r) for r in s.runs])
                                                     for s in pressed) + " |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefix", required=True, help="where Exkeys is installed")
    parser.add_argument("--build", required=True, help="the build folder (mock, probe, floor)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quiet", type=int, default=1500,
                        help="ms without a paint that end the start")
    parser.add_argument("--only", help="comma-separated scenario names to run")
    parser.add_argument("--json", help="write every run's figures to this file")
    parser.add_argument("--profile", help="run Exkeys under perf record, one file per run in "
                        "this folder (the figures are then not comparable)")
    parser.add_argument("--wrap", help="a command to run Exkeys under, such as "
                        "'valgrind --tool=massif' (the figures are then not comparable)")
    args = parser.parse_args()

    args.exkeys = os.path.join(args.prefix, "bin", "exkeys")
    args.profiled = 0
    args.xprobe = os.path.join(args.build, "tests", "bench", "exk-xprobe")
    floor = os.path.join(args.build, "tests", "bench", "exk-floor")
    mock_program = os.path.join(args.build, "tests", "mock-server", "exkeys-mock-server")

    env = dict(os.environ)
    env.update({
        "GSETTINGS_BACKEND": "keyfile",
        "GSETTINGS_SCHEMA_DIR": os.path.join(args.prefix, "share", "glib-2.0", "schemas"),
        "XDG_DATA_DIRS": os.path.join(args.prefix, "share") + ":/usr/local/share:/usr/share",
        "GSK_RENDERER": "cairo",
    })
    for name in ("G_MESSAGES_DEBUG", "G_DEBUG", "EXKEYS_DEBUG_HTTP"):
        env.pop(name, None)
    args.env = env

    # A blinking text cursor paints twice a second for ten seconds: a keystroke's last paint
    # would be its last blink. Both programs read this file.
    settings = os.path.join(os.environ["XDG_CONFIG_HOME"], "gtk-4.0")
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, "settings.ini"), "w") as ini:
        ini.write("[Settings]\ngtk-cursor-blink=false\n")

    # A GNOME session always has the accessibility bus, and GTK registers with it at start.
    a11y = start_a11y_bus(env)

    mocks = {
        "1k": Mock(mock_program, ["--projects", str(1000 - DEMO_PROJECTS)]),
        "10k": Mock(mock_program, ["--projects", str(10000 - DEMO_PROJECTS)]),
        "keys": Mock(mock_program, ["--tokens", "1000"]),
        "org-keys": Mock(mock_program, ["--organization-tokens", str(10000)]),
    }
    scenarios = [
        Scenario("1,000 projects, no cache", mocks["1k"]),
        Scenario("1,000 projects, cache", mocks["1k"], cache="warm"),
        Scenario("10,000 projects, no cache", mocks["10k"], type_text=SEARCH_TEXT),
        Scenario("10,000 projects, cache", mocks["10k"], cache="warm", type_text=SEARCH_TEXT),
        Scenario("1,000 keys", mocks["keys"], last_project=PISTOL),
        # A stall longer than --type-quiet would look like the end of the load: 1 s of quiet.
        Scenario("10,000 organization keys", mocks["org-keys"], last_project=PISTOL,
                 press=ORG_KEYS_SHORTCUT, type_text=ORG_KEYS_SEARCH, type_quiet=1000),
    ]
    if args.only:
        wanted = args.only.split(",")
        scenarios = [s for i, s in enumerate(scenarios) if str(i + 1) in wanted]

    floor_runs = []
    try:
        for round_number in range(args.runs):
            for scenario in scenarios:
                if scenario.cache == "warm":
                    # The previous run of any scenario on this server left its cache.
                    scenario.cache = "keep"
                    run_exkeys(args, Scenario(scenario.name, scenario.mock,
                                              scenario.last_project))
                floor_runs.append(probe(args, [floor, "1000"]))
                scenario.runs.append(run_exkeys(args, scenario))
                print(f"round {round_number + 1}/{args.runs}: {scenario.name}: "
                      f"first paint {scenario.runs[-1]['first_paint']:.0f} ms, "
                      f"complete {scenario.runs[-1]['complete']:.0f} ms, "
                      f"longest ping {scenario.runs[-1]['start_pings']['max']:.0f} ms",
                      file=sys.stderr, flush=True)
    finally:
        for mock in mocks.values():
            mock.stop()
        if a11y is not None:
            a11y.terminate()
            a11y.wait()

    if args.json:
        with open(args.json, "w") as out:
            json.dump({"floor": floor_runs, **{s.name: s.runs for s in scenarios}}, out, indent=1)
    print(f"Exkeys from outside, {time.strftime('%Y-%m-%d')}, cairo renderer, Xvfb, "
          f"{os.cpu_count()} CPUs")
    print()
    print(report(scenarios, floor_runs, args))


if __name__ == "__main__":
    main()
