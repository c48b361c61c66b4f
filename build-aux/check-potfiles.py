#!/usr/bin/env python3
# check-potfiles.py - keep po/POTFILES.in in step with the sources
# Copyright 2026 Claire Workshop contributors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists exactly the files with translatable strings, and that a
translation covers every string the sources have today.

  check-potfiles.py [SOURCE_ROOT]
  check-potfiles.py --update [SOURCE_ROOT]
  check-potfiles.py --complete LANG.po [SOURCE_ROOT]

A file needs an entry when it is
  - a C file under src/ that calls _(), N_(), C_(), NC_(), g_dgettext, g_dngettext or
    ngettext (comments and string literals do not count);
  - a .ui file under src/ with translatable="yes";
  - a desktop file, MetaInfo or GSettings schema template under data/.
Fails, listing them, when a needed file is missing, when an entry names a file that is gone
or has no strings, or when the list is not sorted. Standard library only.

--update rewrites po/POTFILES.in from the scan (keeping its header) and prints the change.

--complete extracts a fresh template from the files in POTFILES.in (with the keywords of
meson's glib preset), merges LANG.po with it the way `meson compile <package>-update-po`
would, and fails when `msgfmt --statistics` then reports an untranslated or fuzzy message.
Checking the merged file rather than LANG.po itself catches a string that was added to the
sources while the .po file was not updated.
"""

import os
import re
import subprocess
import sys
import tempfile

C_CALL = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dgettext|g_dngettext|g_dpgettext2|"
                    r"ngettext|g_dcgettext)\s*\(")
UI_TRANSLATABLE = re.compile(r"""translatable\s*=\s*["'](?:yes|true|1)["']""")
DATA_SUFFIXES = (".desktop.in.in", ".desktop.in", ".metainfo.xml.in.in",
                 ".metainfo.xml.in", ".gschema.xml")
GSCHEMA_STRING = re.compile(r"<(?:summary|description)\b")
HEADER = "# Please keep this file sorted alphabetically."
PACKAGE = "claire-workshop"

# The keywords and format flags of meson's i18n 'glib' preset (mesonbuild/modules/i18n.py),
# so that the template here has the same messages as the one `<package>-pot` writes.
XGETTEXT_GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]
STATISTICS = re.compile(r"(\d+) (translated|fuzzy|untranslated)")


def strip_c_comments_and_strings(text):
    """Blank out comments and string/char literals so that only code is searched."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append(c + c)
        else:
            out.append(c)
            i += 1
    return "".join(out)


def needs_entry(root, relpath):
    path = os.path.join(root, relpath)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return False
    if relpath.endswith(".c"):
        return C_CALL.search(strip_c_comments_and_strings(text)) is not None
    if relpath.endswith(".ui"):
        return UI_TRANSLATABLE.search(text) is not None
    if relpath.endswith(".gschema.xml"):
        return GSCHEMA_STRING.search(text) is not None
    return relpath.endswith(DATA_SUFFIXES)


def scan(root):
    """Return the sorted list of files under src/ and data/ that need an entry."""
    found = []
    for top in ("src", "data"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                if top == "src" and not (name.endswith(".c") or name.endswith(".ui")):
                    continue
                if top == "data" and not name.endswith(DATA_SUFFIXES):
                    continue
                if needs_entry(root, rel):
                    found.append(rel)
    return sorted(found)


def read_potfiles(root):
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    entries = [line.strip() for line in lines
               if line.strip() and not line.lstrip().startswith("#")]
    return lines, entries


def check(root):
    """Return a list of problems with ROOT/po/POTFILES.in."""
    problems = []
    try:
        lines, entries = read_potfiles(root)
    except OSError as e:
        return [f"cannot read po/POTFILES.in: {e}"]

    if not lines or lines[0].strip() != HEADER:
        problems.append(f"po/POTFILES.in must start with “{HEADER}”")
    if entries != sorted(entries):
        problems.append("po/POTFILES.in is not sorted; sorted it reads:\n  "
                        + "\n  ".join(sorted(entries)))
    seen = set()
    for entry in entries:
        if entry in seen:
            problems.append(f"listed twice: {entry}")
        seen.add(entry)

    needed = set(scan(root))
    for path in sorted(needed - seen):
        problems.append(f"missing (has translatable strings): {path}")
    for path in sorted(seen - needed):
        if not os.path.exists(os.path.join(root, path)):
            problems.append(f"stale (file does not exist): {path}")
        else:
            problems.append(f"stale (no translatable strings): {path}")
    return problems


def _run(args, **kwargs):
    env = dict(os.environ, LC_ALL="C")
    return subprocess.run(args, capture_output=True, text=True, check=False, env=env, **kwargs)


def check_complete(root, po_file):
    """Return a list of problems with the translation PO_FILE against today's sources."""
    name = os.path.basename(po_file)
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, PACKAGE + ".pot")
        result = _run(["xgettext", f"--package-name={PACKAGE}", "-f",
                       os.path.join(root, "po", "POTFILES.in"), "-D", root, "-o", pot]
                      + XGETTEXT_GLIB_PRESET)
        if result.returncode != 0:
            return [f"xgettext failed:\n{result.stderr}"]

        merged = os.path.join(tmp, name)
        result = _run(["msgmerge", "--quiet", "--output-file", merged, po_file, pot])
        if result.returncode != 0:
            return [f"msgmerge failed:\n{result.stderr}"]

        result = _run(["msgfmt", "--check", "--statistics", "--output-file=/dev/null", merged])
        statistics = result.stderr.strip()
        print(f"{name}: {statistics}")
        if result.returncode != 0:
            return [f"msgfmt failed:\n{statistics}"]

        counts = {kind: int(n) for n, kind in STATISTICS.findall(statistics)}
        problems = []
        for kind, option in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
            if counts.get(kind, 0) == 0:
                continue
            listed = _run(["msgattrib", option, "--no-obsolete", "--no-wrap", merged]).stdout
            msgids = re.findall(r'^msgid "(.+)"$', listed, re.MULTILINE)
            problems.append(f"{counts[kind]} {kind} message(s); run `meson compile -C <builddir> "
                            f"{PACKAGE}-update-po` and translate:\n    "
                            + "\n    ".join(msgids))
        if not counts.get("translated"):
            problems.append("no translated messages")
        return problems


def update(root):
    """Rewrite ROOT/po/POTFILES.in from the scan."""
    try:
        _, entries = read_potfiles(root)
    except OSError:
        entries = []
    found = scan(root)
    with open(os.path.join(root, "po", "POTFILES.in"), "w", encoding="utf-8") as f:
        f.write(HEADER + "\n" + "".join(path + "\n" for path in found))
    for path in sorted(set(found) - set(entries)):
        print(f"POTFILES: added {path}")
    for path in sorted(set(entries) - set(found)):
        print(f"POTFILES: removed {path}")


def main(argv):
    args = argv[1:]
    po_file = None
    if args and args[0] == "--update":
        if len(args) > 2:
            print(__doc__, file=sys.stderr)
            return 2
        update(os.path.abspath(args[1] if len(args) == 2
                               else os.path.join(os.path.dirname(__file__), "..")))
        return 0
    if args and args[0] == "--complete":
        if len(args) < 2:
            print(__doc__, file=sys.stderr)
            return 2
        po_file = os.path.abspath(args[1])
        args = args[2:]
    if len(args) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), ".."))

    if po_file:
        problems = check_complete(root, po_file)
        label = os.path.basename(po_file)
    else:
        problems = check(root)
        label = "POTFILES"
    for problem in problems:
        print(f"{label}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{label}: OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
