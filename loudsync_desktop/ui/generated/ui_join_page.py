# Generated from ui/join_page.ui by scripts/build_ui.py: do not edit, edit the form.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'join_page.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFrame, QHBoxLayout,
    QLabel, QLineEdit, QListView, QProgressBar,
    QPushButton, QScrollArea, QSizePolicy, QSpacerItem,
    QStackedWidget, QVBoxLayout, QWidget)

class Ui_JoinPage(object):
    def setupUi(self, JoinPage):
        if not JoinPage.objectName():
            JoinPage.setObjectName(u"JoinPage")
        self.pageLayout = QVBoxLayout(JoinPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pageLayout.setContentsMargins(0, 0, 0, 0)
        self.scrollArea = QScrollArea(JoinPage)
        self.scrollArea.setObjectName(u"scrollArea")
        self.scrollArea.setFrameShape(QFrame.Shape.NoFrame)
        self.scrollArea.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scrollArea.setWidgetResizable(True)
        self.scrollContent = QWidget()
        self.scrollContent.setObjectName(u"scrollContent")
        self.outerLayout = QHBoxLayout(self.scrollContent)
        self.outerLayout.setObjectName(u"outerLayout")
        self.leftSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.leftSpacer)

        self.column = QWidget(self.scrollContent)
        self.column.setObjectName(u"column")
        self.column.setMaximumSize(QSize(480, 16777215))
        self.column.setMinimumSize(QSize(340, 0))
        self.columnLayout = QVBoxLayout(self.column)
        self.columnLayout.setSpacing(10)
        self.columnLayout.setObjectName(u"columnLayout")
        self.backButton = QPushButton(self.column)
        self.backButton.setObjectName(u"backButton")

        self.columnLayout.addWidget(self.backButton)

        self.titleLabel = QLabel(self.column)
        self.titleLabel.setObjectName(u"titleLabel")

        self.columnLayout.addWidget(self.titleLabel)

        self.nearbyHeader = QHBoxLayout()
        self.nearbyHeader.setObjectName(u"nearbyHeader")
        self.nearbyTitle = QLabel(self.column)
        self.nearbyTitle.setObjectName(u"nearbyTitle")

        self.nearbyHeader.addWidget(self.nearbyTitle)

        self.headerSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.nearbyHeader.addItem(self.headerSpacer)

        self.refreshButton = QPushButton(self.column)
        self.refreshButton.setObjectName(u"refreshButton")

        self.nearbyHeader.addWidget(self.refreshButton)


        self.columnLayout.addLayout(self.nearbyHeader)

        self.scanRow = QHBoxLayout()
        self.scanRow.setObjectName(u"scanRow")
        self.scanBar = QProgressBar(self.column)
        self.scanBar.setObjectName(u"scanBar")
        self.scanBar.setMaximumSize(QSize(60, 16777215))
        self.scanBar.setMaximum(0)
        self.scanBar.setTextVisible(False)

        self.scanRow.addWidget(self.scanBar)

        self.scanLabel = QLabel(self.column)
        self.scanLabel.setObjectName(u"scanLabel")

        self.scanRow.addWidget(self.scanLabel)


        self.columnLayout.addLayout(self.scanRow)

        self.nearbyStack = QStackedWidget(self.column)
        self.nearbyStack.setObjectName(u"nearbyStack")
        self.nearbyStack.setMinimumSize(QSize(0, 180))
        self.listPage = QWidget()
        self.listPage.setObjectName(u"listPage")
        self.listPageLayout = QVBoxLayout(self.listPage)
        self.listPageLayout.setObjectName(u"listPageLayout")
        self.listPageLayout.setContentsMargins(0, 0, 0, 0)
        self.sessionList = QListView(self.listPage)
        self.sessionList.setObjectName(u"sessionList")
        self.sessionList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessionList.setUniformItemSizes(True)

        self.listPageLayout.addWidget(self.sessionList)

        self.nearbyStack.addWidget(self.listPage)
        self.emptyPage = QWidget()
        self.emptyPage.setObjectName(u"emptyPage")
        self.emptyPageLayout = QVBoxLayout(self.emptyPage)
        self.emptyPageLayout.setObjectName(u"emptyPageLayout")
        self.emptyLabel = QLabel(self.emptyPage)
        self.emptyLabel.setObjectName(u"emptyLabel")
        self.emptyLabel.setTextFormat(Qt.TextFormat.RichText)
        self.emptyLabel.setWordWrap(True)
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignLeading|Qt.AlignmentFlag.AlignTop)

        self.emptyPageLayout.addWidget(self.emptyLabel)

        self.nearbyStack.addWidget(self.emptyPage)

        self.columnLayout.addWidget(self.nearbyStack)

        self.listActions = QWidget(self.column)
        self.listActions.setObjectName(u"listActions")
        self.listActionsLayout = QHBoxLayout(self.listActions)
        self.listActionsLayout.setObjectName(u"listActionsLayout")
        self.listActionsLayout.setContentsMargins(0, 0, 0, 0)
        self.listHint = QLabel(self.listActions)
        self.listHint.setObjectName(u"listHint")
        self.listHint.setWordWrap(True)

        self.listActionsLayout.addWidget(self.listHint)

        self.listJoinButton = QPushButton(self.listActions)
        self.listJoinButton.setObjectName(u"listJoinButton")

        self.listActionsLayout.addWidget(self.listJoinButton)

        self.listActionsLayout.setStretch(0, 1)

        self.columnLayout.addWidget(self.listActions)

        self.listError = QLabel(self.column)
        self.listError.setObjectName(u"listError")
        self.listError.setWordWrap(True)

        self.columnLayout.addWidget(self.listError)

        self.codeLabel = QLabel(self.column)
        self.codeLabel.setObjectName(u"codeLabel")

        self.columnLayout.addWidget(self.codeLabel)

        self.codeRow = QHBoxLayout()
        self.codeRow.setObjectName(u"codeRow")
        self.codeEdit = QLineEdit(self.column)
        self.codeEdit.setObjectName(u"codeEdit")
        self.codeEdit.setMaxLength(16)

        self.codeRow.addWidget(self.codeEdit)

        self.codeJoinButton = QPushButton(self.column)
        self.codeJoinButton.setObjectName(u"codeJoinButton")

        self.codeRow.addWidget(self.codeJoinButton)


        self.columnLayout.addLayout(self.codeRow)

        self.codeError = QLabel(self.column)
        self.codeError.setObjectName(u"codeError")
        self.codeError.setWordWrap(True)

        self.columnLayout.addWidget(self.codeError)

        self.addressLabel = QLabel(self.column)
        self.addressLabel.setObjectName(u"addressLabel")

        self.columnLayout.addWidget(self.addressLabel)

        self.addressRow = QHBoxLayout()
        self.addressRow.setObjectName(u"addressRow")
        self.addressEdit = QLineEdit(self.column)
        self.addressEdit.setObjectName(u"addressEdit")
        self.addressEdit.setMaxLength(255)

        self.addressRow.addWidget(self.addressEdit)

        self.addressJoinButton = QPushButton(self.column)
        self.addressJoinButton.setObjectName(u"addressJoinButton")

        self.addressRow.addWidget(self.addressJoinButton)


        self.columnLayout.addLayout(self.addressRow)

        self.addressError = QLabel(self.column)
        self.addressError.setObjectName(u"addressError")
        self.addressError.setWordWrap(True)

        self.columnLayout.addWidget(self.addressError)

        self.busyRow = QWidget(self.column)
        self.busyRow.setObjectName(u"busyRow")
        self.busyRowLayout = QHBoxLayout(self.busyRow)
        self.busyRowLayout.setObjectName(u"busyRowLayout")
        self.busyRowLayout.setContentsMargins(0, 0, 0, 0)
        self.busyBar = QProgressBar(self.busyRow)
        self.busyBar.setObjectName(u"busyBar")
        self.busyBar.setMaximumSize(QSize(60, 16777215))
        self.busyBar.setMaximum(0)
        self.busyBar.setTextVisible(False)

        self.busyRowLayout.addWidget(self.busyBar)

        self.busyLabel = QLabel(self.busyRow)
        self.busyLabel.setObjectName(u"busyLabel")

        self.busyRowLayout.addWidget(self.busyLabel)

        self.busySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.busyRowLayout.addItem(self.busySpacer)

        self.cancelButton = QPushButton(self.busyRow)
        self.cancelButton.setObjectName(u"cancelButton")

        self.busyRowLayout.addWidget(self.cancelButton)


        self.columnLayout.addWidget(self.busyRow)


        self.outerLayout.addWidget(self.column)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.rightSpacer)

        self.scrollArea.setWidget(self.scrollContent)

        self.pageLayout.addWidget(self.scrollArea)

#if QT_CONFIG(shortcut)
        self.codeLabel.setBuddy(self.codeEdit)
        self.addressLabel.setBuddy(self.addressEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.sessionList, self.listJoinButton)
        QWidget.setTabOrder(self.listJoinButton, self.codeEdit)
        QWidget.setTabOrder(self.codeEdit, self.codeJoinButton)
        QWidget.setTabOrder(self.codeJoinButton, self.addressEdit)
        QWidget.setTabOrder(self.addressEdit, self.addressJoinButton)
        QWidget.setTabOrder(self.addressJoinButton, self.refreshButton)
        QWidget.setTabOrder(self.refreshButton, self.cancelButton)
        QWidget.setTabOrder(self.cancelButton, self.backButton)

        self.retranslateUi(JoinPage)

        QMetaObject.connectSlotsByName(JoinPage)
    # setupUi

    def retranslateUi(self, JoinPage):
#if QT_CONFIG(accessibility)
        JoinPage.setAccessibleName(QCoreApplication.translate("JoinPage", u"Join a party", None))
#endif // QT_CONFIG(accessibility)
        self.scrollArea.setProperty(u"role", QCoreApplication.translate("JoinPage", u"page-scroll", None))
        self.backButton.setText(QCoreApplication.translate("JoinPage", u"\u2190 Back", None))
#if QT_CONFIG(accessibility)
        self.backButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Back to Home", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(shortcut)
        self.backButton.setShortcut(QCoreApplication.translate("JoinPage", u"Esc", None))
#endif // QT_CONFIG(shortcut)
        self.backButton.setProperty(u"role", QCoreApplication.translate("JoinPage", u"link", None))
        self.titleLabel.setText(QCoreApplication.translate("JoinPage", u"Join a party", None))
        self.titleLabel.setProperty(u"role", QCoreApplication.translate("JoinPage", u"title", None))
        self.nearbyTitle.setText(QCoreApplication.translate("JoinPage", u"Nearby Parties", None))
        self.nearbyTitle.setProperty(u"role", QCoreApplication.translate("JoinPage", u"section", None))
        self.refreshButton.setText(QCoreApplication.translate("JoinPage", u"&Refresh", None))
#if QT_CONFIG(accessibility)
        self.refreshButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Look for parties again", None))
#endif // QT_CONFIG(accessibility)
        self.refreshButton.setProperty(u"role", QCoreApplication.translate("JoinPage", u"link", None))
#if QT_CONFIG(accessibility)
        self.scanBar.setAccessibleName(QCoreApplication.translate("JoinPage", u"Scanning", None))
#endif // QT_CONFIG(accessibility)
        self.scanLabel.setText(QCoreApplication.translate("JoinPage", u"Looking for parties on this network\u2026", None))
        self.scanLabel.setProperty(u"role", QCoreApplication.translate("JoinPage", u"subtitle", None))
#if QT_CONFIG(accessibility)
        self.sessionList.setAccessibleName(QCoreApplication.translate("JoinPage", u"Nearby Parties", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sessionList.setAccessibleDescription(QCoreApplication.translate("JoinPage", u"Parties found on this network. Press Enter or double-click to join.", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.emptyLabel.setAccessibleName(QCoreApplication.translate("JoinPage", u"No parties found yet", None))
#endif // QT_CONFIG(accessibility)
        self.emptyLabel.setText(QCoreApplication.translate("JoinPage", u"<b>No parties found yet.</b><br>Check that:<ul><li>this laptop is on the same Wi-Fi as the host (not a guest network, which keeps devices apart);</li><li>a firewall or VPN on either laptop is not blocking LoudSync;</li><li>the host has pressed Create Party.</li></ul>You can also type the party code or the host's address below.", None))
        self.emptyLabel.setProperty(u"role", QCoreApplication.translate("JoinPage", u"empty", None))
        self.listHint.setText(QCoreApplication.translate("JoinPage", u"Double-click a party, or pick one and press Join.", None))
        self.listHint.setProperty(u"role", QCoreApplication.translate("JoinPage", u"subtitle", None))
        self.listJoinButton.setText(QCoreApplication.translate("JoinPage", u"&Join", None))
#if QT_CONFIG(accessibility)
        self.listJoinButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Join the selected party", None))
#endif // QT_CONFIG(accessibility)
        self.listJoinButton.setProperty(u"role", QCoreApplication.translate("JoinPage", u"primary", None))
#if QT_CONFIG(accessibility)
        self.listError.setAccessibleName(QCoreApplication.translate("JoinPage", u"Why this party cannot be joined", None))
#endif // QT_CONFIG(accessibility)
        self.listError.setProperty(u"role", QCoreApplication.translate("JoinPage", u"error", None))
        self.codeLabel.setText(QCoreApplication.translate("JoinPage", u"Have a &code?", None))
#if QT_CONFIG(accessibility)
        self.codeEdit.setAccessibleName(QCoreApplication.translate("JoinPage", u"Party code", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.codeEdit.setAccessibleDescription(QCoreApplication.translate("JoinPage", u"Six letters and digits, like ABC-234. Press Enter to join.", None))
#endif // QT_CONFIG(accessibility)
        self.codeEdit.setPlaceholderText(QCoreApplication.translate("JoinPage", u"ABC-234", None))
        self.codeEdit.setProperty(u"role", QCoreApplication.translate("JoinPage", u"code-input", None))
        self.codeJoinButton.setText(QCoreApplication.translate("JoinPage", u"Join", None))
#if QT_CONFIG(accessibility)
        self.codeJoinButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Join by code", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.codeError.setAccessibleName(QCoreApplication.translate("JoinPage", u"Problem with the party code", None))
#endif // QT_CONFIG(accessibility)
        self.codeError.setProperty(u"role", QCoreApplication.translate("JoinPage", u"error", None))
        self.addressLabel.setText(QCoreApplication.translate("JoinPage", u"Or the host's &address", None))
#if QT_CONFIG(accessibility)
        self.addressEdit.setAccessibleName(QCoreApplication.translate("JoinPage", u"Host address", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.addressEdit.setAccessibleDescription(QCoreApplication.translate("JoinPage", u"The address shown on the host's screen, like 192.168.1.20:8080. Press Enter to connect.", None))
#endif // QT_CONFIG(accessibility)
        self.addressEdit.setPlaceholderText(QCoreApplication.translate("JoinPage", u"192.168.1.20:8080", None))
        self.addressJoinButton.setText(QCoreApplication.translate("JoinPage", u"Connect", None))
#if QT_CONFIG(accessibility)
        self.addressJoinButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Join by address", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.addressError.setAccessibleName(QCoreApplication.translate("JoinPage", u"Problem with the host address", None))
#endif // QT_CONFIG(accessibility)
        self.addressError.setProperty(u"role", QCoreApplication.translate("JoinPage", u"error", None))
#if QT_CONFIG(accessibility)
        self.busyBar.setAccessibleName(QCoreApplication.translate("JoinPage", u"Joining", None))
#endif // QT_CONFIG(accessibility)
        self.busyLabel.setText(QCoreApplication.translate("JoinPage", u"Connecting\u2026", None))
        self.cancelButton.setText(QCoreApplication.translate("JoinPage", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("JoinPage", u"Cancel joining", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

