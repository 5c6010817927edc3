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
\x00\x00\x1d.\
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
8px; }\x0aQLabel[ro\
le=\x22notice\x22] { b\
ackground: rgba(\
28, 28, 36, 0.94\
); color: white;\
 border: 1px sol\
id rgba(140, 140\
, 165, 0.6); bor\
der-radius: 10px\
; padding: 10px \
16px; font-weigh\
t: 600; }\x0a\x0aQPush\
Button { padding\
: 8px 18px; bord\
er-radius: 8px; \
border: 1px soli\
d rgba(140, 140,\
 165, 0.75); bac\
kground: palette\
(button); min-he\
ight: 20px; }\x0aQP\
ushButton:hover \
{ border-color: \
#7C5CFF; }\x0aQPush\
Button:focus { b\
order: 2px solid\
 #7C5CFF; }\x0aQPus\
hButton:disabled\
 { color: rgba(1\
40, 140, 165, 0.\
9); border-color\
: rgba(140, 140,\
 165, 0.4); }\x0aQP\
ushButton[role=\x22\
primary\x22] { back\
ground: #6D4AFF;\
 color: white; b\
order: 1px solid\
 #5B3BEA; font-w\
eight: 600; }\x0aQP\
ushButton[role=\x22\
primary\x22]:hover \
{ background: #5\
B3BEA; }\x0aQPushBu\
tton[role=\x22prima\
ry\x22]:focus { bor\
der: 2px solid p\
alette(highlight\
ed-text); }\x0aQPus\
hButton[role=\x22pr\
imary\x22]:disabled\
 { background: r\
gba(109, 74, 255\
, 0.35); color: \
rgba(255, 255, 2\
55, 0.7); border\
-color: transpar\
ent; }\x0aQPushButt\
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
d rgba(140, 140,\
 165, 0.75); bor\
der-radius: 6px;\
 background: pal\
ette(base); min-\
height: 20px; }\x0a\
QLineEdit:focus,\
 QSpinBox:focus,\
 QComboBox:focus\
 { border: 2px s\
olid #7C5CFF; }\x0a\
QLineEdit[invali\
d=\x22true\x22] { bord\
er: 2px solid #D\
42E3C; }\x0a/* The \
drop-down: a che\
vron on the fiel\
d itself (Fusion\
's own button le\
ft a dark notch)\
,\x0a   and a popup\
 whose chosen it\
em is white on t\
he accent in lig\
ht and dark alik\
e. */\x0aQComboBox \
{ padding-right:\
 28px; }\x0aQComboB\
ox::drop-down { \
subcontrol-origi\
n: padding; subc\
ontrol-position:\
 center right; w\
idth: 24px; bord\
er: none; backgr\
ound: transparen\
t; }\x0aQComboBox::\
down-arrow { ima\
ge: url(:/loudsy\
nc/arrow-down.sv\
g); width: 10px;\
 height: 6px; }\x0a\
QComboBoxPrivate\
Container { bord\
er: 1px solid rg\
ba(140, 140, 165\
, 0.75); backgro\
und: palette(bas\
e); }\x0aQComboBox \
QAbstractItemVie\
w, QComboBox QAb\
stractItemView:f\
ocus { border: n\
one; border-radi\
us: 0; backgroun\
d: palette(base)\
; color: palette\
(text); padding:\
 3px; outline: n\
one; selection-b\
ackground-color:\
 #6D4AFF; select\
ion-color: white\
; }\x0aQComboBox QA\
bstractItemView:\
:item { min-heig\
ht: 26px; paddin\
g: 0 8px; border\
-radius: 4px; }\x0a\
QComboBox QAbstr\
actItemView::ite\
m:selected { bac\
kground: #6D4AFF\
; color: white; \
}\x0a/* A styled sp\
in box loses its\
 native arrows: \
draw them (grey \
chevrons suit li\
ght and dark). *\
/\x0aQSpinBox { pad\
ding-right: 26px\
; }\x0aQSpinBox::up\
-button, QSpinBo\
x::down-button {\
 subcontrol-orig\
in: border; widt\
h: 22px; border:\
 none; border-le\
ft: 1px solid rg\
ba(140, 140, 165\
, 0.75); backgro\
und: transparent\
; }\x0aQSpinBox::up\
-button { subcon\
trol-position: t\
op right; border\
-top-right-radiu\
s: 6px; }\x0aQSpinB\
ox::down-button \
{ subcontrol-pos\
ition: bottom ri\
ght; border-bott\
om-right-radius:\
 6px; }\x0aQSpinBox\
::up-button:hove\
r, QSpinBox::dow\
n-button:hover {\
 background: rgb\
a(124, 92, 255, \
0.15); }\x0aQSpinBo\
x::up-arrow { im\
age: url(:/louds\
ync/arrow-up.svg\
); width: 10px; \
height: 6px; }\x0aQ\
SpinBox::down-ar\
row { image: url\
(:/loudsync/arro\
w-down.svg); wid\
th: 10px; height\
: 6px; }\x0aQLineEd\
it[role=\x22code-in\
put\x22] { font-siz\
e: 14pt; font-fa\
mily: \x22DejaVu Sa\
ns Mono\x22, \x22Menlo\
\x22, \x22Consolas\x22, m\
onospace; letter\
-spacing: 2px; }\
\x0a\x0aQAbstractItemV\
iew { selection-\
background-color\
: #6D4AFF; selec\
tion-color: whit\
e; }\x0aQListView {\
 border: 1px sol\
id rgba(140, 140\
, 165, 0.75); bo\
rder-radius: 10p\
x; background: p\
alette(base); pa\
dding: 4px; outl\
ine: none; }\x0aQLi\
stView:focus { b\
order: 2px solid\
 #7C5CFF; }\x0a\x0aQFr\
ame[role=\x22card\x22]\
 { background: p\
alette(alternate\
-base); border: \
1px solid rgba(1\
40, 140, 165, 0.\
45); border-radi\
us: 12px; }\x0a\x0a/* \
Sliders in the a\
ccent; with the \
keyboard focus t\
he handle wears \
a wide ring (Fus\
ion's\x0a   dotted \
focus frame was \
hard to see). No\
 border on the s\
lider itself: th\
at would take\x0a  \
 the ends of the\
 bar away from c\
licks. */\x0aQSlide\
r { min-height: \
22px; }\x0aQSlider:\
:groove:horizont\
al { height: 4px\
; border-radius:\
 2px; background\
: rgba(140, 140,\
 165, 0.45); }\x0aQ\
Slider::sub-page\
:horizontal { he\
ight: 4px; borde\
r-radius: 2px; b\
ackground: #6D4A\
FF; }\x0aQSlider::h\
andle:horizontal\
 { width: 14px; \
height: 14px; ma\
rgin: -6px 0; bo\
rder-radius: 8px\
; background: #6\
D4AFF; border: 1\
px solid white; \
}\x0aQSlider::handl\
e:horizontal:hov\
er { background:\
 #5B3BEA; }\x0aQSli\
der::handle:hori\
zontal:focus { b\
ackground: white\
; border: 4px so\
lid #6D4AFF; wid\
th: 10px; height\
: 10px; }\x0aQSlide\
r::sub-page:hori\
zontal:disabled,\
 QSlider::handle\
:horizontal:disa\
bled { backgroun\
d: rgba(140, 140\
, 165, 0.6); }\x0a\x0a\
QProgressBar { m\
ax-height: 6px; \
min-height: 6px;\
 border: none; b\
order-radius: 3p\
x; background: r\
gba(128, 128, 16\
0, 0.25); }\x0aQPro\
gressBar::chunk \
{ background: #6\
D4AFF; border-ra\
dius: 3px; }\x0a\x0a/*\
 Alerts: no stoc\
k icons on their\
 buttons; the de\
structive choice\
 in the danger c\
olour. */\x0aQDialo\
gButtonBox { dia\
logbuttonbox-but\
tons-have-icons:\
 0; }\x0a/* The tit\
le is the alert'\
s heading (views\
/dialogs.py): bo\
ld, and the mess\
age beside it\x0a  \
 has room to bre\
athe rather than\
 a column a few \
words wide. */\x0aQ\
MessageBox QLabe\
l#qt_msgbox_labe\
l { font-weight:\
 600; font-size:\
 11pt; }\x0aQMessag\
eBox QLabel#qt_m\
sgbox_informativ\
elabel { min-wid\
th: 260px; }\x0aQMe\
ssageBox QPushBu\
tton#confirmButt\
on[role=\x22danger\x22\
] { color: #D42E\
3C; border-color\
: #D42E3C; font-\
weight: 600; }\x0aQ\
MessageBox QPush\
Button#confirmBu\
tton[role=\x22prima\
ry\x22] { color: #6\
D4AFF; border-co\
lor: #6D4AFF; fo\
nt-weight: 600; \
}\x0a\x0a/* The player\
's transport: ro\
und buttons with\
 icons. */\x0aQPush\
Button[role=\x22tra\
nsport\x22] { min-w\
idth: 40px; max-\
width: 40px; min\
-height: 40px; m\
ax-height: 40px;\
 padding: 0; bor\
der-radius: 20px\
; }\x0aQPushButton[\
role=\x22primary-ro\
und\x22] { min-widt\
h: 52px; max-wid\
th: 52px; min-he\
ight: 52px; max-\
height: 52px; pa\
dding: 0; border\
-radius: 26px; b\
ackground: #6D4A\
FF; border: 1px \
solid #5B3BEA; }\
\x0aQPushButton[rol\
e=\x22primary-round\
\x22]:hover { backg\
round: #5B3BEA; \
}\x0aQPushButton[ro\
le=\x22primary-roun\
d\x22]:focus { bord\
er: 2px solid pa\
lette(highlighte\
d-text); }\x0aQPush\
Button[role=\x22pri\
mary-round\x22]:dis\
abled { backgrou\
nd: rgba(109, 74\
, 255, 0.35); bo\
rder-color: tran\
sparent; }\x0a\x0a/* H\
ost and Join pag\
es scroll when t\
he window is sho\
rt: no backgroun\
d of their own. \
*/\x0aQScrollArea[r\
ole=\x22page-scroll\
\x22] { background:\
 transparent; bo\
rder: none; }\x0aQS\
crollArea[role=\x22\
page-scroll\x22] > \
QWidget > QWidge\
t#scrollContent \
{ background: tr\
ansparent; }\x0a\
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
\x00\x00\x00\xc4\x00\x00\x00\x00\x00\x01\x00\x00%\xfe\
\x00\x00\x00D\x00\x00\x00\x00\x00\x01\x00\x00\x01\xae\
\x00\x00\x00\x90\x00\x00\x00\x00\x00\x01\x00\x00$\x1b\
\x00\x00\x00z\x00\x00\x00\x00\x00\x01\x00\x00\x1f\xee\
\x00\x00\x00,\x00\x00\x00\x00\x00\x01\x00\x00\x00\xc7\
\x00\x00\x00\xae\x00\x00\x00\x00\x00\x01\x00\x00$\xf0\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
