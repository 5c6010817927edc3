"""Each rule lives in one place: the PIN, the party size, the settings' types."""

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from loudsync_desktop.protocol.codes import is_pin
from loudsync_desktop.protocol.errors import LocalProtocolError
from loudsync_desktop.protocol.host import MAX_MEMBERS, MIN_MEMBERS, HostConfig
from loudsync_desktop.settings import (LAST_MAX_MEMBERS, Option, Settings, to_bool, to_bytes,
                                       to_int, to_str)

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", ["1234", "0000", "9876"])
def test_four_ascii_digits_are_a_pin(text):
    assert is_pin(text)


@pytest.mark.parametrize("text", ["١٢٣٤", "１２３４", "123", "12345", "12a4", " 1234", "", None])
def test_anything_else_is_not_a_pin(text):
    assert not is_pin(text)


def test_the_host_refuses_a_pin_in_other_digits():
    with pytest.raises(LocalProtocolError, match="a PIN is 4 digits"):
        HostConfig("ABC234", access="pin", pin="١٢٣٤")


def test_the_cli_refuses_a_pin_in_other_digits():
    done = subprocess.run([sys.executable, "-m", "loudsync_desktop", "join", "127.0.0.1:9",
                           "--pin", "١٢٣٤"], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "a PIN is 4 digits, like 1234" in done.stderr and "Traceback" not in done.stderr


def test_party_size_bounds_are_the_core_s():
    assert HostConfig("ABC234", max_members=MIN_MEMBERS).max_members == MIN_MEMBERS
    assert HostConfig("ABC234", max_members=MAX_MEMBERS).max_members == MAX_MEMBERS
    for bad in (MIN_MEMBERS - 1, MAX_MEMBERS + 1):
        with pytest.raises(LocalProtocolError):
            HostConfig("ABC234", max_members=bad)


# -- settings ------------------------------------------------------------------------------
FLAG = Option("test/flag", True, to_bool)


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def write_raw(settings: Settings, key: str, raw: str) -> Settings:
    """The file as a person might edit it, read back by a fresh QSettings."""
    path = settings.store.fileName()
    settings.store.sync()
    with open(path, "a", encoding="utf-8") as f:
        section, name = key.split("/")
        f.write(f"\n[{section}]\n{name}={raw}\n")
    return Settings(QSettings(path, QSettings.Format.IniFormat))


@pytest.mark.parametrize("raw, value", [("false", False), ("true", True), ("0", False),
                                        ("1", True), ("no", False), ("On", True)])
def test_a_bool_read_from_the_file_is_what_it_says(settings, raw, value):
    assert write_raw(settings, FLAG.key, raw).get(FLAG) is value


def test_a_bool_written_then_read_keeps_its_value(settings, tmp_path):
    settings.set(FLAG, False)
    settings.store.sync()
    again = Settings(QSettings(settings.store.fileName(), QSettings.Format.IniFormat))
    assert again.get(FLAG) is False


@pytest.mark.parametrize("raw", ["maybe", "2", ""])
def test_an_unreadable_bool_falls_back_to_the_default(settings, raw):
    assert write_raw(settings, FLAG.key, raw).get(FLAG) is True


@pytest.mark.parametrize("raw, value", [("12", 12), ("-3", -3), ("+7", 7)])
def test_an_int_read_from_the_file(settings, raw, value):
    assert write_raw(settings, LAST_MAX_MEMBERS.key, raw).get(LAST_MAX_MEMBERS) == value


@pytest.mark.parametrize("raw", ["twelve", "12.5", "true", "١٢"])
def test_an_unreadable_int_falls_back_to_the_default(settings, raw):
    assert write_raw(settings, LAST_MAX_MEMBERS.key, raw).get(LAST_MAX_MEMBERS) == 8


def test_the_saved_party_size_is_clamped_to_the_core_s_bounds(settings):
    settings.set(LAST_MAX_MEMBERS, 100_000)
    assert settings.max_members == MAX_MEMBERS
    settings.set(LAST_MAX_MEMBERS, 1)
    assert settings.max_members == MIN_MEMBERS


def test_converters_refuse_the_wrong_kind():
    for convert, bad in ((to_str, 3), (to_int, True), (to_int, 1.5), (to_bool, 2),
                         (to_bytes, "text")):
        with pytest.raises((TypeError, ValueError)):
            convert(bad)
    assert to_bytes(b"ab") == QByteArray(b"ab") and to_str("x") == "x" and to_int(5) == 5
