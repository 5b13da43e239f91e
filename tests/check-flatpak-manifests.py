#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifests against the tree they build (TAP output).

  check-flatpak-manifests.py SRCDIR BINARY APP_ID DESKTOP METAINFO MANIFEST...

SRCDIR is the source tree; BINARY, APP_ID, DESKTOP and METAINFO are the installed program, the
application id and the merged desktop and metainfo files of the current build (whose profile
decides which manifest they are compared with). For every MANIFEST: it is valid JSON without
duplicate keys; its id is the application id of the profile it builds, and matches the desktop
file, the metainfo, the GSettings schema id and the GResource path (the last two keep the base
id in every profile, see meson.build); its command is the installed binary; its finish-args are
exactly the allowed set. The Flatpak runtime itself is not needed.
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

# Nothing else: no D-Bus names (inside Flatpak libsecret talks to the Secret portal, not to
# org.freedesktop.secrets), no filesystem.
ALLOWED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
DEVEL_SUFFIX = ".Devel"
# Meson's own options that a manifest may set with -D.
MESON_BUILTIN_OPTIONS = {"buildtype", "werror", "b_sanitize", "b_lto", "optimization", "debug"}

results = []


def check(description, condition, detail=""):
    results.append((bool(condition), description, detail))
    return condition


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError("duplicate keys: " + ", ".join(duplicates))
    return dict(pairs)


def meson_ids(srcdir):
    """The application id of each profile, the base id and the resource prefix, as meson.build
    sets them."""
    text = read(os.path.join(srcdir, "meson.build"))
    m = re.search(r"if profile == 'development'\s+application_id = '([^']+)'\s+else\s+"
                  r"application_id = '([^']+)'", text)
    base = re.search(r"^base_id = '([^']+)'", text, re.M)
    prefix = re.search(r"^resource_prefix = '([^']+)'", text, re.M)
    if not (m and base and prefix):
        return None
    return {
        "development": m.group(1),
        "default": m.group(2),
        "base": base.group(1),
        "resource_prefix": prefix.group(1),
    }


def meson_options(srcdir):
    text = read(os.path.join(srcdir, "meson_options.txt"))
    options = {}
    for m in re.finditer(r"option\('([^']+)',(.*?)\n\)", text, re.S):
        value = re.search(r"value: '?([^',]+)'?", m.group(2))
        options[m.group(1)] = value.group(1) if value else None
    return options


def desktop_entry(text):
    entry = {}
    group = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entry[key.strip()] = value.strip()
    return entry


def check_desktop(name, text, app_id, command):
    entry = desktop_entry(text)
    exec_words = entry.get("Exec", "").split()
    check(f"{name}: Exec runs '{command}'", exec_words[:1] == [command], entry.get("Exec"))
    check(f"{name}: Icon is {app_id}", entry.get("Icon") == app_id, entry.get("Icon"))


def check_metainfo(name, text, app_id, command):
    root = ET.fromstring(text)
    check(f"{name}: <id> is {app_id}", root.findtext("id") == app_id, root.findtext("id"))
    launchables = [e.text for e in root.findall("launchable[@type='desktop-id']")]
    check(f"{name}: launchable is {app_id}.desktop", launchables == [app_id + ".desktop"],
          launchables)
    binaries = [e.text for e in root.findall("provides/binary")]
    check(f"{name}: provides binary {command}", binaries == [command], binaries)


def check_manifest(path, srcdir, ids, options, build):
    name = os.path.basename(path)
    try:
        manifest = json.loads(read(path), object_pairs_hook=no_duplicate_keys)
    except ValueError as e:
        check(f"{name}: valid JSON", False, str(e))
        return None
    if not check(f"{name}: valid JSON, an object", isinstance(manifest, dict)):
        return None

    app_id = manifest.get("id", manifest.get("app-id"))
    check(f"{name}: one of id/app-id", ("id" in manifest) != ("app-id" in manifest))
    check(f"{name}: file named after its id", name == f"{app_id}.json", app_id)

    modules = manifest.get("modules", [])
    own = [m for m in modules if isinstance(m, dict)
           and {"type": "dir", "path": ".."} in m.get("sources", [])]
    if not check(f"{name}: one module builds this tree, the last one",
                 len(own) == 1 and modules[-1] is own[0]):
        return None
    module = own[0]
    check(f"{name}: built with meson", module.get("buildsystem") == "meson")

    config = module.get("config-opts", [])
    defines = dict(o[2:].split("=", 1) for o in config if o.startswith("-D") and "=" in o)
    unknown = sorted(set(defines) - set(options) - MESON_BUILTIN_OPTIONS)
    check(f"{name}: every -D option exists", not unknown, unknown)
    profile = defines.get("profile", options.get("profile"))
    devel = name.endswith(DEVEL_SUFFIX + ".json")
    check(f"{name}: {'development' if devel else 'release'} profile",
          profile == ("development" if devel else "default"), profile)
    if not devel:
        check(f"{name}: run-tests", module.get("run-tests") is True)
        # flatpak-builder runs them with no display: the UI tests stay out.
        check(f"{name}: -Dtests=false", defines.get("tests") == "false", config)
        check(f"{name}: a release build", "--buildtype=release" in config
              or defines.get("buildtype") == "release", config)

    expected_id = ids.get(profile)
    check(f"{name}: id is the {profile} profile's application id", app_id == expected_id,
          f"{app_id} != {expected_id}")
    base = app_id[:-len(DEVEL_SUFFIX)] if devel and app_id.endswith(DEVEL_SUFFIX) else app_id
    base_path = "/" + base.replace(".", "/")

    command = manifest.get("command")
    check(f"{name}: command is the installed binary", command == build["binary_name"],
          f"{command} != {build['binary_name']}")

    # The desktop file and metainfo as data/meson.build configures them for this profile.
    desktop_in = read(os.path.join(srcdir, "data", f"{ids['default']}.desktop.in.in"))
    check_desktop(f"{name}: desktop file", desktop_in.replace("@icon@", app_id), app_id, command)
    metainfo_in = read(os.path.join(srcdir, "data", f"{ids['default']}.metainfo.xml.in.in"))
    check_metainfo(f"{name}: metainfo", metainfo_in.replace("@app_id@", app_id), app_id,
                   command)
    data_meson = read(os.path.join(srcdir, "data", "meson.build"))
    check(f"{name}: the desktop file is installed as <id>.desktop (D-Bus activation)",
          "output: '@0@.desktop'.format(application_id)" in data_meson)

    # And the real ones, for the profile this tree was built with.
    if app_id == build["app_id"]:
        check(f"{name}: built desktop file is {app_id}.desktop",
              os.path.basename(build["desktop"]) == f"{app_id}.desktop", build["desktop"])
        check_desktop(f"{name}: built desktop file", read(build["desktop"]), app_id, command)
        check(f"{name}: built metainfo is {app_id}.metainfo.xml",
              os.path.basename(build["metainfo"]) == f"{app_id}.metainfo.xml",
              build["metainfo"])
        check_metainfo(f"{name}: built metainfo", read(build["metainfo"]), app_id, command)

    # GSettings and GResource keep the base id in both profiles.
    check(f"{name}: base id {base} is meson.build's", ids["base"] == base, ids["base"])
    schema_path = os.path.join(srcdir, "data", f"{base}.gschema.xml")
    if check(f"{name}: {base}.gschema.xml exists", os.path.exists(schema_path)):
        schemas = ET.parse(schema_path).getroot().findall("schema")
        check(f"{name}: GSettings schema id is {base}",
              [s.get("id") for s in schemas][:1] == [base], [s.get("id") for s in schemas])
        check(f"{name}: GSettings path is {base_path}/",
              [s.get("path") for s in schemas][:1] == [base_path + "/"])
    resources = ET.parse(os.path.join(srcdir, "src", "exkeys.gresource.xml")).getroot()
    prefixes = sorted({r.get("prefix") for r in resources.findall("gresource")})
    check(f"{name}: GResource prefix is {base_path}", prefixes == [base_path], prefixes)
    check(f"{name}: RESOURCE_PREFIX is {base_path}", ids["resource_prefix"] == base_path,
          ids["resource_prefix"])

    finish_args = manifest.get("finish-args", [])
    check(f"{name}: finish-args are exactly the allowed set",
          sorted(finish_args) == sorted(ALLOWED_FINISH_ARGS),
          f"extra {sorted(set(finish_args) - set(ALLOWED_FINISH_ARGS))}, "
          f"missing {sorted(set(ALLOWED_FINISH_ARGS) - set(finish_args))}, "
          f"{len(finish_args)} in all")
    check(f"{name}: no D-Bus name, no filesystem",
          not [a for a in finish_args
               if a.startswith(("--talk-name", "--own-name", "--filesystem",
                                "--system-talk-name", "--socket=session-bus"))])

    check(f"{name}: GNOME runtime and SDK",
          manifest.get("runtime") == "org.gnome.Platform"
          and manifest.get("sdk") == "org.gnome.Sdk")
    return manifest


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 99
    srcdir, binary, app_id, desktop, metainfo = argv[1:6]
    manifests = argv[6:]
    build = {
        "binary_name": os.path.basename(binary),
        "app_id": app_id,
        "desktop": desktop,
        "metainfo": metainfo,
    }

    ids = meson_ids(srcdir)
    options = meson_options(srcdir)
    if check("meson.build sets each profile's application id, the base id and the prefix",
             ids is not None):
        check("meson_options.txt has the profile and tests options",
              "profile" in options and "tests" in options, sorted(options))
        parsed = [check_manifest(path, srcdir, ids, options, build) for path in manifests]
        names = sorted(os.path.basename(p) for p in manifests)
        check("a release and a development manifest",
              names == sorted([f"{ids['default']}.json", f"{ids['development']}.json"]), names)
        versions = {m.get("runtime-version") for m in parsed if m is not None}
        check("the manifests use the same runtime version", len(versions) == 1, versions)

    print(f"1..{len(results)}")
    for i, (ok, description, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {description}")
        if not ok and detail != "":
            print(f"# {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
