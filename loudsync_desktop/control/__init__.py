"""One controller per role, shared by the app and the command line.

``HostController`` and ``GuestController`` run a party's lifecycle in plain
asyncio (no Qt): the server or the connection, discovery, playback and this
computer's speakers, with typed events out and one ordered shutdown. The
QObject SessionModel and the ``host``/``join`` commands are two faces over
them. See docs/CONTROLLERS.md.
"""
