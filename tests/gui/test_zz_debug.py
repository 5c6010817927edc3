from tests.gui.test_room import add_music, open_host_page, create, ACCESS_PIN, music
def test_debug(qtbot, make_window, music):
    folder, names = music
    host = make_window("Hosty")
    open_host_page(qtbot, host, ACCESS_PIN)
    host.host_page.ui.pinEdit.setText("4821")
    create(qtbot, host)
    add_music(qtbot, host, folder, names)
    host.resize(440, 560)
    qtbot.wait(100)
    r = host.room
    for w in [r, r.ui.scrollArea, r.ui.roomContent, r.ui.column, r.ui.playerCard, r.ui.codeCard, r.ui.statusRow, r.ui.noticeBar, r.ui.lidWarning, r.ui.partyNameLabel, r.ui.codeLabel, r.ui.pinValueLabel, r.ui.copyButton, r.ui.muteButton, r.ui.localVolumeSlider, r.ui.queueList, r.ui.memberList, r.ui.addressesLabel, r.ui.leaveButton]:
        print(w.objectName(), w.minimumSizeHint(), w.sizeHint(), w.geometry())
    print(r.ui.levelsLayout.minimumSize(), r.ui.transportRow.minimumSize(), r.ui.positionRow.minimumSize(), r.ui.queueHeader.minimumSize())
    assert 0
