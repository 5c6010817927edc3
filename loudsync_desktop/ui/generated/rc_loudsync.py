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
\x00\x00\x10\xe2\
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
, QComboBox { pa\
dding: 6px 8px; \
border: 1px soli\
d palette(mid); \
border-radius: 6\
px; background: \
palette(base); m\
in-height: 20px;\
 }\x0aQLineEdit:foc\
us, QSpinBox:foc\
us, QComboBox:fo\
cus { border: 2p\
x solid #7C5CFF;\
 }\x0a/* A styled s\
pin box loses it\
s native arrows:\
 draw them (grey\
 chevrons suit l\
ight and dark). \
*/\x0aQSpinBox { pa\
dding-right: 26p\
x; }\x0aQSpinBox::u\
p-button, QSpinB\
ox::down-button \
{ subcontrol-ori\
gin: border; wid\
th: 22px; border\
: none; border-l\
eft: 1px solid p\
alette(mid); bac\
kground: transpa\
rent; }\x0aQSpinBox\
::up-button { su\
bcontrol-positio\
n: top right; bo\
rder-top-right-r\
adius: 6px; }\x0aQS\
pinBox::down-but\
ton { subcontrol\
-position: botto\
m right; border-\
bottom-right-rad\
ius: 6px; }\x0aQSpi\
nBox::up-button:\
hover, QSpinBox:\
:down-button:hov\
er { background:\
 rgba(124, 92, 2\
55, 0.15); }\x0aQSp\
inBox::up-arrow \
{ image: url(:/l\
oudsync/arrow-up\
.svg); width: 10\
px; height: 6px;\
 }\x0aQSpinBox::dow\
n-arrow { image:\
 url(:/loudsync/\
arrow-down.svg);\
 width: 10px; he\
ight: 6px; }\x0aQLi\
neEdit[role=\x22cod\
e-input\x22] { font\
-size: 14pt; fon\
t-family: \x22DejaV\
u Sans Mono\x22, \x22M\
enlo\x22, \x22Consolas\
\x22, monospace; le\
tter-spacing: 2p\
x; }\x0a\x0aQListView \
{ border: 1px so\
lid palette(mid)\
; border-radius:\
 10px; backgroun\
d: palette(base)\
; padding: 4px; \
outline: none; }\
\x0aQListView:focus\
 { border: 2px s\
olid #7C5CFF; }\x0a\
\x0aQFrame[role=\x22ca\
rd\x22] { backgroun\
d: palette(alter\
nate-base); bord\
er: 1px solid pa\
lette(midlight);\
 border-radius: \
12px; }\x0a\x0aQProgre\
ssBar { max-heig\
ht: 6px; min-hei\
ght: 6px; border\
: none; border-r\
adius: 3px; back\
ground: rgba(128\
, 128, 160, 0.25\
); }\x0aQProgressBa\
r::chunk { backg\
round: #6D4AFF; \
border-radius: 3\
px; }\x0a\x0a/* Alerts\
: no stock icons\
 on their button\
s; the destructi\
ve choice in the\
 danger colour. \
*/\x0aQDialogButton\
Box { dialogbutt\
onbox-buttons-ha\
ve-icons: 0; }\x0aQ\
MessageBox QPush\
Button#confirmBu\
tton[role=\x22dange\
r\x22] { color: #D4\
2E3C; border-col\
or: #D42E3C; fon\
t-weight: 600; }\
\x0aQMessageBox QPu\
shButton#confirm\
Button[role=\x22pri\
mary\x22] { color: \
#6D4AFF; border-\
color: #6D4AFF; \
font-weight: 600\
; }\x0a\x0a/* The play\
er's transport: \
round buttons wi\
th icons. */\x0aQPu\
shButton[role=\x22t\
ransport\x22] { min\
-width: 40px; ma\
x-width: 40px; m\
in-height: 40px;\
 max-height: 40p\
x; padding: 0; b\
order-radius: 20\
px; }\x0aQPushButto\
n[role=\x22primary-\
round\x22] { min-wi\
dth: 52px; max-w\
idth: 52px; min-\
height: 52px; ma\
x-height: 52px; \
padding: 0; bord\
er-radius: 26px;\
 background: #6D\
4AFF; border: 1p\
x solid #5B3BEA;\
 }\x0aQPushButton[r\
ole=\x22primary-rou\
nd\x22]:hover { bac\
kground: #5B3BEA\
; }\x0aQPushButton[\
role=\x22primary-ro\
und\x22]:focus { bo\
rder: 2px solid \
palette(highligh\
ted-text); }\x0aQPu\
shButton[role=\x22p\
rimary-round\x22]:d\
isabled { backgr\
ound: #B4A6F0; }\
\x0a\
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
\x00\x00\x00\xc4\x00\x00\x00\x00\x00\x01\x00\x00\x19\xb2\
\x00\x00\x00D\x00\x00\x00\x00\x00\x01\x00\x00\x01\xae\
\x00\x00\x00\x90\x00\x00\x00\x00\x00\x01\x00\x00\x17\xcf\
\x00\x00\x00z\x00\x00\x00\x00\x00\x01\x00\x00\x13\xa2\
\x00\x00\x00,\x00\x00\x00\x00\x00\x01\x00\x00\x00\xc7\
\x00\x00\x00\xae\x00\x00\x00\x00\x00\x01\x00\x00\x18\xa4\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
