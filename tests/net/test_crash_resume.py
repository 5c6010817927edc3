"""A host that crashes and is started again (``host --resume``), over real sockets and real
processes on 127.0.0.1: the saved party, its tokens, and what a resume says when it cannot.
"""

from __future__ import annotations

import json
import signal
import stat

import pytest

from loudsync_desktop.net.server import HostServer
from loudsync_desktop.persistence import SessionStore
from loudsync_desktop.protocol.host import HostConfig
from tests.net.helpers import CLI_HOST_ARGS as HOST_ARGS
from tests.net.helpers import cli_join_args as join_args
from tests.support import RawGuest, wait_until
from testsupport.rawws import SESSION_ID as SID


async def test_a_killed_host_resumes_its_party_and_the_guest_comes_back(cli, data_dir):
    saved = data_dir / "host-session.json"
    host = await cli(*HOST_ARGS, "--name", "Friday")
    hosting = await host.first_event("hosting")
    port, session_id = hosting["port"], hosting["sessionId"]
    guest = await cli(*join_args(port, "ana"))
    await guest.first_event("welcome")
    joined = (await host.first_event("member_joined"))["member"]
    await wait_until(lambda: saved.exists() and "ana" in saved.read_text(),
                     what="the party with ana saved")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # it holds resume tokens
    # Nothing but the file is left behind by the atomic writes (and the log, diagnostics.py).
    assert [p.name for p in data_dir.iterdir() if not p.name.startswith("loudsync.log")] == \
        ["host-session.json"]

    host.proc.send_signal(signal.SIGKILL)
    assert await host.finish() == -signal.SIGKILL
    assert saved.exists()
    snapshot = json.loads(saved.read_text())
    assert snapshot["config"]["sessionId"] == session_id and snapshot["port"] == port
    await guest.first_event("reconnecting")

    resumed = await cli(*HOST_ARGS, "--resume")
    again = await resumed.first_event("hosting")
    assert (again["sessionId"], again["sessionName"], again["resumed"]) == \
        (session_id, "Friday", True)
    assert again["port"] == port  # its old port, so the guest finds it without discovery
    assert [(x["id"], x["connectionStatus"], x["joinedAt"]) for x in again["members"]][1:] == \
        [("ana", "reconnecting", joined["joinedAt"])]
    back = await resumed.first_event("member_updated", timeout=30)
    await guest.first_event("reconnected", timeout=30)
    assert back["member"] == {**joined, "connectionStatus": "connected"}  # same place
    assert not resumed.named("member_joined") and not resumed.named("member_left")
    [listed] = guest.named("member_list")[-1:]
    assert [x["id"] for x in listed["members"]][1:] == ["ana"]

    # SIGTERM ends the party on purpose: the guest is told, the saved file goes.
    resumed.proc.send_signal(signal.SIGTERM)
    assert await resumed.finish() == 0
    assert resumed.named("session_closed")
    assert not saved.exists()
    await guest.first_event("session_closed")
    assert await guest.finish() == 0


async def test_what_a_crash_leaves_behind_has_the_latest_tokens_even_after_a_takeover(tmp_path):
    """A guest whose old socket the host still thought alive takes it over and gets a new
    token; the saved party must hold that token, or the guest cannot resume after a crash."""
    store = SessionStore(tmp_path / "host-session.json")
    first = HostServer(HostConfig(SID, grace_ms=10_000), port=0, bind="127.0.0.1", store=store)
    await first.start()
    second = None
    guests: list[RawGuest] = []
    try:
        old = await RawGuest.connect(first.port)
        guests.append(old)
        token = (await old.join(SID, "laptop"))["payload"]["resumeToken"]
        new = await RawGuest.connect(first.port)
        guests.append(new)
        latest = (await new.join(SID, "laptop", resumeToken=token))["payload"]["resumeToken"]
        await old.wait_closed()
        await wait_until(lambda: latest in store.path.read_text(),
                         what="the new token saved")

        # The host dies here; what it saved comes back on another port.
        second = HostServer.resume(store.load(), bind="127.0.0.1")
        await second.start()
        back = await RawGuest.connect(second.port)
        guests.append(back)
        answer = await back.join(SID, "laptop", resumeToken=latest)
        assert answer["type"] == "WELCOME", answer
        assert [x.connection_status for x in second.members] == ["connected", "connected"]
    finally:
        for raw in guests:
            await raw.close()
        for server in (first, second):
            if server is not None:
                await server.stop()


@pytest.mark.parametrize("saved", ["nothing", "damaged", "not ours"])
async def test_resume_without_a_usable_saved_party_says_so(cli, data_dir, saved):
    path = data_dir / "host-session.json"
    if saved != "nothing":
        data_dir.mkdir()
        path.write_text('{"config": {' if saved == "damaged" else '{"version": 1, "guests": []}')
    host = await cli(*HOST_ARGS, "--resume")
    assert await host.finish() == 1
    assert host.events == [] and host.other_lines == []
    last = host.stderr.strip().splitlines()[-1]
    if saved == "not ours":
        assert last.startswith("loudsync host: cannot resume the saved party: "
                               "not a saved LoudSync party"), host.stderr
    else:
        assert last == f"loudsync host: no saved party to resume in {path}", host.stderr
    if saved == "damaged":  # set aside, not trusted and not lost
        assert not path.exists() and path.with_suffix(".damaged").read_text() == '{"config": {'
