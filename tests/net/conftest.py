import asyncio
import os
from pathlib import Path

import pytest

from loudsync_desktop.net.server import HostServer
from loudsync_desktop.protocol.guest import CONNECTED, GuestSession
from loudsync_desktop.protocol.host import HostConfig
from tests.net.helpers import CLI, REPO, LiveGuest
from tests.support import DEADLINE_S, EventProcess, wait_until


@pytest.fixture
async def start_host():
    """Factory: ``server = await start_host(max_members=3, ...)`` on 127.0.0.1, any port."""
    servers: list[HostServer] = []

    async def start(session_id: str = "ABC234", **config) -> HostServer:
        server = HostServer(HostConfig(session_id=session_id, **config), port=0, bind="127.0.0.1")
        await server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


@pytest.fixture(autouse=True)
async def no_task_leaks():
    """Every test must leave no asyncio task behind once its host has stopped."""
    before = asyncio.all_tasks()
    yield
    current = asyncio.current_task()
    deadline = asyncio.get_running_loop().time() + DEADLINE_S
    while True:
        left = {t for t in asyncio.all_tasks() - before if t is not current and not t.done()}
        if not left or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.02)
    assert not left, f"tasks left running: {left}"


@pytest.fixture
async def join_guest():
    """Factory: ``guest = await join_guest(server, "dev-1", "Alice")``, welcomed and listed.

    With ``wait=False`` it returns at once (for joins that are refused). Every
    guest still running at teardown leaves and its task is awaited.
    """
    guests: list[LiveGuest] = []

    async def join(server: HostServer, device_id: str, name: str | None = None, *,
                   wait: bool = True, session_id: str | None = None, **core_args) -> LiveGuest:
        core = GuestSession(session_id=session_id or server.config.session_id,
                            device_id=device_id, device_name=name or device_id,
                            app_version="test", **core_args)
        guest = LiveGuest(core, "127.0.0.1", server.port)
        guests.append(guest)
        if wait:
            await wait_until(lambda: guest.task.done()
                             or (core.status == CONNECTED and core.members),
                             what=f"{device_id} to be welcomed")
            if guest.task.done():
                raise AssertionError(f"{device_id} was not welcomed: {guest.task.result()!r}")
        return guest

    yield join
    for guest in guests:
        if not guest.task.done():
            await guest.connection.leave()
        try:
            await asyncio.wait_for(guest.task, DEADLINE_S)
        except Exception:  # noqa: BLE001 - the test itself reports what went wrong
            pass


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """The CLI's data folder (LOUDSYNC_DATA_DIR): where a host saves its party."""
    return tmp_path / "data"


@pytest.fixture
def cli_env(data_dir) -> dict:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "LOUDSYNC_DATA_DIR": str(data_dir)}


@pytest.fixture
async def cli(cli_env):
    """Factory: ``proc = await cli("join", ...)``, an EventProcess of the command line
    (``data=``: another data folder); anything still running at the end is killed."""
    started: list[EventProcess] = []

    async def start(*args: str, name: str | None = None, data: Path | None = None) -> EventProcess:
        env = cli_env if data is None else {**cli_env, "LOUDSYNC_DATA_DIR": str(data)}
        started.append(await EventProcess.start([*CLI, *args], name or " ".join(args[:2]),
                                                cwd=REPO, env=env))
        return started[-1]

    yield start
    for proc in started:
        await proc.reap()
