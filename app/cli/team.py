"""The command line for teams keeping projects in git: diff, merge and git-setup.

demarche diff OLD NEW [--json]
demarche merge BASE OURS THEIRS [-o OUT]       (git's merge driver: %O %A %B)
demarche git-setup [DIR] [--global]
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import replace

from app.fileformat import projectfile
from app.fileformat.atomic import line_end_of, write_atomic
from app.fileformat.canonical import dumps_utf8
from app.fileformat.projectfile import Diagnostic, ProjectFileError
from app.fileformat.textfile import printable
from app.records.model import Project
from app.team import diff
from app.team.merge import merge

EXIT_OK, EXIT_CONFLICTS, EXIT_WRITE, EXIT_INVALID_INPUT = 0, 1, 3, 4
ATTRIBUTES = "*.yaml merge=demarche diff=demarche"

MERGE_EPILOG = """exit codes: 0 merged, 1 merged with conflicts (recorded in the file's
'conflicts:' section, which still loads; open it in the editor to resolve them), 3 the
result could not be written, 4 an input could not be merged at all (OURS is left
untouched). Files that are not Demarche projects are merged line by line with git
merge-file. So is a project of which one version cannot be read (broken by hand): the
result, with conflict markers where the lines clash, counts as a conflict (exit 1), for a
person to mend and check with `demarche validate`."""


def add_parsers(sub) -> None:
    d = sub.add_parser(
        "diff",
        help="what changed between two versions, by record and field",
        description="Print the changes from OLD to NEW, one per line: + added, - removed, "
        "~ changed (with the field, old and new values). Given git's seven arguments "
        "(diff.demarche.command), it shows the changes of one file in `git diff`.",
    )
    d.add_argument("files", nargs="+", metavar="FILE", help="OLD NEW, or git's seven (or nine)")
    d.add_argument("--json", action="store_true", help="the changes as JSON, for tools")
    m = sub.add_parser(
        "merge",
        help="three-way merge of project files, by meaning (a git merge driver)",
        description="Merge THEIRS into OURS, both changed from BASE: records by id, fields "
        "one by one. As git's merge driver (demarche merge %%O %%A %%B) it writes the result "
        "to OURS.",
        epilog=MERGE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    m.add_argument("base", metavar="BASE")
    m.add_argument("ours", metavar="OURS")
    m.add_argument("theirs", metavar="THEIRS")
    m.add_argument("-o", "--output", metavar="OUT", help="write here instead of to OURS")
    m.add_argument(
        "--name", metavar="PATH", help="the file's path in the repository, for messages (%%P)"
    )
    g = sub.add_parser(
        "git-setup",
        help="let git merge and diff projects with Demarche",
        description="Write the .gitattributes line and the git configuration for Demarche's "
        "merge driver and diff. Running it again changes nothing.",
    )
    g.add_argument("folder", nargs="?", default=".", metavar="DIR", help="the repository")
    g.add_argument(
        "--global", dest="everywhere", action="store_true", help="for every repository of this user"
    )


def _load(path: str) -> Project:
    """A version of the file; an empty file or /dev/null (a side that did not have it) is
    an empty project."""
    if path == os.devnull or (os.path.isfile(path) and os.path.getsize(path) == 0):
        return Project()
    return projectfile.load(path)


def cmd_diff(args) -> int:
    files = args.files
    if len(files) in (7, 9):  # git: path old-file old-hex old-mode new-file new-hex new-mode
        old, new = files[1], files[4]  # [new-path similarity]: renamed or copied
        names = (files[0], files[7] if len(files) == 9 else files[0])
        label = names[0] if names[0] == names[1] else f"{names[0]} → {names[1]}"
    elif len(files) == 2:
        label, (old, new) = None, files
        names = (old, new)
    else:
        print("demarche diff: give OLD and NEW", file=sys.stderr)
        return 2
    versions = []
    for side, path, name in zip("ab", (old, new), names, strict=True):
        try:
            versions.append(_load(path))
        except ProjectFileError as exc:
            if label is None:  # asked by hand: why it cannot be compared
                for d in exc.diagnostics:
                    print(d, file=sys.stderr)
                return 1
            # For git: a file that is not a project, or a project broken by hand, as lines
            # (a diff that stops here would stop `git diff` for every file after it). The
            # problem is named as the lines below name that version: a/ old, b/ new.
            if any(map(_looks_like_project, (old, new))):
                print(
                    f"demarche diff: {printable(label)}: not readable as a project, shown as lines:",
                    file=sys.stderr,
                )
                print(_named(exc.diagnostics[0], f"{side}/{name}"), file=sys.stderr)
            return _text_diff(label, old, new)
    before, after = versions
    found = diff.changes(before, after)
    if label is not None and found:
        print(f"demarche diff {printable(label)}")
    out = diff.as_json(found) if args.json else diff.as_text(found)
    sys.stdout.write(printable(out) if not args.json else out)
    return EXIT_OK


def _looks_like_project(path: str) -> bool:
    """Whether the file has a Demarche project's version key, readable or not (a project
    broken by hand still has it; a Helm chart or a config file never does)."""
    try:
        with open(path, "rb") as f:
            return re.search(rb"(?m)^demarche[ \t]*:", f.read()) is not None
    except OSError:
        return False


def _named(d: Diagnostic, name: str) -> Diagnostic:
    """A problem of a temporary copy (git's) told with the file's own name."""
    return replace(d, file=name)


def _text_diff(label: str, old: str, new: str) -> int:
    def lines(path: str) -> list[str]:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.readlines()

    diff_lines = difflib.unified_diff(lines(old), lines(new), f"a/{label}", f"b/{label}")
    # Control characters (ESC runs in a terminal) shown escaped, line ends kept.
    sys.stdout.writelines(printable(line.rstrip("\n")) + "\n" for line in diff_lines)
    return EXIT_OK


def cmd_merge(args) -> int:
    target = args.output or args.ours
    name = args.name or args.ours
    sides = {"base": args.base, "ours": args.ours, "theirs": args.theirs}
    versions, unread = [], {}
    for side, path in sides.items():
        try:
            versions.append(_load(path))
        except ProjectFileError as exc:
            unread[side] = exc
    if unread:
        if not any(map(_looks_like_project, sides.values())):
            return _merge_lines(args)  # not projects: as git would merge them
        # A version broken by hand: merged as lines, so that no side's work is lost, and
        # counted as a conflict, for a person to mend (git stops the merge there).
        for side, exc in unread.items():
            print(f"demarche merge: {side} is not a valid project:", file=sys.stderr)
            for d in exc.diagnostics[:5]:
                print(_named(d, f"{name} ({side})"), file=sys.stderr)
        code = _merge_lines(args)
        if code == EXIT_INVALID_INPUT:
            return code
        print(
            f"demarche merge: {printable(name)} merged line by line; mend it, check it with "
            "`demarche validate`, then commit it",
            file=sys.stderr,
        )
        return EXIT_CONFLICTS
    merged = merge(*versions)
    try:
        # Its lines end as ours did (the file git merges into): CR LF stays CR LF.
        write_atomic(target, dumps_utf8(merged), line_ends_from=args.ours)
    except OSError as exc:
        print(f"demarche merge: cannot write '{target}': {exc.strerror or exc}", file=sys.stderr)
        return EXIT_WRITE
    for c in merged.conflicts:
        print(printable(f"conflict: {diff.conflict_text(c)}"))
    return EXIT_CONFLICTS if merged.conflicts else EXIT_OK


def _merge_lines(args) -> int:
    """Not projects: git's own line merge, with conflict markers as usual."""
    git = shutil.which("git")
    if git is None:
        print(
            "demarche merge: not Demarche projects, and git is not here to merge them",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    if args.output:
        shutil.copyfile(args.ours, args.output)
    labels = ["-L", "ours", "-L", "base", "-L", "theirs"]
    result = subprocess.run(
        [git, "merge-file", *labels, args.output or args.ours, args.base, args.theirs]
    )
    return EXIT_OK if result.returncode == 0 else EXIT_CONFLICTS


def cmd_git_setup(args) -> int:
    # -P: git runs the driver in the repository's top folder, whose own `app` folder
    # would otherwise be imported instead of Demarche's (and run on every `git diff`).
    command = f"{shlex.quote(sys.executable)} -P -m app"
    scope = ["--global"] if args.everywhere else []
    folder = os.path.abspath(args.folder)
    if not args.everywhere:
        top = _top_folder(folder)
        if top is None:
            print(f"demarche git-setup: {folder} is not in a git repository", file=sys.stderr)
            return 2
        folder = top
    settings = {
        "merge.demarche.name": "Demarche projects, merged by meaning",
        "merge.demarche.driver": f"{command} merge %O %A %B --name %P",
        "diff.demarche.command": f"{command} diff",
    }
    for key, value in settings.items():
        where = [] if args.everywhere else ["-C", folder]
        subprocess.run(["git", *where, "config", *scope, key, value], check=True)
    attributes = _attributes_file(folder, args.everywhere)
    # A save keeps the last version as NAME.yaml.bak: ignored in this clone's own
    # .git/info/exclude (the merge driver is this clone's configuration too, so everyone
    # who runs git-setup gets both; nothing is added to the tracked .gitignore).
    ignore = _ignore_file(folder, args.everywhere)
    git_dir = os.path.dirname(os.path.dirname(os.path.abspath(ignore)))  # .git (or a common dir)
    for path, line, inside in ((attributes, ATTRIBUTES, folder), (ignore, BACKUPS, git_dir)):
        problem = _add_line(path, line, None if args.everywhere else inside)
        if problem:
            print(
                f"demarche git-setup: {printable(problem)}; nothing written there", file=sys.stderr
            )
            return EXIT_WRITE
    print(f"git merges and diffs *.yaml with Demarche ({attributes})")
    print(f"git ignores the backups a save keeps, {BACKUPS} ({ignore})")
    return EXIT_OK


BACKUPS = "*.yaml.bak"


def _add_line(path: str, line: str, inside: str | None) -> str | None:
    """Add `line` to the file at `path` unless it holds it already; why not, when it
    cannot be: a folder or special file there, or a link leading out of `inside` (the
    repository). The file's other bytes are kept as they are, in whatever encoding."""
    real = os.path.realpath(path)
    if inside is not None:
        root = os.path.realpath(inside)
        if os.path.commonpath([root, real]) != root:
            return f"{path} leads to {real}, outside the repository {root}"
    if os.path.lexists(real) and not os.path.isfile(real):
        return f"{path} is not a regular file (a folder?)"
    try:
        os.makedirs(os.path.dirname(real), exist_ok=True)
        raw = b""
        if os.path.exists(real):
            with open(real, "rb") as f:
                raw = f.read()
        if line.encode() in (x.strip() for x in raw.splitlines()):
            return None
        end = line_end_of(real)  # a CR LF file stays one: no LF line among its lines
        raw += (b"" if not raw or raw.endswith(b"\n") else end) + line.encode() + end
        write_atomic(real, raw)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


def _top_folder(folder: str) -> str | None:
    """The work tree's top folder of the repository `folder` is in (a linked worktree's
    own), or None outside any."""
    found = subprocess.run(
        ["git", "-C", folder, "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    return found.stdout.strip() or None if found.returncode == 0 else None


def _ignore_file(folder: str, everywhere: bool) -> str:
    if not everywhere:
        found = subprocess.run(
            ["git", "-C", folder, "rev-parse", "--git-path", "info/exclude"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        return os.path.join(folder, found or os.path.join(".git", "info", "exclude"))
    found = subprocess.run(
        ["git", "config", "--global", "core.excludesFile"], capture_output=True, text=True
    ).stdout.strip()
    if found:
        return os.path.expanduser(found)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "git", "ignore")


def _attributes_file(folder: str, everywhere: bool) -> str:
    if not everywhere:
        return os.path.join(folder, ".gitattributes")
    found = subprocess.run(
        ["git", "config", "--global", "core.attributesFile"], capture_output=True, text=True
    ).stdout.strip()
    if found:
        return os.path.expanduser(found)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "git", "attributes")


COMMANDS = {"diff": cmd_diff, "merge": cmd_merge, "git-setup": cmd_git_setup}
