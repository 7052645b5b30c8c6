"""The store's expected failures.  Each ``str()`` is the message for the clerk, in Chinese.

Kept apart from :mod:`model.db` so that reading the database at start-up (:mod:`model.dbfile`,
:mod:`model.reads`) can raise and catch them without importing SQLAlchemy.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure whose ``str()`` is a message for the clerk, in Chinese: bad input,
    a damaged or locked file, a full disk.  The window shows it and the command line prints it
    and exits with status 2; any other exception is a bug and reaches the crash report.

    Subclasses also derive from the built-in class they used to be (``ValueError``,
    ``OSError``) so that code catching those still catches them.  The one exception is
    :class:`model.formats.UnknownFormatError`, once a ``KeyError`` (whose ``str()`` is a repr,
    not a sentence) and now a ``LookupError``."""


class StoreError(UserError):
    """An expected failure of the store; ``str()`` is the message for the clerk."""


class DatabaseError(StoreError):
    """The database file cannot be used (not a database, damaged, newer, locked, full disk)."""


class BrokenDatabaseError(DatabaseError):
    """The file itself is unusable (not a database, damaged, or from a newer program): trying
    again will not help, only restoring a backup or starting a new file will."""


class OperationError(StoreError):
    """A read or write the clerk asked for that cannot be done; ``str()`` says why."""


# ---------------------------------------------------------------------------- reasons in Chinese
# The operating system and SQLite describe failures in English ("Is a directory", "disk I/O
# error"); a clerk sees only these sentences.  Every message that reports an ``OSError`` or a
# ``sqlite3`` error takes its reason from here, so no English fragment reaches the screen.

_ERRNO_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有访问权限",
    "EPERM": "没有访问权限（或文件被设为不可修改）",
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中的某一级不是文件夹",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘空间配额已用完",
    "EROFS": "磁盘或文件夹是只读的",
    "EEXIST": "已有同名的文件或文件夹",
    "ENAMETOOLONG": "文件名或路径过长",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EIO": "磁盘读写出错（磁盘或U盘可能有故障，或已被拔出）",
    "EINVAL": "文件名无效",
    "EMFILE": "打开的文件过多",
    "ENFILE": "打开的文件过多",
    "ENOMEM": "内存不足",
    "ENXIO": "设备不存在或未就绪",
    "ENODEV": "设备不存在或未就绪",
    "ELOOP": "符号链接循环引用",
    "EFBIG": "文件过大",
    "EXDEV": "不能跨磁盘移动文件",
    "ENOTEMPTY": "文件夹不是空的",
    "EAGAIN": "资源暂时不可用，请稍后重试",
    "ESTALE": "网络共享上的文件已失效",
}
#: Windows error codes (``OSError.winerror``) that say more than their errno.
_WINERROR_REASONS = {
    5: "没有访问权限",
    32: "文件正被其他程序打开（如PDF阅读器或Word），请先关闭它",
    33: "文件的一部分被其他程序锁定",
    112: "磁盘空间不足",
    123: "文件名、文件夹名或卷标语法不正确",
    1224: "文件正被其他程序打开，请先关闭它",
}


def os_reason(error: OSError) -> str:
    """Why an ``OSError`` happened, in Chinese (never the English ``strerror``)."""
    import errno as errno_names

    winerror = getattr(error, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINERROR_REASONS:
        return _WINERROR_REASONS[winerror]
    name = errno_names.errorcode.get(error.errno or -1)
    if name in _ERRNO_REASONS:
        return _ERRNO_REASONS[name]
    if error.errno:
        return f"系统错误（错误码 {error.errno}）"
    return "系统错误"


#: SQLite's own words (``str()`` of a ``sqlite3`` error) → the reason in Chinese.  Looked up in
#: order, as a substring: the first match wins.
_SQLITE_REASONS = (
    ("database is locked", "正被另一个程序占用"),
    ("database table is locked", "正被另一个程序占用"),
    ("busy", "正被另一个程序占用"),
    ("disk is full", "磁盘空间不足"),
    ("database or disk is full", "磁盘空间不足"),
    ("readonly", "是只读的"),
    ("read-only", "是只读的"),
    ("disk i/o error", "读写时磁盘出错（磁盘或U盘可能有故障、已被拔出，或文件被设为不可修改）"),
    ("unable to open database file", "无法打开（文件夹不存在、没有权限，或磁盘是只读的）"),
    ("no such table", "缺少必需的表，不是完整的本程序数据库"),
    ("no such column", "缺少必需的列，不是完整的本程序数据库"),
    ("malformed", "已损坏"),
    ("file is not a database", "不是SQLite数据库文件"),
    ("out of memory", "内存不足"),
    ("interrupted", "操作被中断"),
    ("constraint failed", "数据不符合数据库的约束"),
    ("too big", "数据过大"),
)
#: SQLite result code names (``sqlite3.Error.sqlite_errorname``, primary part) → reason.
_SQLITE_CODES = {
    "SQLITE_BUSY": "正被另一个程序占用",
    "SQLITE_LOCKED": "正被另一个程序占用",
    "SQLITE_FULL": "磁盘空间不足",
    "SQLITE_READONLY": "是只读的",
    "SQLITE_IOERR": "读写时磁盘出错（磁盘或U盘可能有故障、已被拔出，或文件被设为不可修改）",
    "SQLITE_CANTOPEN": "无法打开（文件夹不存在、没有权限，或磁盘是只读的）",
    "SQLITE_CORRUPT": "已损坏",
    "SQLITE_NOTADB": "不是SQLite数据库文件",
    "SQLITE_NOMEM": "内存不足",
    "SQLITE_PERM": "没有访问权限",
    "SQLITE_PROTOCOL": "正被另一个程序占用",
}


def sqlite_reason(error: BaseException | str) -> str:
    """Why a ``sqlite3`` operation failed, in Chinese (never SQLite's English text)."""
    detail = str(error).lower()
    for english, chinese in _SQLITE_REASONS:
        if english in detail:
            return chinese
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str):
        primary = name.split("_", 2)
        code = "_".join(primary[:2])
        if code in _SQLITE_CODES:
            return _SQLITE_CODES[code]
        return f"数据库操作失败（{name}）"
    return "数据库操作失败"


def is_busy(error: BaseException | str) -> bool:
    return sqlite_reason(error) == "正被另一个程序占用"


def database_failure(path: object, error: BaseException | str) -> DatabaseError:
    """The clerk's error for a ``sqlite3`` failure on the database at ``path``: damage (which
    retrying will not mend) as :class:`BrokenDatabaseError`, anything else as
    :class:`DatabaseError`."""
    reason = sqlite_reason(error)
    if reason == "正被另一个程序占用":
        return DatabaseError(f"数据库“{path}”正被另一个程序占用，请关闭其他打开它的窗口后重试。")
    if reason == "磁盘空间不足":
        return DatabaseError(f"磁盘空间不足，无法写入数据库“{path}”。请清理磁盘后重试。")
    if reason == "是只读的":
        return DatabaseError(f"数据库“{path}”是只读的，无法保存修改。请检查文件权限。")
    if reason in ("已损坏", "不是SQLite数据库文件") or reason.startswith("缺少必需的"):
        return BrokenDatabaseError(f"数据库文件“{path}”{reason}，无法使用。文件未作改动。")
    if reason.startswith("数据库操作失败"):
        return DatabaseError(f"数据库“{path}”{reason.removeprefix('数据库')}。")
    return DatabaseError(f"数据库“{path}”{reason}。")
