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
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_RoomPage(object):
    def setupUi(self, RoomPage):
        if not RoomPage.objectName():
            RoomPage.setObjectName(u"RoomPage")
        self.outerLayout = QHBoxLayout(RoomPage)
        self.outerLayout.setObjectName(u"outerLayout")
        self.leftSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.leftSpacer)

        self.column = QWidget(RoomPage)
        self.column.setObjectName(u"column")
        self.column.setMaximumSize(QSize(480, 16777215))
        self.column.setMinimumSize(QSize(340, 0))
        self.columnLayout = QVBoxLayout(self.column)
        self.columnLayout.setSpacing(10)
        self.columnLayout.setObjectName(u"columnLayout")
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
        self.codeCaption = QLabel(self.codeCard)
        self.codeCaption.setObjectName(u"codeCaption")

        self.codeCardLayout.addWidget(self.codeCaption, 0, 0, 1, 2)

        self.codeLabel = QLabel(self.codeCard)
        self.codeLabel.setObjectName(u"codeLabel")
        self.codeLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.codeCardLayout.addWidget(self.codeLabel, 1, 0, 1, 1)

        self.copyButton = QPushButton(self.codeCard)
        self.copyButton.setObjectName(u"copyButton")

        self.codeCardLayout.addWidget(self.copyButton, 1, 1, 1, 1)

        self.addressesLabel = QLabel(self.codeCard)
        self.addressesLabel.setObjectName(u"addressesLabel")
        self.addressesLabel.setWordWrap(True)
        self.addressesLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.codeCardLayout.addWidget(self.addressesLabel, 2, 0, 1, 2)


        self.columnLayout.addWidget(self.codeCard)

        self.lidWarning = QLabel(self.column)
        self.lidWarning.setObjectName(u"lidWarning")
        self.lidWarning.setWordWrap(True)

        self.columnLayout.addWidget(self.lidWarning)

        self.statusLabel = QLabel(self.column)
        self.statusLabel.setObjectName(u"statusLabel")
        self.statusLabel.setWordWrap(True)

        self.columnLayout.addWidget(self.statusLabel)

        self.countLabel = QLabel(self.column)
        self.countLabel.setObjectName(u"countLabel")

        self.columnLayout.addWidget(self.countLabel)

        self.memberList = QListView(self.column)
        self.memberList.setObjectName(u"memberList")
        self.memberList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.memberList.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.columnLayout.addWidget(self.memberList)

        self.leaveButton = QPushButton(self.column)
        self.leaveButton.setObjectName(u"leaveButton")

        self.columnLayout.addWidget(self.leaveButton)


        self.outerLayout.addWidget(self.column)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.rightSpacer)

        QWidget.setTabOrder(self.copyButton, self.memberList)
        QWidget.setTabOrder(self.memberList, self.leaveButton)

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
#if QT_CONFIG(accessibility)
        self.codeLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Party code", None))
#endif // QT_CONFIG(accessibility)
        self.codeLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"code", None))
        self.copyButton.setText(QCoreApplication.translate("RoomPage", u"&Copy", None))
#if QT_CONFIG(accessibility)
        self.copyButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Copy the party code", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.addressesLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Addresses for joining by hand", None))
#endif // QT_CONFIG(accessibility)
        self.addressesLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"subtitle", None))
        self.lidWarning.setText(QCoreApplication.translate("RoomPage", u"Keep this laptop awake and its lid open: closing it pauses the party for everyone.", None))
        self.lidWarning.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
#if QT_CONFIG(accessibility)
        self.statusLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Connection status", None))
#endif // QT_CONFIG(accessibility)
        self.statusLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"warning", None))
#if QT_CONFIG(accessibility)
        self.countLabel.setAccessibleName(QCoreApplication.translate("RoomPage", u"Members connected", None))
#endif // QT_CONFIG(accessibility)
        self.countLabel.setProperty(u"role", QCoreApplication.translate("RoomPage", u"section", None))
#if QT_CONFIG(accessibility)
        self.memberList.setAccessibleName(QCoreApplication.translate("RoomPage", u"Members", None))
#endif // QT_CONFIG(accessibility)
        self.leaveButton.setText(QCoreApplication.translate("RoomPage", u"&Leave", None))
#if QT_CONFIG(accessibility)
        self.leaveButton.setAccessibleName(QCoreApplication.translate("RoomPage", u"Leave the party", None))
#endif // QT_CONFIG(accessibility)
        self.leaveButton.setProperty(u"role", QCoreApplication.translate("RoomPage", u"danger", None))
    # retranslateUi

