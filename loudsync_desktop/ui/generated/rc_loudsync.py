# Generated from ui/../resources/loudsync.qrc by scripts/build_ui.py: do not edit, edit the form.
# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.12.0
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x0d\xe7\
/\
* LoudSync's loo\
k. Colours other\
 than the accent\
 come from the s\
ystem\x0a   palette\
, so light and d\
ark themes both \
work. */\x0aQLabel[\
role=\x22title\x22] { \
font-size: 20pt;\
 font-weight: 60\
0; }\x0aQLabel[role\
=\x22subtitle\x22] { c\
olor: #8A8A99; }\
\x0aQLabel[role=\x22se\
ction\x22] { font-s\
ize: 12pt; font-\
weight: 600; }\x0aQ\
Label[role=\x22capt\
ion\x22] { color: #\
8A8A99; font-siz\
e: 9pt; text-tra\
nsform: uppercas\
e; }\x0aQLabel[role\
=\x22code\x22] { font-\
size: 30pt; font\
-weight: 700; fo\
nt-family: \x22Deja\
Vu Sans Mono\x22, \x22\
Menlo\x22, \x22Consola\
s\x22, monospace; l\
etter-spacing: 3\
px; }\x0aQLabel[rol\
e=\x22error\x22] { col\
or: #D42E3C; }\x0aQ\
Label[role=\x22warn\
ing\x22] { backgrou\
nd: rgba(255, 19\
3, 7, 0.18); bor\
der: 1px solid r\
gba(255, 170, 0,\
 0.55); border-r\
adius: 8px; padd\
ing: 8px 10px; }\
\x0aQLabel[role=\x22em\
pty\x22] { color: #\
8A8A99; padding:\
 8px; }\x0a\x0aQPushBu\
tton { padding: \
8px 18px; border\
-radius: 8px; bo\
rder: 1px solid \
palette(mid); ba\
ckground: palett\
e(button); min-h\
eight: 20px; }\x0aQ\
PushButton:hover\
 { border-color:\
 #7C5CFF; }\x0aQPus\
hButton:focus { \
border: 2px soli\
d #7C5CFF; }\x0aQPu\
shButton:disable\
d { color: palet\
te(mid); }\x0aQPush\
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
background: #B4A\
6F0; color: #F4F\
1FF; }\x0aQPushButt\
on[role=\x22danger\x22\
] { background: \
transparent; col\
or: #D42E3C; bor\
der: 1px solid #\
D42E3C; font-wei\
ght: 600; }\x0aQPus\
hButton[role=\x22da\
nger\x22]:hover { b\
ackground: rgba(\
212, 46, 60, 0.1\
); }\x0aQPushButton\
[role=\x22link\x22] { \
border: none; ba\
ckground: transp\
arent; color: #6\
D4AFF; padding: \
4px 2px; text-al\
ign: left; }\x0aQPu\
shButton[role=\x22l\
ink\x22]:focus { bo\
rder: 1px dashed\
 #6D4AFF; }\x0a\x0aQLi\
neEdit, QSpinBox\
 { padding: 6px \
8px; border: 1px\
 solid palette(m\
id); border-radi\
us: 6px; backgro\
und: palette(bas\
e); min-height: \
20px; }\x0aQLineEdi\
t:focus, QSpinBo\
x:focus { border\
: 2px solid #7C5\
CFF; }\x0a/* A styl\
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
id palette(mid);\
 background: tra\
nsparent; }\x0aQSpi\
nBox::up-button \
{ subcontrol-pos\
ition: top right\
; border-top-rig\
ht-radius: 6px; \
}\x0aQSpinBox::down\
-button { subcon\
trol-position: b\
ottom right; bor\
der-bottom-right\
-radius: 6px; }\x0a\
QSpinBox::up-but\
ton:hover, QSpin\
Box::down-button\
:hover { backgro\
und: rgba(124, 9\
2, 255, 0.15); }\
\x0aQSpinBox::up-ar\
row { image: url\
(:/loudsync/arro\
w-up.svg); width\
: 10px; height: \
6px; }\x0aQSpinBox:\
:down-arrow { im\
age: url(:/louds\
ync/arrow-down.s\
vg); width: 10px\
; height: 6px; }\
\x0aQLineEdit[role=\
\x22code-input\x22] { \
font-size: 14pt;\
 font-family: \x22D\
ejaVu Sans Mono\x22\
, \x22Menlo\x22, \x22Cons\
olas\x22, monospace\
; letter-spacing\
: 2px; }\x0a\x0aQListV\
iew { border: 1p\
x solid palette(\
mid); border-rad\
ius: 10px; backg\
round: palette(b\
ase); padding: 4\
px; outline: non\
e; }\x0aQListView:f\
ocus { border: 2\
px solid #7C5CFF\
; }\x0a\x0aQFrame[role\
=\x22card\x22] { backg\
round: palette(a\
lternate-base); \
border: 1px soli\
d palette(midlig\
ht); border-radi\
us: 12px; }\x0a\x0aQPr\
ogressBar { max-\
height: 6px; min\
-height: 6px; bo\
rder: none; bord\
er-radius: 3px; \
background: rgba\
(128, 128, 160, \
0.25); }\x0aQProgre\
ssBar::chunk { b\
ackground: #6D4A\
FF; border-radiu\
s: 3px; }\x0a\x0a/* Al\
erts: no stock i\
cons on their bu\
ttons; the destr\
uctive choice in\
 the danger colo\
ur. */\x0aQDialogBu\
ttonBox { dialog\
buttonbox-button\
s-have-icons: 0;\
 }\x0aQMessageBox Q\
PushButton#confi\
rmButton { color\
: #D42E3C; borde\
r-color: #D42E3C\
; font-weight: 6\
00; }\x0a\
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
\x00\x0e\
\x06\x0c\x07\x87\
\x00a\
\x00r\x00r\x00o\x00w\x00-\x00d\x00o\x00w\x00n\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x04\x00\x00\x00\x02\
\x00\x00\x00\x16\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x00b\x00\x00\x00\x00\x00\x01\x00\x00\x12\xed\
\x00\x00\x00D\x00\x00\x00\x00\x00\x01\x00\x00\x12\x18\
\x00\x00\x00.\x00\x00\x00\x00\x00\x01\x00\x00\x0d\xeb\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
