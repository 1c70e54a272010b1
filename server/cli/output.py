"""Files the command line writes: whole or not at all.

A report, an archive or a backup is written to a hidden temporary file beside its final name
and renamed over it only once complete, so a reader never sees half of one and a failure
(a full disk, a refused export) leaves nothing behind. A target that is not a regular file
(``/dev/stdout``, a pipe) is written in place: there is nothing to rename over.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from server.failures import FileFailure, file_failure


def check_target(path: Path) -> None:
    """Refuse, before any work, a name that cannot become the file: a folder, or a place in
    a folder that does not exist."""
    if path.is_dir():
        raise FileFailure(f"cannot write {path}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise FileFailure(f"cannot write {path}: there is no folder {path.parent}")


@contextlib.contextmanager
def replacing_path(path: Path) -> Iterator[Path]:
    """A path beside ``path`` to make the new file at (for writers that want a name, such
    as SQLite); it is renamed over ``path`` when the block ends without an exception, and
    removed otherwise. Never renamed over a device or a pipe."""
    check_target(path)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise FileFailure(f"cannot write {path}: it is not a regular file; give a file name")
    temporary = path.with_name(f".{path.name}.{os.getpid()}~")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise file_failure("write", path, error) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path``'s new content into; it becomes ``path`` when the block ends
    without an exception, and is removed otherwise."""
    check_target(path)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        try:
            with path.open("wb") as device:
                yield device
        except OSError as error:
            raise file_failure("write", path, error) from None
        return
    with replacing_path(path) as temporary:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())


def write_bytes(path: Path, data: bytes) -> None:
    """``path`` holds ``data``, whole, or is left as it was."""
    with replacing(path) as out:
        out.write(data)
