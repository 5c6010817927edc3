from tests.support import RawGuest


async def test_guest_joins_and_gets_welcome_and_member_list(start_host):
    server = await start_host(host_name="Party Host")
    guest = await RawGuest.connect(server.port)
    welcome = await guest.join("ABC234", "device-456", "Android")
    assert welcome["type"] == "WELCOME"
    assert welcome["payload"]["deviceId"] == "device-456"
    members = (await guest.expect("MEMBER_LIST"))["payload"]["members"]
    assert [(x["name"], x["role"]) for x in members] == \
        [("Party Host", "host"), ("Android", "client")]
    await guest.close()
