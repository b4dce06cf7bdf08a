"""Logging: uvicorn's own configuration, with credentials kept out of every line.

A key can turn up where it does not belong (`?api_key=` in a URL, a header quoted in an error
message), and a log is read by more people, and kept longer, than the database. So every handler the
server configures passes its records through `Redact`: the access log's request line loses its query
string (the API takes no query parameters, so nothing of use is lost), and anything shaped like an API
key or an `Authorization` value is masked, in messages and tracebacks alike.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

MASK = "[redacted]"
_SECRETS = (
    re.compile(r"\b(haiec_(?:live|test)_)[A-Za-z0-9_-]+"),
    re.compile(r"(?i)\b(bearer\s+|basic\s+)[^\s'\",]+"),
    re.compile(r"""((?i:authorization)['"]?\s*[:=,]\s*(?:b?['"])?)[^'"\r\n]+"""),
    re.compile(r"(?i)\b((?:api[_-]?key|access[_-]?token|token|key)=)[^&\s'\"]+"),
)


def mask(text: str) -> str:
    """`text` with every credential-shaped value replaced by `[redacted]` (what names it is kept)."""
    for pattern in _SECRETS:
        text = pattern.sub(rf"\g<1>{MASK}", text)
    return text


def without_query(target: str) -> str:
    path, question, _ = target.partition("?")
    return f"{path}?{MASK}" if question else path


class Redact(logging.Filter):
    """Masks credentials in a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            # uvicorn's access formatter reads these five arguments: the request target is the third
            client, method, target, version, status = record.args
            record.args = (client, method, mask(without_query(str(target))), version, status)
        else:
            message = record.getMessage()
            masked = mask(message)
            if masked != message:
                record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return True


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging configuration, every handler redacting, and the server's own logger at `level`."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": Redact}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    config["loggers"]["reference_server"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config
