# Generated from ui/../resources/loudsync.qrc by scripts/build_ui.py: do not edit, edit the form.
# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.12.0
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x0a\x01\
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
CFF; }\x0aQLineEdit\
[role=\x22code-inpu\
t\x22] { font-size:\
 14pt; font-fami\
ly: \x22DejaVu Sans\
 Mono\x22, \x22Menlo\x22,\
 \x22Consolas\x22, mon\
ospace; letter-s\
pacing: 2px; }\x0a\x0a\
QListView { bord\
er: 1px solid pa\
lette(mid); bord\
er-radius: 10px;\
 background: pal\
ette(base); padd\
ing: 4px; outlin\
e: none; }\x0aQList\
View:focus { bor\
der: 2px solid #\
7C5CFF; }\x0a\x0aQFram\
e[role=\x22card\x22] {\
 background: pal\
ette(alternate-b\
ase); border: 1p\
x solid palette(\
midlight); borde\
r-radius: 12px; \
}\x0a\x0aQProgressBar \
{ max-height: 6p\
x; min-height: 6\
px; border: none\
; border-radius:\
 3px; background\
: rgba(128, 128,\
 160, 0.25); }\x0aQ\
ProgressBar::chu\
nk { background:\
 #6D4AFF; border\
-radius: 3px; }\x0a\
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
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\
\x00\x00\x00\x16\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x00.\x00\x00\x00\x00\x00\x01\x00\x00\x0a\x05\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
