# Generated from ui/../resources/loudsync.qrc by scripts/build_ui.py: do not edit, edit the form.
# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.12.0
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x00\xc3\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22><path d=\x22M8 5.\
5v13a1 1 0 0 0 1\
.5.86l10.5-6.5a1\
 1 0 0 0 0-1.72L\
9.5 4.64A1 1 0 0\
 0 8 5.5z\x22 fill=\
\x22#FFFFFF\x22/></svg\
>\x0a\
\x00\x00\x00\xe3\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22><rect x=\x226\x22 y=\
\x225\x22 width=\x224.5\x22 \
height=\x2214\x22 rx=\x22\
1.2\x22 fill=\x22#FFFF\
FF\x22/><rect x=\x2213\
.5\x22 y=\x225\x22 width=\
\x224.5\x22 height=\x2214\
\x22 rx=\x221.2\x22 fill=\
\x22#FFFFFF\x22/></svg\
>\x0a\
\x00\x00\x01\x0a\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22><rect x=\x225\x22 y=\
\x225\x22 width=\x222.5\x22 \
height=\x2214\x22 rx=\x22\
1\x22 fill=\x22#6D4AFF\
\x22/><path d=\x22M19 \
6.2v11.6a.9.9 0 \
0 1-1.4.75L9.3 1\
2.75a.9.9 0 0 1 \
0-1.5l8.3-5.8a.9\
.9 0 0 1 1.4.75z\
\x22 fill=\x22#6D4AFF\x22\
/></svg>\x0a\
\x00\x00\x19a\
/\
* LoudSync's loo\
k. Colours other\
 than the accent\
 come from the s\
ystem\x0a   palette\
, so light and d\
ark themes both \
work (the app pu\
ts the accent in\
to the\x0a   palett\
e's Highlight: v\
iews/theme.py). \
Borders are a se\
e-through grey, \
not\x0a   palette(m\
id): that nearly\
 vanished on dar\
k windows, and a\
 grey with alpha\
 keeps\x0a   the sa\
me contrast on l\
ight and dark al\
ike. */\x0aQLabel[r\
ole=\x22title\x22] { f\
ont-size: 20pt; \
font-weight: 600\
; }\x0aQLabel[role=\
\x22subtitle\x22] { co\
lor: #8A8A99; }\x0a\
QLabel[role=\x22sec\
tion\x22] { font-si\
ze: 12pt; font-w\
eight: 600; }\x0aQL\
abel[role=\x22capti\
on\x22] { color: #8\
A8A99; font-size\
: 9pt; text-tran\
sform: uppercase\
; }\x0aQLabel[role=\
\x22code\x22] { font-s\
ize: 30pt; font-\
weight: 700; fon\
t-family: \x22DejaV\
u Sans Mono\x22, \x22M\
enlo\x22, \x22Consolas\
\x22, monospace; le\
tter-spacing: 3p\
x; }\x0aQLabel[role\
=\x22error\x22] { colo\
r: #D42E3C; }\x0aQL\
abel[role=\x22warni\
ng\x22] { backgroun\
d: rgba(255, 193\
, 7, 0.18); bord\
er: 1px solid rg\
ba(255, 170, 0, \
0.55); border-ra\
dius: 8px; paddi\
ng: 8px 10px; }\x0a\
QLabel[role=\x22emp\
ty\x22] { color: #8\
A8A99; padding: \
8px; }\x0a\x0aQPushBut\
ton { padding: 8\
px 18px; border-\
radius: 8px; bor\
der: 1px solid r\
gba(140, 140, 16\
5, 0.75); backgr\
ound: palette(bu\
tton); min-heigh\
t: 20px; }\x0aQPush\
Button:hover { b\
order-color: #7C\
5CFF; }\x0aQPushBut\
ton:focus { bord\
er: 2px solid #7\
C5CFF; }\x0aQPushBu\
tton:disabled { \
color: rgba(140,\
 140, 165, 0.9);\
 border-color: r\
gba(140, 140, 16\
5, 0.4); }\x0aQPush\
Button[role=\x22pri\
mary\x22] { backgro\
und: #6D4AFF; co\
lor: white; bord\
er: 1px solid #5\
B3BEA; font-weig\
ht: 600; }\x0aQPush\
Button[role=\x22pri\
mary\x22]:hover { b\
ackground: #5B3B\
EA; }\x0aQPushButto\
n[role=\x22primary\x22\
]:focus { border\
: 2px solid pale\
tte(highlighted-\
text); }\x0aQPushBu\
tton[role=\x22prima\
ry\x22]:disabled { \
background: rgba\
(109, 74, 255, 0\
.35); color: rgb\
a(255, 255, 255,\
 0.7); border-co\
lor: transparent\
; }\x0aQPushButton[\
role=\x22danger\x22] {\
 background: tra\
nsparent; color:\
 #D42E3C; border\
: 1px solid #D42\
E3C; font-weight\
: 600; }\x0aQPushBu\
tton[role=\x22dange\
r\x22]:hover { back\
ground: rgba(212\
, 46, 60, 0.1); \
}\x0aQPushButton[ro\
le=\x22link\x22] { bor\
der: none; backg\
round: transpare\
nt; color: #6D4A\
FF; padding: 4px\
 2px; text-align\
: left; }\x0aQPushB\
utton[role=\x22link\
\x22]:focus { borde\
r: 1px dashed #6\
D4AFF; }\x0a\x0aQLineE\
dit, QSpinBox, Q\
ComboBox { paddi\
ng: 6px 8px; bor\
der: 1px solid r\
gba(140, 140, 16\
5, 0.75); border\
-radius: 6px; ba\
ckground: palett\
e(base); min-hei\
ght: 20px; }\x0aQLi\
neEdit:focus, QS\
pinBox:focus, QC\
omboBox:focus { \
border: 2px soli\
d #7C5CFF; }\x0aQLi\
neEdit[invalid=\x22\
true\x22] { border:\
 2px solid #D42E\
3C; }\x0a/* The dro\
p-down: a chevro\
n on the field i\
tself (Fusion's \
own button left \
a dark notch),\x0a \
  and a popup wh\
ose chosen item \
is white on the \
accent in light \
and dark alike. \
*/\x0aQComboBox { p\
adding-right: 28\
px; }\x0aQComboBox:\
:drop-down { sub\
control-origin: \
padding; subcont\
rol-position: ce\
nter right; widt\
h: 24px; border:\
 none; backgroun\
d: transparent; \
}\x0aQComboBox::dow\
n-arrow { image:\
 url(:/loudsync/\
arrow-down.svg);\
 width: 10px; he\
ight: 6px; }\x0aQCo\
mboBox QAbstract\
ItemView { borde\
r: 1px solid rgb\
a(140, 140, 165,\
 0.75); border-r\
adius: 6px; back\
ground: palette(\
base); color: pa\
lette(text); pad\
ding: 4px; outli\
ne: none; select\
ion-background-c\
olor: #6D4AFF; s\
election-color: \
white; }\x0aQComboB\
ox QAbstractItem\
View::item { min\
-height: 26px; p\
adding: 0 8px; b\
order-radius: 4p\
x; }\x0aQComboBox Q\
AbstractItemView\
::item:selected \
{ background: #6\
D4AFF; color: wh\
ite; }\x0a/* A styl\
ed spin box lose\
s its native arr\
ows: draw them (\
grey chevrons su\
it light and dar\
k). */\x0aQSpinBox \
{ padding-right:\
 26px; }\x0aQSpinBo\
x::up-button, QS\
pinBox::down-but\
ton { subcontrol\
-origin: border;\
 width: 22px; bo\
rder: none; bord\
er-left: 1px sol\
id rgba(140, 140\
, 165, 0.75); ba\
ckground: transp\
arent; }\x0aQSpinBo\
x::up-button { s\
ubcontrol-positi\
on: top right; b\
order-top-right-\
radius: 6px; }\x0aQ\
SpinBox::down-bu\
tton { subcontro\
l-position: bott\
om right; border\
-bottom-right-ra\
dius: 6px; }\x0aQSp\
inBox::up-button\
:hover, QSpinBox\
::down-button:ho\
ver { background\
: rgba(124, 92, \
255, 0.15); }\x0aQS\
pinBox::up-arrow\
 { image: url(:/\
loudsync/arrow-u\
p.svg); width: 1\
0px; height: 6px\
; }\x0aQSpinBox::do\
wn-arrow { image\
: url(:/loudsync\
/arrow-down.svg)\
; width: 10px; h\
eight: 6px; }\x0aQL\
ineEdit[role=\x22co\
de-input\x22] { fon\
t-size: 14pt; fo\
nt-family: \x22Deja\
Vu Sans Mono\x22, \x22\
Menlo\x22, \x22Consola\
s\x22, monospace; l\
etter-spacing: 2\
px; }\x0a\x0aQAbstract\
ItemView { selec\
tion-background-\
color: #6D4AFF; \
selection-color:\
 white; }\x0aQListV\
iew { border: 1p\
x solid rgba(140\
, 140, 165, 0.75\
); border-radius\
: 10px; backgrou\
nd: palette(base\
); padding: 4px;\
 outline: none; \
}\x0aQListView:focu\
s { border: 2px \
solid #7C5CFF; }\
\x0a\x0aQFrame[role=\x22c\
ard\x22] { backgrou\
nd: palette(alte\
rnate-base); bor\
der: 1px solid r\
gba(140, 140, 16\
5, 0.45); border\
-radius: 12px; }\
\x0a\x0a/* Sliders in \
the accent, with\
 a clear ring wh\
en they have the\
 keyboard focus.\
 */\x0aQSlider { bo\
rder: 2px solid \
transparent; bor\
der-radius: 8px;\
 padding: 0 2px;\
 min-height: 22p\
x; }\x0aQSlider:foc\
us { border: 2px\
 solid #7C5CFF; \
}\x0aQSlider::groov\
e:horizontal { h\
eight: 4px; bord\
er-radius: 2px; \
background: rgba\
(140, 140, 165, \
0.45); }\x0aQSlider\
::sub-page:horiz\
ontal { height: \
4px; border-radi\
us: 2px; backgro\
und: #6D4AFF; }\x0a\
QSlider::handle:\
horizontal { wid\
th: 14px; height\
: 14px; margin: \
-6px 0; border-r\
adius: 8px; back\
ground: #6D4AFF;\
 border: 1px sol\
id white; }\x0aQSli\
der::handle:hori\
zontal:hover { b\
ackground: #5B3B\
EA; }\x0aQSlider::s\
ub-page:horizont\
al:disabled, QSl\
ider::handle:hor\
izontal:disabled\
 { background: r\
gba(140, 140, 16\
5, 0.6); }\x0a\x0aQPro\
gressBar { max-h\
eight: 6px; min-\
height: 6px; bor\
der: none; borde\
r-radius: 3px; b\
ackground: rgba(\
128, 128, 160, 0\
.25); }\x0aQProgres\
sBar::chunk { ba\
ckground: #6D4AF\
F; border-radius\
: 3px; }\x0a\x0a/* Ale\
rts: no stock ic\
ons on their but\
tons; the destru\
ctive choice in \
the danger colou\
r. */\x0aQDialogBut\
tonBox { dialogb\
uttonbox-buttons\
-have-icons: 0; \
}\x0aQMessageBox QP\
ushButton#confir\
mButton[role=\x22da\
nger\x22] { color: \
#D42E3C; border-\
color: #D42E3C; \
font-weight: 600\
; }\x0aQMessageBox \
QPushButton#conf\
irmButton[role=\x22\
primary\x22] { colo\
r: #6D4AFF; bord\
er-color: #6D4AF\
F; font-weight: \
600; }\x0a\x0a/* The p\
layer's transpor\
t: round buttons\
 with icons. */\x0a\
QPushButton[role\
=\x22transport\x22] { \
min-width: 40px;\
 max-width: 40px\
; min-height: 40\
px; max-height: \
40px; padding: 0\
; border-radius:\
 20px; }\x0aQPushBu\
tton[role=\x22prima\
ry-round\x22] { min\
-width: 52px; ma\
x-width: 52px; m\
in-height: 52px;\
 max-height: 52p\
x; padding: 0; b\
order-radius: 26\
px; background: \
#6D4AFF; border:\
 1px solid #5B3B\
EA; }\x0aQPushButto\
n[role=\x22primary-\
round\x22]:hover { \
background: #5B3\
BEA; }\x0aQPushButt\
on[role=\x22primary\
-round\x22]:focus {\
 border: 2px sol\
id palette(highl\
ighted-text); }\x0a\
QPushButton[role\
=\x22primary-round\x22\
]:disabled { bac\
kground: rgba(10\
9, 74, 255, 0.35\
); border-color:\
 transparent; }\x0a\
\
\x00\x00\x04)\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2225\
6\x22 height=\x22256\x22 \
viewBox=\x220 0 256\
 256\x22>\x0a  <defs>\x0a\
    <linearGradi\
ent id=\x22bg\x22 x1=\x22\
0\x22 y1=\x220\x22 x2=\x221\x22\
 y2=\x221\x22>\x0a      <\
stop offset=\x220\x22 \
stop-color=\x22#8B6\
CFF\x22/>\x0a      <st\
op offset=\x221\x22 st\
op-color=\x22#4A2FD\
6\x22/>\x0a    </linea\
rGradient>\x0a  </d\
efs>\x0a  <rect x=\x22\
8\x22 y=\x228\x22 width=\x22\
240\x22 height=\x22240\
\x22 rx=\x2256\x22 fill=\x22\
url(#bg)\x22/>\x0a  <!\
-- three speaker\
s in a row: one \
sound from many \
-->\x0a  <g fill=\x22#\
FFFFFF\x22>\x0a    <re\
ct x=\x2244\x22 y=\x22104\
\x22 width=\x2240\x22 hei\
ght=\x2264\x22 rx=\x2210\x22\
 opacity=\x220.75\x22/\
>\x0a    <rect x=\x221\
08\x22 y=\x2280\x22 width\
=\x2240\x22 height=\x2211\
2\x22 rx=\x2212\x22/>\x0a   \
 <rect x=\x22172\x22 y\
=\x22104\x22 width=\x2240\
\x22 height=\x2264\x22 rx\
=\x2210\x22 opacity=\x220\
.75\x22/>\x0a  </g>\x0a  \
<g fill=\x22#4A2FD6\
\x22>\x0a    <circle c\
x=\x2264\x22 cy=\x22146\x22 \
r=\x229\x22/>\x0a    <cir\
cle cx=\x22128\x22 cy=\
\x22158\x22 r=\x2213\x22/>\x0a \
   <circle cx=\x221\
28\x22 cy=\x22108\x22 r=\x22\
6\x22/>\x0a    <circle\
 cx=\x22192\x22 cy=\x2214\
6\x22 r=\x229\x22/>\x0a  </g\
>\x0a  <path d=\x22M72\
 64 Q128 28 184 \
64\x22 fill=\x22none\x22 \
stroke=\x22#FFFFFF\x22\
 stroke-width=\x221\
0\x22 stroke-lineca\
p=\x22round\x22 opacit\
y=\x220.9\x22/>\x0a  <pat\
h d=\x22M92 60 Q128\
 40 164 60\x22 fill\
=\x22none\x22 stroke=\x22\
#FFFFFF\x22 stroke-\
width=\x228\x22 stroke\
-linecap=\x22round\x22\
 opacity=\x220.6\x22/>\
\x0a</svg>\x0a\
\x00\x00\x00\xd1\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2210\
\x22 height=\x226\x22 vie\
wBox=\x220 0 10 6\x22>\
<path d=\x22M1 5 L5\
 1 L9 5\x22 fill=\x22n\
one\x22 stroke=\x22#8A\
8A99\x22 stroke-wid\
th=\x221.6\x22 stroke-\
linecap=\x22round\x22 \
stroke-linejoin=\
\x22round\x22/></svg>\x0a\
\
\x00\x00\x01\x0a\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2224\
\x22 height=\x2224\x22 vi\
ewBox=\x220 0 24 24\
\x22><rect x=\x2216.5\x22\
 y=\x225\x22 width=\x222.\
5\x22 height=\x2214\x22 r\
x=\x221\x22 fill=\x22#6D4\
AFF\x22/><path d=\x22M\
5 6.2v11.6a.9.9 \
0 0 0 1.4.75l8.3\
-5.8a.9.9 0 0 0 \
0-1.5L6.4 5.45A.\
9.9 0 0 0 5 6.2z\
\x22 fill=\x22#6D4AFF\x22\
/></svg>\x0a\
\x00\x00\x00\xd1\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2210\
\x22 height=\x226\x22 vie\
wBox=\x220 0 10 6\x22>\
<path d=\x22M1 1 L5\
 5 L9 1\x22 fill=\x22n\
one\x22 stroke=\x22#8A\
8A99\x22 stroke-wid\
th=\x221.6\x22 stroke-\
linecap=\x22round\x22 \
stroke-linejoin=\
\x22round\x22/></svg>\x0a\
\
"

qt_resource_name = b"\
\x00\x08\
\x06\xbb\xa2#\
\x00l\
\x00o\x00u\x00d\x00s\x00y\x00n\x00c\
\x00\x08\
\x02\x8cT'\
\x00p\
\x00l\x00a\x00y\x00.\x00s\x00v\x00g\
\x00\x09\
\x0c\x98\xb7\xc7\
\x00p\
\x00a\x00u\x00s\x00e\x00.\x00s\x00v\x00g\
\x00\x0c\
\x087\xc0\xc7\
\x00p\
\x00r\x00e\x00v\x00i\x00o\x00u\x00s\x00.\x00s\x00v\x00g\
\x00\x09\
\x00(\xad#\
\x00s\
\x00t\x00y\x00l\x00e\x00.\x00q\x00s\x00s\
\x00\x08\
\x0aaW'\
\x00i\
\x00c\x00o\x00n\x00.\x00s\x00v\x00g\
\x00\x0c\
\x09\xd0w\x87\
\x00a\
\x00r\x00r\x00o\x00w\x00-\x00u\x00p\x00.\x00s\x00v\x00g\
\x00\x08\
\x0c\xf7TG\
\x00n\
\x00e\x00x\x00t\x00.\x00s\x00v\x00g\
\x00\x0e\
\x06\x0c\x07\x87\
\x00a\
\x00r\x00r\x00o\x00w\x00-\x00d\x00o\x00w\x00n\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x08\x00\x00\x00\x02\
\x00\x00\x00b\x00\x00\x00\x00\x00\x01\x00\x00\x02\xbc\
\x00\x00\x00\x16\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x00\xc4\x00\x00\x00\x00\x00\x01\x00\x00\x221\
\x00\x00\x00D\x00\x00\x00\x00\x00\x01\x00\x00\x01\xae\
\x00\x00\x00\x90\x00\x00\x00\x00\x00\x01\x00\x00 N\
\x00\x00\x00z\x00\x00\x00\x00\x00\x01\x00\x00\x1c!\
\x00\x00\x00,\x00\x00\x00\x00\x00\x01\x00\x00\x00\xc7\
\x00\x00\x00\xae\x00\x00\x00\x00\x00\x01\x00\x00!#\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
