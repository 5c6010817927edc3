"""Session codes: six characters a person can read aloud across a noisy room."""

from __future__ import annotations

import re
import secrets

from .errors import InvalidSessionCode

# No 0/O, 1/I/L: they are confused when read aloud or written down.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
PIN_LENGTH = 4
_NOT_CODE_CHARS = re.compile(r"[^A-Z0-9]")
_CODE_SHAPE = re.compile(rf"[{CODE_ALPHABET}]{{3}}[- ]?[{CODE_ALPHABET}]{{3}}")


def generate_session_id(choice=secrets.choice) -> str:
    """A fresh session id as sent on the wire, e.g. ``ABC234``."""
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(session_id: str) -> str:
    """``ABC234`` -> ``ABC-234``, the form shown to people."""
    return f"{session_id[:3]}-{session_id[3:]}"


def strip_code(text: str) -> str:
    """Upper-case and drop everything but A-Z and 0-9 (no length check)."""
    return _NOT_CODE_CHARS.sub("", text.upper())


def normalize_code(text: str) -> str:
    """Typed text -> wire session id; raises InvalidSessionCode with a reason."""
    cleaned = strip_code(text)
    if not cleaned:
        raise InvalidSessionCode("Enter the 6-character party code, like ABC-234.")
    if len(cleaned) != CODE_LENGTH:
        raise InvalidSessionCode(
            f"A party code has {CODE_LENGTH} letters and digits; "
            f"'{text.strip()}' has {len(cleaned)}."
        )
    return cleaned


def format_partial_code(text: str) -> str:
    """Format what has been typed so far, for a field that formats as you type."""
    cleaned = strip_code(text)[:CODE_LENGTH]
    return cleaned if len(cleaned) <= 3 else format_code(cleaned)


def looks_like_code(text: str) -> bool:
    """True for ``ABC-234``, ``abc 234``, ``abc234``: a code rather than a host name.

    Host names are told apart by a dot, colon or slash, or by a letter a code
    never has (0 O 1 I L); a bare six-letter host name needs its port.
    """
    return _CODE_SHAPE.fullmatch(text.strip().upper()) is not None


_ANY_CODE_SHAPE = re.compile(r"[A-Z0-9]{3}[- ][A-Z0-9]{3}")


def check_code_shape(text: str) -> None:
    """Refuse text written like a code (``JON-234``) that no code can be: a code never
    holds 0 O 1 I L. Host names without a dash or space are left to the caller."""
    upper = text.strip().upper()
    if _ANY_CODE_SHAPE.fullmatch(upper) and not looks_like_code(upper):
        bad = sorted({ch for ch in upper if ch.isalnum() and ch not in CODE_ALPHABET})
        raise InvalidSessionCode(
            f"'{text.strip()}' is not a party code: codes never contain {', '.join(bad)} "
            "(LoudSync leaves out 0, O, 1, I and L so codes can be read aloud).")


def is_pin(text: str | None) -> bool:
    """The one PIN rule: exactly 4 ASCII digits. ``isdigit()`` alone would let '١٢٣٤'
    (Arabic-Indic digits) through, and the host compares bytes, so it could never match."""
    return text is not None and len(text) == PIN_LENGTH and text.isascii() and text.isdigit()
