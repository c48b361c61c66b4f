#!/usr/bin/env python3
# check-manifest.py - lint the Flatpak manifest offline
# Copyright 2026 Claire Workshop contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lint a Flatpak manifest the way Flathub's flatpak-builder-lint would.

flatpak-builder-lint cannot run here (it ships only as a container or a Flatpak), so this
re-implements the rules that matter for this app; each error carries the linter's own
name. Standard library only.

  check-manifest.py MANIFEST.json                  lint the manifest
  check-manifest.py --show-manifest MANIFEST.json  have flatpak-builder parse it: exit 0
                                                   and no "Unknown property" warning
  check-manifest.py --self-test MANIFEST.json      break the manifest in known ways and
                                                   make sure the lint catches each one
"""

import copy
import json
import os
import subprocess
import sys
import tempfile

# --filesystem= values that give the app far more than a file chooser portal does.
FORBIDDEN_FILESYSTEMS = {
    "home": "finish-args-home-filesystem-access",
    "~": "finish-args-home-filesystem-access",
    "host": "finish-args-host-filesystem-access",
    "host-os": "finish-args-host-os-filesystem-access",
    "host-etc": "finish-args-host-etc-filesystem-access",
    "xdg-config": "finish-args-xdg-config-filesystem-access",
    "xdg-data": "finish-args-xdg-data-filesystem-access",
    "xdg-run/dconf": "finish-args-direct-dconf-path",
    "~/.config/dconf": "finish-args-direct-dconf-path",
}


def _filesystem_error(value):
    """Return the linter rule that --filesystem=VALUE breaks, or None."""
    path = value.split(":", 1)[0].rstrip("/")
    if path in FORBIDDEN_FILESYSTEMS:
        return FORBIDDEN_FILESYSTEMS[path]
    # Any part of the config directory is where GSettings and other apps keep their state.
    if path.startswith("xdg-config/") or path.startswith("~/.config"):
        return "finish-args-xdg-config-filesystem-access"
    return None


def _iter_modules(modules, base_dir):
    """Yield every module, following nested modules and included module files."""
    for module in modules or []:
        if isinstance(module, str):
            path = os.path.join(base_dir, module)
            if path.endswith(".json") and os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    module = json.load(f)
                yield from _iter_modules([module], os.path.dirname(path))
            continue
        yield module
        yield from _iter_modules(module.get("modules"), base_dir)


def lint(manifest, filename):
    """Return a list of (rule, message) for everything wrong with MANIFEST."""
    errors = []

    def error(rule, message):
        errors.append((rule, message))

    if not isinstance(manifest, dict):
        return [("manifest-not-an-object", "the manifest must be a JSON object")]

    app_id = manifest.get("id", manifest.get("app-id"))
    basename = os.path.basename(filename)
    for ext in (".json", ".yaml", ".yml"):
        if basename.endswith(ext):
            basename = basename[: -len(ext)]
    if not app_id:
        error("appid-not-defined", "no 'id'")
    elif app_id != basename:
        error("appid-filename-mismatch", f"id '{app_id}' but the file is named '{basename}'")

    command = manifest.get("command")
    if not command:
        error("toplevel-no-command", "no 'command'")
    elif "/" in command:
        error("toplevel-command-is-path", f"command '{command}' must be a bare name in /app/bin")

    if "branch" in manifest:
        error("toplevel-unnecessary-branch", "'branch' is set; Flathub picks the branch")

    for key in ("runtime", "runtime-version", "sdk"):
        if not manifest.get(key):
            error(f"toplevel-no-{key}", f"no '{key}'")

    finish_args = manifest.get("finish-args", [])
    sockets = {a.split("=", 1)[1] for a in finish_args if a.startswith("--socket=")}
    shares = {a.split("=", 1)[1] for a in finish_args if a.startswith("--share=")}

    if ("x11" in sockets or "fallback-x11" in sockets) and "ipc" not in shares:
        error("finish-args-x11-without-ipc", "X11 needs --share=ipc")
    if "fallback-x11" in sockets and "wayland" not in sockets:
        error("finish-args-fallback-x11-without-wayland", "fallback-x11 without wayland")
    if "wayland" in sockets and "fallback-x11" not in sockets and "x11" not in sockets:
        error("finish-args-only-wayland", "wayland without --socket=fallback-x11")
    if "x11" in sockets and "wayland" in sockets:
        error("finish-args-contains-both-x11-and-wayland",
              "use --socket=fallback-x11 instead of --socket=x11")
    elif "x11" in sockets:
        error("finish-args-x11-instead-of-fallback-x11",
              "use --socket=wayland and --socket=fallback-x11 instead of --socket=x11")
    if "wayland" not in sockets:
        error("finish-args-no-wayland", "a GTK 4 app must have --socket=wayland")
    for bus in ("session-bus", "system-bus"):
        if bus in sockets:
            error("finish-args-arbitrary-dbus-access", f"--socket={bus}")

    for arg in finish_args:
        if not arg.startswith("--"):
            error("finish-args-malformed", f"'{arg}' is not an option")
            continue
        option, _, value = arg.partition("=")
        if option in ("--talk-name", "--own-name", "--system-talk-name", "--system-own-name"):
            if value.startswith("org.freedesktop.portal."):
                error("finish-args-portal-talk-name",
                      f"{arg}: portals are reachable without a talk-name")
            if value == "org.freedesktop.Secrets":
                error("finish-args-incorrect-secret-service-talk-name", arg)
            elif value == "org.freedesktop.secrets":
                error("finish-args-secret-service-talk-name",
                      f"{arg}: libsecret uses the Secret portal inside Flatpak")
            if value == "ca.desrt.dconf":
                error("finish-args-direct-dconf-path", arg)
        elif option == "--filesystem":
            rule = _filesystem_error(value)
            if rule:
                error(rule, f"{arg}: use the file chooser portal")

    build_args = manifest.get("build-options", {}).get("build-args", [])
    if "--share=network" in build_args:
        error("manifest-toplevel-build-network-access", "build-args has --share=network")

    def check_cleanup(cleanup, where):
        for entry in cleanup or []:
            if entry.rstrip("/") == "/lib/debug":
                error("toplevel-cleanup-debug", f"{where} cleans up /lib/debug")

    check_cleanup(manifest.get("cleanup"), "the manifest")

    base_dir = os.path.dirname(os.path.abspath(filename))
    modules = list(_iter_modules(manifest.get("modules"), base_dir))
    if not modules:
        error("toplevel-no-modules", "no modules")
    for module in modules:
        name = module.get("name", "?")
        check_cleanup(module.get("cleanup"), f"module '{name}'")
        if "--share=network" in module.get("build-options", {}).get("build-args", []):
            error("module-build-network-access", f"module '{name}' builds with network access")
        for source in module.get("sources", []):
            if not isinstance(source, dict):
                continue
            kind = source.get("type")
            if kind == "git":
                if not source.get("tag") and not source.get("commit"):
                    error("module-source-git-no-commit-or-tag",
                          f"module '{name}': git source without 'tag' or 'commit'")
                url = source.get("url", "")
                if not url.startswith("https://") and not url.startswith("http://"):
                    error("module-source-git-no-url", f"module '{name}': git url '{url}'")
            for checksum in ("md5", "sha1"):
                if checksum in source:
                    error(f"module-source-{checksum}-deprecated",
                          f"module '{name}': use sha256 instead of {checksum}")
    return errors


def show_manifest(filename):
    """Have flatpak-builder parse FILENAME; return a list of problems."""
    path = os.path.abspath(filename)
    # flatpak-builder creates .flatpak-builder/ in its working directory: keep that out of
    # the tree.
    with tempfile.TemporaryDirectory() as workdir:
        result = subprocess.run(["flatpak-builder", "--show-manifest", path],
                                cwd=workdir, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr)
    problems = []
    if result.returncode != 0:
        problems.append(f"flatpak-builder --show-manifest exited with {result.returncode}")
    # An unknown key is only a warning to flatpak-builder, but a lint error for Flathub.
    for line in result.stderr.splitlines():
        if "Unknown property" in line:
            problems.append(line.strip())
    return problems


def self_test(manifest, filename):
    """Break MANIFEST in known ways and return the breakages the lint missed."""
    def without(args, *drop):
        return [a for a in args if a not in drop]

    cases = [
        ("appid-filename-mismatch", lambda m: m.update(id="com.claire.Other")),
        ("toplevel-command-is-path", lambda m: m.update(command="/app/bin/claire-workshop")),
        ("toplevel-unnecessary-branch", lambda m: m.update(branch="stable")),
        ("finish-args-x11-without-ipc",
         lambda m: m.update({"finish-args": without(m["finish-args"], "--share=ipc")})),
        ("finish-args-fallback-x11-without-wayland",
         lambda m: m.update({"finish-args": without(m["finish-args"], "--socket=wayland")})),
        ("finish-args-only-wayland",
         lambda m: m.update({"finish-args": without(m["finish-args"], "--socket=fallback-x11")})),
        ("finish-args-contains-both-x11-and-wayland",
         lambda m: m["finish-args"].append("--socket=x11")),
        ("finish-args-arbitrary-dbus-access",
         lambda m: m["finish-args"].append("--socket=session-bus")),
        ("finish-args-arbitrary-dbus-access",
         lambda m: m["finish-args"].append("--socket=system-bus")),
        ("finish-args-portal-talk-name",
         lambda m: m["finish-args"].append("--talk-name=org.freedesktop.portal.Secret")),
        ("finish-args-secret-service-talk-name",
         lambda m: m["finish-args"].append("--talk-name=org.freedesktop.secrets")),
        ("finish-args-incorrect-secret-service-talk-name",
         lambda m: m["finish-args"].append("--talk-name=org.freedesktop.Secrets")),
        ("finish-args-home-filesystem-access",
         lambda m: m["finish-args"].append("--filesystem=home")),
        ("finish-args-host-filesystem-access",
         lambda m: m["finish-args"].append("--filesystem=host:ro")),
        ("finish-args-xdg-config-filesystem-access",
         lambda m: m["finish-args"].append("--filesystem=xdg-config/glib-2.0")),
        ("finish-args-direct-dconf-path",
         lambda m: m["finish-args"].append("--filesystem=xdg-run/dconf")),
        ("toplevel-cleanup-debug", lambda m: m["cleanup"].append("/lib/debug")),
        ("module-source-git-no-commit-or-tag",
         lambda m: m["modules"][-1].update(
             sources=[{"type": "git", "url": "https://example.org/claire-workshop.git"}])),
        ("manifest-toplevel-build-network-access",
         lambda m: m.update({"build-options": {"build-args": ["--share=network"]}})),
    ]
    missed = []
    for rule, breakage in cases:
        broken = copy.deepcopy(manifest)
        breakage(broken)
        if rule not in {r for r, _ in lint(broken, filename)}:
            missed.append(rule)
    return missed


def main(argv):
    mode = "lint"
    args = argv[1:]
    if args and args[0] in ("--show-manifest", "--self-test"):
        mode = args.pop(0)[2:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    filename = args[0]

    if mode == "show-manifest":
        problems = show_manifest(filename)
        for problem in problems:
            print(f"{filename}: {problem}", file=sys.stderr)
        return 1 if problems else 0

    try:
        with open(filename, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{filename}: {e}", file=sys.stderr)
        return 1

    if mode == "self-test":
        clean = lint(manifest, filename)
        if clean:
            print(f"{filename}: the manifest itself must be clean for the self-test",
                  file=sys.stderr)
            for rule, message in clean:
                print(f"  {rule}: {message}", file=sys.stderr)
            return 1
        missed = self_test(manifest, filename)
        for rule in missed:
            print(f"{filename}: the lint did not catch a breakage of {rule}", file=sys.stderr)
        return 1 if missed else 0

    errors = lint(manifest, filename)
    for rule, message in errors:
        print(f"{filename}: {rule}: {message}", file=sys.stderr)
    if not errors:
        print(f"{filename}: OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
