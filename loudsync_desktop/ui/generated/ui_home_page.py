# Generated from ui/home_page.ui by scripts/build_ui.py: do not edit, edit the form.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'home_page.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_HomePage(object):
    def setupUi(self, HomePage):
        if not HomePage.objectName():
            HomePage.setObjectName(u"HomePage")
        self.outerLayout = QHBoxLayout(HomePage)
        self.outerLayout.setObjectName(u"outerLayout")
        self.leftSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.leftSpacer)

        self.column = QWidget(HomePage)
        self.column.setObjectName(u"column")
        self.column.setMaximumSize(QSize(420, 16777215))
        self.column.setMinimumSize(QSize(320, 0))
        self.columnLayout = QVBoxLayout(self.column)
        self.columnLayout.setSpacing(12)
        self.columnLayout.setObjectName(u"columnLayout")
        self.topSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.columnLayout.addItem(self.topSpacer)

        self.logoLabel = QLabel(self.column)
        self.logoLabel.setObjectName(u"logoLabel")
        self.logoLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.columnLayout.addWidget(self.logoLabel)

        self.titleLabel = QLabel(self.column)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.columnLayout.addWidget(self.titleLabel)

        self.taglineLabel = QLabel(self.column)
        self.taglineLabel.setObjectName(u"taglineLabel")
        self.taglineLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.taglineLabel.setWordWrap(True)

        self.columnLayout.addWidget(self.taglineLabel)

        self.gapSpacer = QSpacerItem(0, 16, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

        self.columnLayout.addItem(self.gapSpacer)

        self.nameLabel = QLabel(self.column)
        self.nameLabel.setObjectName(u"nameLabel")

        self.columnLayout.addWidget(self.nameLabel)

        self.nameEdit = QLineEdit(self.column)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMaxLength(64)
        self.nameEdit.setClearButtonEnabled(True)

        self.columnLayout.addWidget(self.nameEdit)

        self.nameError = QLabel(self.column)
        self.nameError.setObjectName(u"nameError")
        self.nameError.setWordWrap(True)

        self.columnLayout.addWidget(self.nameError)

        self.hostButton = QPushButton(self.column)
        self.hostButton.setObjectName(u"hostButton")

        self.columnLayout.addWidget(self.hostButton)

        self.joinButton = QPushButton(self.column)
        self.joinButton.setObjectName(u"joinButton")

        self.columnLayout.addWidget(self.joinButton)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.columnLayout.addItem(self.bottomSpacer)


        self.outerLayout.addWidget(self.column)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.outerLayout.addItem(self.rightSpacer)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.nameEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.nameEdit, self.hostButton)
        QWidget.setTabOrder(self.hostButton, self.joinButton)

        self.retranslateUi(HomePage)

        QMetaObject.connectSlotsByName(HomePage)
    # setupUi

    def retranslateUi(self, HomePage):
#if QT_CONFIG(accessibility)
        HomePage.setAccessibleName(QCoreApplication.translate("HomePage", u"Home", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.logoLabel.setAccessibleName(QCoreApplication.translate("HomePage", u"LoudSync logo", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("HomePage", u"LoudSync", None))
        self.titleLabel.setProperty(u"role", QCoreApplication.translate("HomePage", u"title", None))
        self.taglineLabel.setText(QCoreApplication.translate("HomePage", u"Every laptop in the room, one big speaker.", None))
        self.taglineLabel.setProperty(u"role", QCoreApplication.translate("HomePage", u"subtitle", None))
        self.nameLabel.setText(QCoreApplication.translate("HomePage", u"Your &name", None))
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleName(QCoreApplication.translate("HomePage", u"Your name", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleDescription(QCoreApplication.translate("HomePage", u"The name the others see in the party", None))
#endif // QT_CONFIG(accessibility)
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("HomePage", u"e.g. Alex", None))
#if QT_CONFIG(accessibility)
        self.nameError.setAccessibleName(QCoreApplication.translate("HomePage", u"Problem with your name", None))
#endif // QT_CONFIG(accessibility)
        self.nameError.setProperty(u"role", QCoreApplication.translate("HomePage", u"error", None))
        self.hostButton.setText(QCoreApplication.translate("HomePage", u"&Host Party", None))
#if QT_CONFIG(accessibility)
        self.hostButton.setAccessibleName(QCoreApplication.translate("HomePage", u"Host Party", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.hostButton.setAccessibleDescription(QCoreApplication.translate("HomePage", u"Start a party that the others join", None))
#endif // QT_CONFIG(accessibility)
        self.hostButton.setProperty(u"role", QCoreApplication.translate("HomePage", u"primary", None))
        self.joinButton.setText(QCoreApplication.translate("HomePage", u"&Join Party", None))
#if QT_CONFIG(accessibility)
        self.joinButton.setAccessibleName(QCoreApplication.translate("HomePage", u"Join Party", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.joinButton.setAccessibleDescription(QCoreApplication.translate("HomePage", u"Find a party on this network and join it", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

