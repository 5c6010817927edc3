# Generated from ui/about_dialog.ui by scripts/build_ui.py: do not edit, edit the form.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'about_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
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
from PySide6.QtWidgets import (QApplication, QDialog, QFormLayout, QHBoxLayout,
    QLabel, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_AboutDialog(object):
    def setupUi(self, AboutDialog):
        if not AboutDialog.objectName():
            AboutDialog.setObjectName(u"AboutDialog")
        AboutDialog.resize(520, 380)
        AboutDialog.setMinimumSize(QSize(400, 0))
        self.dialogLayout = QVBoxLayout(AboutDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.dialogLayout.setContentsMargins(20, 20, 20, 16)
        self.headerLayout = QHBoxLayout()
        self.headerLayout.setSpacing(14)
        self.headerLayout.setObjectName(u"headerLayout")
        self.iconLabel = QLabel(AboutDialog)
        self.iconLabel.setObjectName(u"iconLabel")
        self.iconLabel.setMinimumSize(QSize(56, 56))
        self.iconLabel.setMaximumSize(QSize(56, 56))

        self.headerLayout.addWidget(self.iconLabel)

        self.titleLayout = QVBoxLayout()
        self.titleLayout.setSpacing(2)
        self.titleLayout.setObjectName(u"titleLayout")
        self.titleLabel = QLabel(AboutDialog)
        self.titleLabel.setObjectName(u"titleLabel")

        self.titleLayout.addWidget(self.titleLabel)

        self.taglineLabel = QLabel(AboutDialog)
        self.taglineLabel.setObjectName(u"taglineLabel")
        self.taglineLabel.setWordWrap(True)

        self.titleLayout.addWidget(self.taglineLabel)


        self.headerLayout.addLayout(self.titleLayout)


        self.dialogLayout.addLayout(self.headerLayout)

        self.factsLayout = QFormLayout()
        self.factsLayout.setObjectName(u"factsLayout")
        self.factsLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.factsLayout.setHorizontalSpacing(14)
        self.factsLayout.setVerticalSpacing(6)
        self.versionCaption = QLabel(AboutDialog)
        self.versionCaption.setObjectName(u"versionCaption")

        self.factsLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.versionCaption)

        self.versionValue = QLabel(AboutDialog)
        self.versionValue.setObjectName(u"versionValue")
        self.versionValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.versionValue)

        self.platformCaption = QLabel(AboutDialog)
        self.platformCaption.setObjectName(u"platformCaption")

        self.factsLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.platformCaption)

        self.platformValue = QLabel(AboutDialog)
        self.platformValue.setObjectName(u"platformValue")
        self.platformValue.setWordWrap(True)
        self.platformValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.platformValue)

        self.pythonCaption = QLabel(AboutDialog)
        self.pythonCaption.setObjectName(u"pythonCaption")

        self.factsLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.pythonCaption)

        self.pythonValue = QLabel(AboutDialog)
        self.pythonValue.setObjectName(u"pythonValue")
        self.pythonValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.pythonValue)

        self.qtCaption = QLabel(AboutDialog)
        self.qtCaption.setObjectName(u"qtCaption")

        self.factsLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.qtCaption)

        self.qtValue = QLabel(AboutDialog)
        self.qtValue.setObjectName(u"qtValue")
        self.qtValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.qtValue)

        self.audioCaption = QLabel(AboutDialog)
        self.audioCaption.setObjectName(u"audioCaption")

        self.factsLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.audioCaption)

        self.audioValue = QLabel(AboutDialog)
        self.audioValue.setObjectName(u"audioValue")
        self.audioValue.setWordWrap(True)
        self.audioValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.audioValue)

        self.partyCaption = QLabel(AboutDialog)
        self.partyCaption.setObjectName(u"partyCaption")

        self.factsLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.partyCaption)

        self.partyValue = QLabel(AboutDialog)
        self.partyValue.setObjectName(u"partyValue")
        self.partyValue.setWordWrap(True)
        self.partyValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.partyValue)

        self.addressesCaption = QLabel(AboutDialog)
        self.addressesCaption.setObjectName(u"addressesCaption")

        self.factsLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.addressesCaption)

        self.addressesValue = QLabel(AboutDialog)
        self.addressesValue.setObjectName(u"addressesValue")
        self.addressesValue.setWordWrap(True)
        self.addressesValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.addressesValue)

        self.logFileCaption = QLabel(AboutDialog)
        self.logFileCaption.setObjectName(u"logFileCaption")

        self.factsLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.logFileCaption)

        self.logFileValue = QLabel(AboutDialog)
        self.logFileValue.setObjectName(u"logFileValue")
        self.logFileValue.setWordWrap(True)
        self.logFileValue.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.factsLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.logFileValue)


        self.dialogLayout.addLayout(self.factsLayout)

        self.reportLabel = QLabel(AboutDialog)
        self.reportLabel.setObjectName(u"reportLabel")
        self.reportLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.reportLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.bottomSpacer)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.copyButton = QPushButton(AboutDialog)
        self.copyButton.setObjectName(u"copyButton")

        self.buttonLayout.addWidget(self.copyButton)

        self.copiedLabel = QLabel(AboutDialog)
        self.copiedLabel.setObjectName(u"copiedLabel")

        self.buttonLayout.addWidget(self.copiedLabel)

        self.buttonSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttonLayout.addItem(self.buttonSpacer)

        self.closeButton = QPushButton(AboutDialog)
        self.closeButton.setObjectName(u"closeButton")

        self.buttonLayout.addWidget(self.closeButton)


        self.dialogLayout.addLayout(self.buttonLayout)

        QWidget.setTabOrder(self.copyButton, self.closeButton)

        self.retranslateUi(AboutDialog)
        self.closeButton.clicked.connect(AboutDialog.accept)

        self.closeButton.setDefault(True)


        QMetaObject.connectSlotsByName(AboutDialog)
    # setupUi

    def retranslateUi(self, AboutDialog):
        AboutDialog.setWindowTitle(QCoreApplication.translate("AboutDialog", u"About LoudSync", None))
#if QT_CONFIG(accessibility)
        AboutDialog.setAccessibleName(QCoreApplication.translate("AboutDialog", u"About LoudSync", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.iconLabel.setAccessibleName(QCoreApplication.translate("AboutDialog", u"LoudSync icon", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("AboutDialog", u"LoudSync", None))
        self.titleLabel.setProperty(u"role", QCoreApplication.translate("AboutDialog", u"title", None))
        self.taglineLabel.setText(QCoreApplication.translate("AboutDialog", u"Laptops at a party play the same music, in sync.", None))
        self.taglineLabel.setProperty(u"role", QCoreApplication.translate("AboutDialog", u"subtitle", None))
        self.versionCaption.setText(QCoreApplication.translate("AboutDialog", u"Version", None))
        self.platformCaption.setText(QCoreApplication.translate("AboutDialog", u"Platform", None))
        self.pythonCaption.setText(QCoreApplication.translate("AboutDialog", u"Python", None))
        self.qtCaption.setText(QCoreApplication.translate("AboutDialog", u"Qt", None))
        self.audioCaption.setText(QCoreApplication.translate("AboutDialog", u"Audio", None))
        self.partyCaption.setText(QCoreApplication.translate("AboutDialog", u"Party", None))
        self.addressesCaption.setText(QCoreApplication.translate("AboutDialog", u"Addresses", None))
        self.logFileCaption.setText(QCoreApplication.translate("AboutDialog", u"Log file", None))
        self.reportLabel.setText(QCoreApplication.translate("AboutDialog", u"Something went wrong? Copy the diagnostics and send them with a few words about what you did. Starting LoudSync with --debug logs more.", None))
        self.reportLabel.setProperty(u"role", QCoreApplication.translate("AboutDialog", u"subtitle", None))
        self.copyButton.setText(QCoreApplication.translate("AboutDialog", u"&Copy diagnostics", None))
#if QT_CONFIG(accessibility)
        self.copyButton.setAccessibleName(QCoreApplication.translate("AboutDialog", u"Copy diagnostics", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.copyButton.setToolTip(QCoreApplication.translate("AboutDialog", u"Version, platform, audio, addresses and the last log lines, for a bug report", None))
#endif // QT_CONFIG(tooltip)
        self.copyButton.setProperty(u"role", QCoreApplication.translate("AboutDialog", u"primary", None))
#if QT_CONFIG(accessibility)
        self.copiedLabel.setAccessibleName(QCoreApplication.translate("AboutDialog", u"Copy result", None))
#endif // QT_CONFIG(accessibility)
        self.copiedLabel.setProperty(u"role", QCoreApplication.translate("AboutDialog", u"subtitle", None))
        self.closeButton.setText(QCoreApplication.translate("AboutDialog", u"Close", None))
#if QT_CONFIG(accessibility)
        self.closeButton.setAccessibleName(QCoreApplication.translate("AboutDialog", u"Close About LoudSync", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

