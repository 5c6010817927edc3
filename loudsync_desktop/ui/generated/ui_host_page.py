# Generated from ui/host_page.ui by scripts/build_ui.py: do not edit, edit the form.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'host_page.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QFrame,
    QHBoxLayout, QLabel, QLineEdit, QProgressBar,
    QPushButton, QScrollArea, QSizePolicy, QSpacerItem,
    QSpinBox, QVBoxLayout, QWidget)

class Ui_HostPage(object):
    def setupUi(self, HostPage):
        if not HostPage.objectName():
            HostPage.setObjectName(u"HostPage")
        self.pageLayout = QVBoxLayout(HostPage)
        self.pageLayout.setObjectName(u"pageLayout")
        self.pageLayout.setContentsMargins(0, 0, 0, 0)
        self.scrollArea = QScrollArea(HostPage)
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
        self.column.setMaximumSize(QSize(440, 16777215))
        self.column.setMinimumSize(QSize(320, 0))
        self.columnLayout = QVBoxLayout(self.column)
        self.columnLayout.setSpacing(12)
        self.columnLayout.setObjectName(u"columnLayout")
        self.backButton = QPushButton(self.column)
        self.backButton.setObjectName(u"backButton")

        self.columnLayout.addWidget(self.backButton)

        self.titleLabel = QLabel(self.column)
        self.titleLabel.setObjectName(u"titleLabel")

        self.columnLayout.addWidget(self.titleLabel)

        self.introLabel = QLabel(self.column)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.columnLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.formLayout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.partyNameLabel = QLabel(self.column)
        self.partyNameLabel.setObjectName(u"partyNameLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.partyNameLabel)

        self.partyNameEdit = QLineEdit(self.column)
        self.partyNameEdit.setObjectName(u"partyNameEdit")
        self.partyNameEdit.setMaxLength(64)
        self.partyNameEdit.setClearButtonEnabled(True)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.partyNameEdit)

        self.hostNameLabel = QLabel(self.column)
        self.hostNameLabel.setObjectName(u"hostNameLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.hostNameLabel)

        self.hostNameEdit = QLineEdit(self.column)
        self.hostNameEdit.setObjectName(u"hostNameEdit")
        self.hostNameEdit.setMaxLength(64)
        self.hostNameEdit.setClearButtonEnabled(True)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.hostNameEdit)

        self.maxDevicesLabel = QLabel(self.column)
        self.maxDevicesLabel.setObjectName(u"maxDevicesLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.maxDevicesLabel)

        self.accessLabel = QLabel(self.column)
        self.accessLabel.setObjectName(u"accessLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.accessLabel)

        self.accessCombo = QComboBox(self.column)
        self.accessCombo.addItem("")
        self.accessCombo.addItem("")
        self.accessCombo.addItem("")
        self.accessCombo.setObjectName(u"accessCombo")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.accessCombo)

        self.pinLabel = QLabel(self.column)
        self.pinLabel.setObjectName(u"pinLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.pinLabel)

        self.pinEdit = QLineEdit(self.column)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMaxLength(4)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.pinEdit)

        self.soundLabel = QLabel(self.column)
        self.soundLabel.setObjectName(u"soundLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.soundLabel)

        self.soundCombo = QComboBox(self.column)
        self.soundCombo.addItem("")
        self.soundCombo.addItem("")
        self.soundCombo.addItem("")
        self.soundCombo.setObjectName(u"soundCombo")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.soundCombo)

        self.bufferLabel = QLabel(self.column)
        self.bufferLabel.setObjectName(u"bufferLabel")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.bufferLabel)

        self.bufferCombo = QComboBox(self.column)
        self.bufferCombo.addItem("")
        self.bufferCombo.addItem("")
        self.bufferCombo.addItem("")
        self.bufferCombo.addItem("")
        self.bufferCombo.setObjectName(u"bufferCombo")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.bufferCombo)

        self.bufferNoteLabel = QLabel(self.column)
        self.bufferNoteLabel.setObjectName(u"bufferNoteLabel")
        self.bufferNoteLabel.setWordWrap(True)

        self.formLayout.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.bufferNoteLabel)

        self.maxDevicesSpin = QSpinBox(self.column)
        self.maxDevicesSpin.setObjectName(u"maxDevicesSpin")
        self.maxDevicesSpin.setMinimum(2)
        self.maxDevicesSpin.setMaximum(32)
        self.maxDevicesSpin.setValue(8)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.maxDevicesSpin)


        self.columnLayout.addLayout(self.formLayout)

        self.firewallLabel = QLabel(self.column)
        self.firewallLabel.setObjectName(u"firewallLabel")
        self.firewallLabel.setWordWrap(True)

        self.columnLayout.addWidget(self.firewallLabel)

        self.errorLabel = QLabel(self.column)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.columnLayout.addWidget(self.errorLabel)

        self.busyBar = QProgressBar(self.column)
        self.busyBar.setObjectName(u"busyBar")
        self.busyBar.setMaximum(0)
        self.busyBar.setTextVisible(False)

        self.columnLayout.addWidget(self.busyBar)

        self.createButton = QPushButton(self.column)
        self.createButton.setObjectName(u"createButton")

        self.columnLayout.addWidget(self.createButton)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.columnLayout.addItem(self.bottomSpacer)


        self.outerLayout.addWidget(self.column)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.rightSpacer)

        self.scrollArea.setWidget(self.scrollContent)

        self.pageLayout.addWidget(self.scrollArea)

#if QT_CONFIG(shortcut)
        self.partyNameLabel.setBuddy(self.partyNameEdit)
        self.hostNameLabel.setBuddy(self.hostNameEdit)
        self.maxDevicesLabel.setBuddy(self.maxDevicesSpin)
        self.accessLabel.setBuddy(self.accessCombo)
        self.pinLabel.setBuddy(self.pinEdit)
        self.soundLabel.setBuddy(self.soundCombo)
        self.bufferLabel.setBuddy(self.bufferCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.partyNameEdit, self.hostNameEdit)
        QWidget.setTabOrder(self.hostNameEdit, self.maxDevicesSpin)
        QWidget.setTabOrder(self.maxDevicesSpin, self.accessCombo)
        QWidget.setTabOrder(self.accessCombo, self.pinEdit)
        QWidget.setTabOrder(self.pinEdit, self.soundCombo)
        QWidget.setTabOrder(self.soundCombo, self.bufferCombo)
        QWidget.setTabOrder(self.bufferCombo, self.createButton)
        QWidget.setTabOrder(self.createButton, self.backButton)

        self.retranslateUi(HostPage)

        self.createButton.setDefault(True)


        QMetaObject.connectSlotsByName(HostPage)
    # setupUi

    def retranslateUi(self, HostPage):
#if QT_CONFIG(accessibility)
        HostPage.setAccessibleName(QCoreApplication.translate("HostPage", u"Host a party", None))
#endif // QT_CONFIG(accessibility)
        self.scrollArea.setProperty(u"role", QCoreApplication.translate("HostPage", u"page-scroll", None))
        self.backButton.setText(QCoreApplication.translate("HostPage", u"\u2190 Back", None))
#if QT_CONFIG(accessibility)
        self.backButton.setAccessibleName(QCoreApplication.translate("HostPage", u"Back to Home", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(shortcut)
        self.backButton.setShortcut(QCoreApplication.translate("HostPage", u"Esc", None))
#endif // QT_CONFIG(shortcut)
        self.backButton.setProperty(u"role", QCoreApplication.translate("HostPage", u"link", None))
        self.titleLabel.setText(QCoreApplication.translate("HostPage", u"Host a party", None))
        self.titleLabel.setProperty(u"role", QCoreApplication.translate("HostPage", u"title", None))
        self.introLabel.setText(QCoreApplication.translate("HostPage", u"Everyone who joins must be on the same Wi-Fi as this laptop.", None))
        self.introLabel.setProperty(u"role", QCoreApplication.translate("HostPage", u"subtitle", None))
        self.partyNameLabel.setText(QCoreApplication.translate("HostPage", u"&Party name", None))
#if QT_CONFIG(accessibility)
        self.partyNameEdit.setAccessibleName(QCoreApplication.translate("HostPage", u"Party name", None))
#endif // QT_CONFIG(accessibility)
        self.partyNameEdit.setPlaceholderText(QCoreApplication.translate("HostPage", u"My Party", None))
        self.hostNameLabel.setText(QCoreApplication.translate("HostPage", u"&Your name", None))
#if QT_CONFIG(accessibility)
        self.hostNameEdit.setAccessibleName(QCoreApplication.translate("HostPage", u"Your name", None))
#endif // QT_CONFIG(accessibility)
        self.hostNameEdit.setPlaceholderText(QCoreApplication.translate("HostPage", u"Party Host", None))
        self.maxDevicesLabel.setText(QCoreApplication.translate("HostPage", u"&Max devices (including yours)", None))
        self.accessLabel.setText(QCoreApplication.translate("HostPage", u"&Who may join", None))
        self.accessCombo.setItemText(0, QCoreApplication.translate("HostPage", u"Anyone on this network", None))
        self.accessCombo.setItemText(1, QCoreApplication.translate("HostPage", u"Only with a PIN", None))
        self.accessCombo.setItemText(2, QCoreApplication.translate("HostPage", u"Only whom I let in", None))

#if QT_CONFIG(accessibility)
        self.accessCombo.setAccessibleName(QCoreApplication.translate("HostPage", u"Who may join", None))
#endif // QT_CONFIG(accessibility)
        self.pinLabel.setText(QCoreApplication.translate("HostPage", u"&PIN (4 digits)", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("HostPage", u"PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setInputMask(QCoreApplication.translate("HostPage", u"9999", None))
        self.soundLabel.setText(QCoreApplication.translate("HostPage", u"&Sound", None))
        self.soundCombo.setItemText(0, QCoreApplication.translate("HostPage", u"Compact (Opus, 128 kbit/s) \u2014 best on Wi-Fi", None))
        self.soundCombo.setItemText(1, QCoreApplication.translate("HostPage", u"Lossless (FLAC) \u2014 good Wi-Fi or wired", None))
        self.soundCombo.setItemText(2, QCoreApplication.translate("HostPage", u"Uncompressed (PCM) \u2014 wired network", None))

#if QT_CONFIG(accessibility)
        self.soundCombo.setAccessibleName(QCoreApplication.translate("HostPage", u"Sound", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.soundCombo.setAccessibleDescription(QCoreApplication.translate("HostPage", u"How the music travels to the guests' laptops", None))
#endif // QT_CONFIG(accessibility)
        self.bufferLabel.setText(QCoreApplication.translate("HostPage", u"&Buffer", None))
        self.bufferCombo.setItemText(0, QCoreApplication.translate("HostPage", u"0.5 s", None))
        self.bufferCombo.setItemText(1, QCoreApplication.translate("HostPage", u"1 s", None))
        self.bufferCombo.setItemText(2, QCoreApplication.translate("HostPage", u"2 s", None))
        self.bufferCombo.setItemText(3, QCoreApplication.translate("HostPage", u"3 s", None))

#if QT_CONFIG(accessibility)
        self.bufferCombo.setAccessibleName(QCoreApplication.translate("HostPage", u"Buffer", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bufferCombo.setAccessibleDescription(QCoreApplication.translate("HostPage", u"How far ahead the music is sent. Longer rides out Wi-Fi hiccups; commands still act in 0.4 s.", None))
#endif // QT_CONFIG(accessibility)
        self.bufferNoteLabel.setText(QCoreApplication.translate("HostPage", u"Longer rides out Wi-Fi hiccups; commands still act in 0.4 s.", None))
        self.bufferNoteLabel.setProperty(u"role", QCoreApplication.translate("HostPage", u"subtitle", None))
#if QT_CONFIG(accessibility)
        self.maxDevicesSpin.setAccessibleName(QCoreApplication.translate("HostPage", u"Max devices", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.maxDevicesSpin.setAccessibleDescription(QCoreApplication.translate("HostPage", u"How many laptops may be in the party, including this one", None))
#endif // QT_CONFIG(accessibility)
        self.firewallLabel.setProperty(u"role", QCoreApplication.translate("HostPage", u"subtitle", None))
#if QT_CONFIG(accessibility)
        self.errorLabel.setAccessibleName(QCoreApplication.translate("HostPage", u"Error", None))
#endif // QT_CONFIG(accessibility)
        self.errorLabel.setProperty(u"role", QCoreApplication.translate("HostPage", u"error", None))
#if QT_CONFIG(accessibility)
        self.busyBar.setAccessibleName(QCoreApplication.translate("HostPage", u"Starting the party", None))
#endif // QT_CONFIG(accessibility)
        self.createButton.setText(QCoreApplication.translate("HostPage", u"&Create Party", None))
#if QT_CONFIG(accessibility)
        self.createButton.setAccessibleName(QCoreApplication.translate("HostPage", u"Create Party", None))
#endif // QT_CONFIG(accessibility)
        self.createButton.setProperty(u"role", QCoreApplication.translate("HostPage", u"primary", None))
    # retranslateUi

