# Generated from ui/room_page.ui by scripts/build_ui.py: do not edit, edit the form.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'room_page.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QGridLayout,
    QHBoxLayout, QLabel, QListView, QPushButton,
    QScrollArea, QSizePolicy, QSlider, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_RoomPage(object):
    def setupUi(self, RoomPage):
        if not RoomPage.objectName():
            RoomPage.setObjectName(u"RoomPage")
        self.outerLayout = QVBoxLayout(RoomPage)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(0, 0, 0, 0)
        self.scrollArea = QScrollArea(RoomPage)
        self.scrollArea.setObjectName(u"scrollArea")
        self.scrollArea.setFrameShape(QFrame.Shape.NoFrame)
        self.scrollArea.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scrollArea.setWidgetResizable(True)
        self.roomContent = QWidget()
        self.roomContent.setObjectName(u"roomContent")
        self.roomLayout = QHBoxLayout(self.roomContent)
        self.roomLayout.setSpacing(16)
        self.roomLayout.setObjectName(u"roomLayout")
        self.leftSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.roomLayout.addItem(self.leftSpacer)

        self.column = QWidget(self.roomContent)
        self.column.setObjectName(u"column")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.column.sizePolicy().hasHeightForWidth())
        self.column.setSizePolicy(sizePolicy)
        self.column.setMaximumSize(QSize(480, 16777215))
        self.columnLayout = QVBoxLayout(self.column)
        self.columnLayout.setSpacing(10)
        self.columnLayout.setObjectName(u"columnLayout")
        self.columnLayout.setContentsMargins(0, 0, 0, 0)
        self.partyNameLabel = QLabel(self.column)
        self.partyNameLabel.setObjectName(u"partyNameLabel")
        self.partyNameLabel.setWordWrap(True)

        self.columnLayout.addWidget(self.partyNameLabel)

        self.roleLabel = QLabel(self.column)
        self.roleLabel.setObjectName(u"roleLabel")

        self.columnLayout.addWidget(self.roleLabel)

        self.codeCard = QFrame(self.column)
        self.codeCard.setObjectName(u"codeCard")
        self.codeCardLayout = QGridLayout(self.codeCard)
        self.codeCardLayout.setObjectName(u"codeCardLayout")
        self.codeCardLayout.setHorizontalSpacing(18)
        self.codeCaption = QLabel(self.codeCard)
        self.codeCaption.setObjectName(u"codeCaption")

        self.codeCardLayout.addWidget(self.codeCaption, 0, 0, 1, 1)

        self.pinCaption = QLabel(self.codeCard)
        self.pinCaption.setObjectName(u"pinCaption")

        self.codeCardLayout.addWidget(self.pinCaption, 0, 1, 1, 1)

        self.codeSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.codeCardLayout.addItem(self.codeSpacer, 0, 2, 1, 1)

        self.codeLabel = QLabel(self.codeCard)
        self.codeLabel.setObjectName(u"codeLabel")
        self.codeLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.codeCardLayout.addWidget(self.codeLabel, 1, 0, 1, 1)

        self.pinValueLabel = QLabel(self.codeCard)
        self.pinValueLabel.setObjectName(u"pinValueLabel")
        self.pinValueLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.codeCardLayout.addWidget(self.pinValueLabel, 1, 1, 1, 1)

        self.copyRow = QHBoxLayout()
        self.copyRow.setObjectName(u"copyRow")
        self.copyButton = QPushButton(self.codeCard)
        self.copyButton.setObjectName(u"copyButton")

        self.copyRow.addWidget(self.copyButton)

        self.copySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.copyRow.addItem(self.copySpacer)


        self.codeCardLayout.addLayout(self.copyRow, 2, 0, 1, 3)

        self.pinLabel = QLabel(self.codeCard)
        self.pinLabel.setObjectName(u"pinLabel")
        self.pinLabel.setWordWrap(True)

        self.codeCardLayout.addWidget(self.pinLabel, 3, 0, 1, 3)

        self.addressesLabel = QLabel(self.codeCard)
        self.addressesLabel.setObjectName(u"addressesLabel")
        self.addressesLabel.setWordWrap(True)
        self.addressesLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.codeCardLayout.addWidget(self.addressesLabel, 4, 0, 1, 3)

        self.loopbackNote = QLabel(self.codeCard)
        self.loopbackNote.setObjectName(u"loopbackNote")
        self.loopbackNote.setWordWrap(True)

        self.codeCardLayout.addWidget(self.loopbackNote, 5, 0, 1, 3)


        self.columnLayout.addWidget(self.codeCard)

        self.lidWarning = QLabel(self.column)
        self.lidWarning.setObjectName(u"lidWarning")
        self.lidWarning.setWordWrap(True)

        self.columnLayout.addWidget(self.lidWarning)

        self.statusRow = QWidget(self.column)
        self.statusRow.setObjectName(u"statusRow")
        self.statusRowLayout = QHBoxLayout(self.statusRow)
        self.statusRowLayout.setObjectName(u"statusRowLayout")
        self.statusRowLayout.setContentsMargins(0, 0, 0, 0)
        self.statusLabel = QLabel(self.statusRow)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy1.setHorizontalStretch(1)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.statusLabel.sizePolicy().hasHeightForWidth())
        self.statusLabel.setSizePolicy(sizePolicy1)

        self.statusRowLayout.addWidget(self.statusLabel)

        self.giveUpButton = QPushButton(self.statusRow)
        self.giveUpButton.setObjectName(u"giveUpButton")

        self.statusRowLayout.addWidget(self.giveUpButton)


        self.columnLayout.addWidget(self.statusRow)

        self.membersHeader = QHBoxLayout()
        self.membersHeader.setObjectName(u"membersHeader")
        self.countLabel = QLabel(self.column)
        self.countLabel.setObjectName(u"countLabel")

        self.membersHeader.addWidget(self.countLabel)

        self.membersSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.membersHeader.addItem(self.membersSpacer)

        self.removeGuestButton = QPushButton(self.column)
        self.removeGuestButton.setObjectName(u"removeGuestButton")

        self.membersHeader.addWidget(self.removeGuestButton)


        self.columnLayout.addLayout(self.membersHeader)

        self.memberList = QListView(self.column)
        self.memberList.setObjectName(u"memberList")
        self.memberList.setMinimumSize(QSize(0, 120))
        self.memberList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.memberList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.memberList.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.columnLayout.addWidget(self.memberList)

        self.leaveButton = QPushButton(self.column)
        self.leaveButton.setObjectName(u"leaveButton")

        self.columnLayout.addWidget(self.leaveButton)


        self.roomLayout.addWidget(self.column)

        self.playerCard = QFrame(self.roomContent)
        self.playerCard.setObjectName(u"playerCard")
        sizePolicy.setHeightForWidth(self.playerCard.sizePolicy().hasHeightForWidth())
        self.playerCard.setSizePolicy(sizePolicy)
        self.playerCard.setMaximumSize(QSize(480, 16777215))
        self.playerLayout = QVBoxLayout(self.playerCard)
        self.playerLayout.setSpacing(8)
        self.playerLayout.setObjectName(u"playerLayout")
        self.nowPlayingRow = QHBoxLayout()
        self.nowPlayingRow.setSpacing(12)
        self.nowPlayingRow.setObjectName(u"nowPlayingRow")
        self.coverLabel = QLabel(self.playerCard)
        self.coverLabel.setObjectName(u"coverLabel")
        self.coverLabel.setMinimumSize(QSize(72, 72))
        self.coverLabel.setMaximumSize(QSize(72, 72))
        self.coverLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.nowPlayingRow.addWidget(self.coverLabel)

        self.nowPlayingText = QVBoxLayout()
        self.nowPlayingText.setSpacing(4)
        self.nowPlayingText.setObjectName(u"nowPlayingText")
        self.nowPlayingCaption = QLabel(self.playerCard)
        self.nowPlayingCaption.setObjectName(u"nowPlayingCaption")

        self.nowPlayingText.addWidget(self.nowPlayingCaption)

        self.trackTitleLabel = QLabel(self.playerCard)
        self.trackTitleLabel.setObjectName(u"trackTitleLabel")
        self.trackTitleLabel.setWordWrap(True)

        self.nowPlayingText.addWidget(self.trackTitleLabel)

        self.trackArtistLabel = QLabel(self.playerCard)
        self.trackArtistLabel.setObjectName(u"trackArtistLabel")

        self.nowPlayingText.addWidget(self.trackArtistLabel)


        self.nowPlayingRow.addLayout(self.nowPlayingText)


        self.playerLayout.addLayout(self.nowPlayingRow)

        self.positionRow = QHBoxLayout()
        self.positionRow.setObjectName(u"positionRow")
        self.elapsedLabel = QLabel(self.playerCard)
        self.elapsedLabel.setObjectName(u"elapsedLabel")

        self.positionRow.addWidget(self.elapsedLabel)

        self.positionSlider = QSlider(self.playerCard)
        self.positionSlider.setObjectName(u"positionSlider")
        self.positionSlider.setOrientation(Qt.Orientation.Horizontal)
        self.positionSlider.setPageStep(10000)
        self.positionSlider.setSingleStep(5000)

        self.positionRow.addWidget(self.positionSlider)

        self.durationLabel = QLabel(self.playerCard)
        self.durationLabel.setObjectName(u"durationLabel")

        self.positionRow.addWidget(self.durationLabel)


        self.playerLayout.addLayout(self.positionRow)

        self.transportRow = QHBoxLayout()
        self.transportRow.setObjectName(u"transportRow")
        self.transportLeft = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.transportRow.addItem(self.transportLeft)

        self.previousButton = QPushButton(self.playerCard)
        self.previousButton.setObjectName(u"previousButton")

        self.transportRow.addWidget(self.previousButton)

        self.playPauseButton = QPushButton(self.playerCard)
        self.playPauseButton.setObjectName(u"playPauseButton")

        self.transportRow.addWidget(self.playPauseButton)

        self.nextButton = QPushButton(self.playerCard)
        self.nextButton.setObjectName(u"nextButton")

        self.transportRow.addWidget(self.nextButton)

        self.transportRight = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.transportRow.addItem(self.transportRight)


        self.playerLayout.addLayout(self.transportRow)

        self.levelsLayout = QGridLayout()
        self.levelsLayout.setObjectName(u"levelsLayout")
        self.volumeLabel = QLabel(self.playerCard)
        self.volumeLabel.setObjectName(u"volumeLabel")

        self.levelsLayout.addWidget(self.volumeLabel, 0, 0, 1, 1)

        self.volumeSlider = QSlider(self.playerCard)
        self.volumeSlider.setObjectName(u"volumeSlider")
        self.volumeSlider.setMaximum(100)
        self.volumeSlider.setValue(100)
        self.volumeSlider.setPageStep(10)
        self.volumeSlider.setOrientation(Qt.Orientation.Horizontal)

        self.levelsLayout.addWidget(self.volumeSlider, 0, 1, 1, 2)

        self.volumeValueLabel = QLabel(self.playerCard)
        self.volumeValueLabel.setObjectName(u"volumeValueLabel")
        self.volumeValueLabel.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.volumeValueLabel.setMinimumSize(QSize(52, 0))

        self.levelsLayout.addWidget(self.volumeValueLabel, 0, 3, 1, 1)

        self.localVolumeLabel = QLabel(self.playerCard)
        self.localVolumeLabel.setObjectName(u"localVolumeLabel")

        self.levelsLayout.addWidget(self.localVolumeLabel, 1, 0, 1, 1)

        self.muteButton = QPushButton(self.playerCard)
        self.muteButton.setObjectName(u"muteButton")
        self.muteButton.setCheckable(True)

        self.levelsLayout.addWidget(self.muteButton, 1, 1, 1, 1)

        self.localVolumeSlider = QSlider(self.playerCard)
        self.localVolumeSlider.setObjectName(u"localVolumeSlider")
        self.localVolumeSlider.setMaximum(100)
        self.localVolumeSlider.setValue(100)
        self.localVolumeSlider.setPageStep(10)
        self.localVolumeSlider.setOrientation(Qt.Orientation.Horizontal)

        self.levelsLayout.addWidget(self.localVolumeSlider, 1, 2, 1, 1)

        self.localVolumeValueLabel = QLabel(self.playerCard)
        self.localVolumeValueLabel.setObjectName(u"localVolumeValueLabel")
        self.localVolumeValueLabel.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.localVolumeValueLabel.setMinimumSize(QSize(52, 0))

        self.levelsLayout.addWidget(self.localVolumeValueLabel, 1, 3, 1, 1)

        self.delayLabel = QLabel(self.playerCard)
        self.delayLabel.setObjectName(u"delayLabel")

        self.levelsLayout.addWidget(self.delayLabel, 2, 0, 1, 1)

        self.delaySlider = QSlider(self.playerCard)
        self.delaySlider.setObjectName(u"delaySlider")
        self.delaySlider.setMaximum(500)
        self.delaySlider.setSingleStep(1)
        self.delaySlider.setPageStep(10)
        self.delaySlider.setOrientation(Qt.Orientation.Horizontal)

        self.levelsLayout.addWidget(self.delaySlider, 2, 1, 1, 2)

        self.delayValueLabel = QLabel(self.playerCard)
        self.delayValueLabel.setObjectName(u"delayValueLabel")
        self.delayValueLabel.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)
        self.delayValueLabel.setMinimumSize(QSize(52, 0))

        self.levelsLayout.addWidget(self.delayValueLabel, 2, 3, 1, 1)


        self.playerLayout.addLayout(self.levelsLayout)

        self.syncLabel = QLabel(self.playerCard)
        self.syncLabel.setObjectName(u"syncLabel")

        self.playerLayout.addWidget(self.syncLabel)

        self.audioNoteLabel = QLabel(self.playerCard)
        self.audioNoteLabel.setObjectName(u"audioNoteLabel")
        self.audioNoteLabel.setWordWrap(True)

        self.playerLayout.addWidget(self.audioNoteLabel)

        self.queueHeader = QHBoxLayout()
        self.queueHeader.setObjectName(u"queueHeader")
        self.queueTitle = QLabel(self.playerCard)
        self.queueTitle.setObjectName(u"queueTitle")

        self.queueHeader.addWidget(self.queueTitle)

        self.queueSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.queueHeader.addItem(self.queueSpacer)

        self.addMusicButton = QPushButton(self.playerCard)
        self.addMusicButton.setObjectName(u"addMusicButton")

        self.queueHeader.addWidget(self.addMusicButton)


        self.playerLayout.addLayout(self.queueHeader)

        self.queueList = QListView(self.playerCard)
        self.queueList.setObjectName(u"queueList")
        self.queueList.setMinimumSize(QSize(0, 180))
        self.queueList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queueList.setAcceptDrops(True)
        self.queueList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queueList.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queueList.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.queueList.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.queueList.setProperty(u"showDropIndicator", True)
        self.queueList.setUniformItemSizes(True)

        self.playerLayout.addWidget(self.queueList)

        self.noticeBar = QFrame(self.playerCard)
        self.noticeBar.setObjectName(u"noticeBar")
        self.noticeLayout = QHBoxLayout(self.noticeBar)
        self.noticeLayout.setObjectName(u"noticeLayout")
        self.noticeLayout.setContentsMargins(10, 4, 4, 4)
        self.noticeLabel = QLabel(self.noticeBar)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        sizePolicy1.setHeightForWidth(self.noticeLabel.sizePolicy().hasHeightForWidth())
        self.noticeLabel.setSizePolicy(sizePolicy1)

        self.noticeLayout.addWidget(self.noticeLabel)

        self.undoButton = QPushButton(self.noticeBar)
        self.undoButton.setObjectName(u"undoButton")

        self.noticeLayout.addWidget(self.undoButton)


        self.playerLayout.addWidget(self.noticeBar)

        self.queueHintLabel = QLabel(self.playerCard)
        self.queueHintLabel.setObjectName(u"queueHintLabel")
        self.queueHintLabel.setWordWrap(True)

        self.playerLayout.addWidget(self.queueHintLabel)


        self.roomLayout.addWidget(self.playerCard)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.roomLayout.addItem(self.rightSpacer)

        self.scrollArea.setWidget(self.roomContent)

        self.outerLayout.addWidget(self.scrollArea)

#if QT_CONFIG(shortcut)
        self.volumeLabel.setBuddy(self.volumeSlider)
        self.localVolumeLabel.setBuddy(self.localVolumeSlider)
        self.delayLabel.setBuddy(self.delaySlider)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.copyButton, self.giveUpButton)
        QWidget.setTabOrder(self.giveUpButton, self.memberList)
        QWidget.setTabOrder(self.memberList, self.removeGuestButton)
        QWidget.setTabOrder(self.removeGuestButton, self.leaveButton)
        QWidget.setTabOrder(self.leaveButton, self.playPauseButton)
        QWidget.setTabOrder(self.playPauseButton, self.previousButton)
        QWidget.setTabOrder(self.previousButton, self.nextButton)
        QWidget.setTabOrder(self.nextButton, self.positionSlider)
        QWidget.setTabOrder(self.positionSlider, self.volumeSlider)
        QWidget.setTabOrder(self.volumeSlider, self.muteButton)
        QWidget.setTabOrder(self.muteButton, self.localVolumeSlider)
        QWidget.setTabOrder(self.localVolumeSlider, self.delaySlider)
        QWidget.setTabOrder(self.delaySlider, self.addMusicButton)
        QWidget.setTabOrder(self.addMusicButton, self.queueList)
        QWidget.setTabOrder(self.queueList, self.undoButton)

        self.retranslateUi(RoomPage)

        QMetaObject.connectSlotsByName(RoomPage)
    # setupUi

    def retranslateUi(self, RoomPage):
#if QT_CONFIG(accessibility)
        RoomPage.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party room", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.partyNameLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party name", None))
#endif // QT_CONFIG(accessibility)
        self.partyNameLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"title", None))
#if QT_CONFIG(accessibility)
        self.roleLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Your role", None))
#endif // QT_CONFIG(accessibility)
        self.roleLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
        self.codeCard.setProperty(u"role", QCoreApplication.translate("RoomPage", u"card", None))
        self.codeCaption.setText(QCoreApplication.translate("RoomPage", u"Party code", None))
        self.codeCaption.setProperty(u"role", QCoreApplication.translate("RoomPage", u"caption", None))
        self.pinCaption.setText(QCoreApplication.translate("RoomPage", u"PIN", None))
        self.pinCaption.setProperty(u"role", QCoreApplication.translate("RoomPage", u"caption", None))
#if QT_CONFIG(accessibility)
        self.codeLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party code", None))
#endif // QT_CONFIG(accessibility)
        self.codeLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"code", None))
#if QT_CONFIG(accessibility)
        self.pinValueLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinValueLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"code", None))
        self.copyButton.setText(QCoreApplication.translate("RoomPage", u"&Copy code", None))
#if QT_CONFIG(accessibility)
        self.copyButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Copy the party code", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pinLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Who may join", None))
#endif // QT_CONFIG(accessibility)
        self.pinLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
#if QT_CONFIG(accessibility)
        self.addressesLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Addresses for joining by hand", None))
#endif // QT_CONFIG(accessibility)
        self.addressesLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
        self.loopbackNote.setText(QCoreApplication.translate("RoomPage", u"Only this laptop's own address is offered: other laptops cannot use it.", None))
        self.loopbackNote.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
        self.lidWarning.setText(QCoreApplication.translate("RoomPage", u"Keep this laptop awake and its lid open: closing it pauses the party for everyone.", None))
        self.lidWarning.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
#if QT_CONFIG(accessibility)
        self.statusLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Connection status", None))
#endif // QT_CONFIG(accessibility)
        self.statusLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
        self.giveUpButton.setText(QCoreApplication.translate("RoomPage", u"&Give up", None))
#if QT_CONFIG(accessibility)
        self.giveUpButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Stop reconnecting", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.countLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Members connected", None))
#endif // QT_CONFIG(accessibility)
        self.countLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"section", None))
        self.removeGuestButton.setText(QCoreApplication.translate("RoomPage", u"&Remove guest", None))
#if QT_CONFIG(tooltip)
        self.removeGuestButton.setToolTip(QCoreApplication.translate("RoomPage", u"Remove the selected guest from the party (Delete)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.removeGuestButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Remove the selected guest from the party", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.memberList.setAccessibleName(QCoreApplication.translate("RoomPage", u"Members", None))
#endif // QT_CONFIG(accessibility)
        self.leaveButton.setText(QCoreApplication.translate("RoomPage", u"&Leave", None))
#if QT_CONFIG(accessibility)
        self.leaveButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Leave the party", None))
#endif // QT_CONFIG(accessibility)
        self.leaveButton.setProperty(u"role", QCoreApplication.translate("RoomPage", u"danger", None))
#if QT_CONFIG(accessibility)
        self.playerCard.setAccessibleName(QCoreApplication.translate("RoomPage", u"Player", None))
#endif // QT_CONFIG(accessibility)
        self.playerCard.setProperty(u"role", QCoreApplication.translate("RoomPage", u"card", None))
#if QT_CONFIG(accessibility)
        self.coverLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Cover art", None))
#endif // QT_CONFIG(accessibility)
        self.nowPlayingCaption.setText(QCoreApplication.translate("RoomPage", u"Now playing", None))
        self.nowPlayingCaption.setProperty(u"role", QCoreApplication.translate("RoomPage", u"caption", None))
#if QT_CONFIG(accessibility)
        self.trackTitleLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Track title", None))
#endif // QT_CONFIG(accessibility)
        self.trackTitleLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"section", None))
#if QT_CONFIG(accessibility)
        self.trackArtistLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Artist", None))
#endif // QT_CONFIG(accessibility)
        self.trackArtistLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
#if QT_CONFIG(accessibility)
        self.elapsedLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Elapsed time", None))
#endif // QT_CONFIG(accessibility)
        self.elapsedLabel.setText(QCoreApplication.translate("RoomPage", u"0:00", None))
#if QT_CONFIG(accessibility)
        self.positionSlider.setAccessibleName(QCoreApplication.translate("RoomPage", u"Position in the track", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.durationLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Track length", None))
#endif // QT_CONFIG(accessibility)
        self.durationLabel.setText(QCoreApplication.translate("RoomPage", u"0:00", None))
        self.previousButton.setText("")
#if QT_CONFIG(tooltip)
        self.previousButton.setToolTip(QCoreApplication.translate("RoomPage", u"Previous (Ctrl+Left)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.previousButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Previous track", None))
#endif // QT_CONFIG(accessibility)
        self.previousButton.setProperty(u"role", QCoreApplication.translate("RoomPage", u"transport", None))
        self.playPauseButton.setText("")
#if QT_CONFIG(tooltip)
        self.playPauseButton.setToolTip(QCoreApplication.translate("RoomPage", u"Play or pause (Space)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.playPauseButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Play", None))
#endif // QT_CONFIG(accessibility)
        self.playPauseButton.setProperty(u"role", QCoreApplication.translate("RoomPage", u"primary-round", None))
        self.nextButton.setText("")
#if QT_CONFIG(tooltip)
        self.nextButton.setToolTip(QCoreApplication.translate("RoomPage", u"Next (Ctrl+Right)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.nextButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Next track", None))
#endif // QT_CONFIG(accessibility)
        self.nextButton.setProperty(u"role", QCoreApplication.translate("RoomPage", u"transport", None))
        self.volumeLabel.setText(QCoreApplication.translate("RoomPage", u"Party &volume", None))
#if QT_CONFIG(accessibility)
        self.volumeSlider.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party volume", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.volumeSlider.setAccessibleDescription(QCoreApplication.translate("RoomPage", u"Everyone's loudness: the host sets it for the party", None))
#endif // QT_CONFIG(accessibility)
        self.volumeValueLabel.setText(QCoreApplication.translate("RoomPage", u"100%", None))
        self.localVolumeLabel.setText(QCoreApplication.translate("RoomPage", u"This &laptop", None))
        self.muteButton.setText(QCoreApplication.translate("RoomPage", u"&Mute", None))
#if QT_CONFIG(tooltip)
        self.muteButton.setToolTip(QCoreApplication.translate("RoomPage", u"Silence this laptop only (M)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.muteButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Mute this laptop", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.localVolumeSlider.setAccessibleName(QCoreApplication.translate("RoomPage", u"This laptop's volume", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.localVolumeSlider.setAccessibleDescription(QCoreApplication.translate("RoomPage", u"Only this laptop's loudness, on top of the party volume", None))
#endif // QT_CONFIG(accessibility)
        self.localVolumeValueLabel.setText(QCoreApplication.translate("RoomPage", u"100%", None))
        self.delayLabel.setText(QCoreApplication.translate("RoomPage", u"Speaker &delay", None))
#if QT_CONFIG(accessibility)
        self.delaySlider.setAccessibleName(QCoreApplication.translate("RoomPage", u"Speaker delay in milliseconds", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.delaySlider.setAccessibleDescription(QCoreApplication.translate("RoomPage", u"For Bluetooth speakers or slow sound cards: this computer plays that much earlier", None))
#endif // QT_CONFIG(accessibility)
        self.delayValueLabel.setText(QCoreApplication.translate("RoomPage", u"0 ms", None))
#if QT_CONFIG(accessibility)
        self.syncLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Sync status", None))
#endif // QT_CONFIG(accessibility)
        self.syncLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
        self.audioNoteLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
        self.queueTitle.setText(QCoreApplication.translate("RoomPage", u"Queue", None))
        self.queueTitle.setProperty(u"role", QCoreApplication.translate("RoomPage", u"section", None))
        self.addMusicButton.setText(QCoreApplication.translate("RoomPage", u"&Add music\u2026", None))
#if QT_CONFIG(accessibility)
        self.addMusicButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Add music files to the queue", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.queueList.setAccessibleName(QCoreApplication.translate("RoomPage", u"Queue", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.queueList.setAccessibleDescription(QCoreApplication.translate("RoomPage", u"Double-click or Enter plays a track; drag to reorder; Delete removes the selected one (host only)", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.noticeBar.setAccessibleName(QCoreApplication.translate("RoomPage", u"Notice", None))
#endif // QT_CONFIG(accessibility)
        self.noticeBar.setProperty(u"role", QCoreApplication.translate("RoomPage", u"notice", None))
        self.undoButton.setText(QCoreApplication.translate("RoomPage", u"&Undo", None))
#if QT_CONFIG(tooltip)
        self.undoButton.setToolTip(QCoreApplication.translate("RoomPage", u"Put the track back (Ctrl+Z)", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(accessibility)
        self.undoButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Undo the removal", None))
#endif // QT_CONFIG(accessibility)
        self.queueHintLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"empty", None))
    # retranslateUi

