#!/bin/sh
# Makes docs/workbench.png, the README's screenshot of the ILMPQ Workbench: the editor on a copy of
# examples/digits-cnn.ilmpq whose split adds up to 95 % (so that it has an error), with its marker, the Outline and
# the Problems view. With --design, docs/design-view.png: examples/resnet18-xc7z020.ilmpq with the Design view
# opened through Show View (Alt+Shift+Q Q) and maximized (Ctrl+M).
#
#   docs/screenshot.sh [--design] [OUTPUT.png]        (default: docs/workbench.png, docs/design-view.png)
#
# Builds nothing: it runs the product the build materialises in
# releng/org.ilmpq.product/target/products/org.ilmpq.workbench/linux/gtk/x86_64 (ILMPQ_PRODUCT overrides it).
# Needs Java 17+ and three Debian packages: xvfb (Xvfb), python3-pil (PIL, for /usr/bin/python3) and libgtk-3-0:
#   apt-get install -y xvfb python3-pil libgtk-3-0
# libX11 and libXtst, which come with them, are driven through Python's ctypes: no other X tool is needed.
#
# It starts Xvfb on a free display (1400x900x24) and the workbench with a temporary workspace; makes the window fill
# the screen (there is no window manager); waits until the spec is open and the screen has settled; expands the
# Problems view's "Errors" group (Alt+Shift+Q X, then the keypad's +); waits again, grabs the screen, and stops
# everything it started, whatever happens. If the workbench logged an error, it says so, exits with 1 and writes
# the screenshot and the log to /tmp/workbench-failed.png and .log instead.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd -P)
design=
if [ "${1:-}" = --design ]; then design=yes; shift; fi
if [ -n "$design" ]; then out=${1:-$root/docs/design-view.png}; else out=${1:-$root/docs/workbench.png}; fi
product=${ILMPQ_PRODUCT:-$root/releng/org.ilmpq.product/target/products/org.ilmpq.workbench/linux/gtk/x86_64}
python=/usr/bin/python3
width=1400
height=900

if [ ! -x "$product/ilmpq-workbench" ]; then
    echo "screenshot.sh: no product in $product" >&2
    echo "screenshot.sh: build it first: ./mvnw -B verify   (it materialises the product)" >&2
    exit 2
fi
command -v Xvfb >/dev/null 2>&1 || { echo "screenshot.sh: Xvfb is missing: apt-get install -y xvfb" >&2; exit 2; }
"$python" -c 'from PIL import ImageGrab' 2>/dev/null \
    || { echo "screenshot.sh: $python has no PIL: apt-get install -y python3-pil" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ilmpq-screenshot.XXXXXX")
xvfb=
workbench=
cleanup() {
    for pid in $workbench $xvfb; do
        kill "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# the X11 helper: grab FILE | same A B (the screens differ by no more than a blinking caret) | fit (the workbench
# window, titled "... - ILMPQ Workbench", to the screen) | keys KEY... (XTest key strokes to the workbench window,
# e.g. alt+shift+q) | type KEY... (the same, to whatever has the focus)
cat > "$tmp/x11.py" <<'PY'
import ctypes, sys, time
command, display_name, args = sys.argv[1], sys.argv[2], sys.argv[3:]
if command == "grab":
    from PIL import ImageGrab
    ImageGrab.grab(xdisplay=display_name).save(args[0])
    sys.exit(0)
if command == "same":
    from PIL import Image, ImageChops
    a, b = (Image.open(p).convert("RGB") for p in args[:2])
    box = ImageChops.difference(a, b).getbbox()
    sys.exit(0 if box is None or (box[2] - box[0]) * (box[3] - box[1]) <= 400 else 1)

c = ctypes
x = c.cdll.LoadLibrary("libX11.so.6")
x.XOpenDisplay.restype = c.c_void_p
x.XOpenDisplay.argtypes = [c.c_char_p]
x.XDefaultRootWindow.restype = c.c_ulong
x.XDefaultRootWindow.argtypes = [c.c_void_p]
ulongs = c.POINTER(c.c_ulong)
x.XQueryTree.argtypes = [c.c_void_p, c.c_ulong, ulongs, ulongs, c.POINTER(ulongs), c.POINTER(c.c_uint)]
x.XFetchName.argtypes = [c.c_void_p, c.c_ulong, c.POINTER(c.c_char_p)]
x.XGetGeometry.argtypes = [c.c_void_p, c.c_ulong, ulongs] + [c.POINTER(c.c_int)] * 2 + [c.POINTER(c.c_uint)] * 4
x.XMoveResizeWindow.argtypes = [c.c_void_p, c.c_ulong, c.c_int, c.c_int, c.c_uint, c.c_uint]
x.XSetInputFocus.argtypes = [c.c_void_p, c.c_ulong, c.c_int, c.c_ulong]
x.XStringToKeysym.restype = c.c_ulong
x.XStringToKeysym.argtypes = [c.c_char_p]
x.XKeysymToKeycode.restype = c.c_ubyte
x.XKeysymToKeycode.argtypes = [c.c_void_p, c.c_ulong]
x.XSync.argtypes = [c.c_void_p, c.c_int]
x.XCloseDisplay.argtypes = [c.c_void_p]
display = x.XOpenDisplay(display_name.encode())
if not display:
    sys.exit(1)

def workbench_window():
    root, parent, children, count = c.c_ulong(), c.c_ulong(), ulongs(), c.c_uint()
    x.XQueryTree(display, x.XDefaultRootWindow(display), c.byref(root), c.byref(parent), c.byref(children),
                 c.byref(count))
    for i in range(count.value):
        name = c.c_char_p()
        if x.XFetchName(display, children[i], c.byref(name)) and name.value and b"- ILMPQ Workbench" in name.value:
            return children[i]
    return None

window = workbench_window()
if window is None:
    sys.exit(1)
if command == "fit":
    # exit 0 once the window has the screen's size
    width, height = int(args[0]), int(args[1])
    root, xy, size = c.c_ulong(), [c.c_int(), c.c_int()], [c.c_uint() for _ in range(4)]
    x.XGetGeometry(display, window, c.byref(root), *map(c.byref, xy), *map(c.byref, size))
    if (xy[0].value, xy[1].value, size[0].value, size[1].value) == (0, 0, width, height):
        sys.exit(0)
    x.XMoveResizeWindow(display, window, 0, 0, width, height)
    x.XSync(display, 0)
    sys.exit(1)
if command in ("keys", "type"):
    xtst = c.cdll.LoadLibrary("libXtst.so.6")
    xtst.XTestFakeKeyEvent.argtypes = [c.c_void_p, c.c_uint, c.c_int, c.c_ulong]
    xtst.XTestFakeMotionEvent.argtypes = [c.c_void_p, c.c_int, c.c_int, c.c_int, c.c_ulong]
    if command == "keys":
        # the pointer on the status line, where it shows no hover; the keyboard to the workbench window ("type"
        # leaves the focus where it is: in a dialog the workbench opened)
        xtst.XTestFakeMotionEvent(display, -1, 700, 892, 0)
        x.XSetInputFocus(display, window, 2, 0)  # RevertToParent, CurrentTime
        x.XSync(display, 0)
    names = {"alt": "Alt_L", "shift": "Shift_L", "ctrl": "Control_L"}
    for stroke in args:
        codes = [x.XKeysymToKeycode(display, x.XStringToKeysym(names.get(k, k).encode())) for k in stroke.split("+")]
        for code in codes:
            xtst.XTestFakeKeyEvent(display, code, 1, 0)
        for code in reversed(codes):
            xtst.XTestFakeKeyEvent(display, code, 0, 0)
        x.XSync(display, 0)
        time.sleep(0.5)
x.XCloseDisplay(display)
PY
x11() { command=$1; shift; "$python" "$tmp/x11.py" "$command" "$display" "$@"; }

mkdir "$tmp/examples"
if [ -n "$design" ]; then
    # a spec without errors, large enough for the chart to say something
    spec=$tmp/examples/resnet18-xc7z020.ilmpq
    cp "$root/examples/resnet18-xc7z020.ilmpq" "$spec"
else
    # the spec, with an invalid split (60 + 30 + 5 = 95 %)
    spec=$tmp/examples/digits-cnn.ilmpq
    sed 's/35 % fixed 4/30 % fixed 4/' "$root/examples/digits-cnn.ilmpq" > "$spec"
    grep -q '30 % fixed 4' "$spec" || { echo "screenshot.sh: examples/digits-cnn.ilmpq has no '35 % fixed 4' to break" >&2; exit 1; }
fi

# Xvfb picks a free display itself and writes its number once it accepts connections
Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" -nolisten tcp 3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
i=0
while [ ! -s "$tmp/display" ]; do
    kill -0 "$xvfb" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; echo "screenshot.sh: Xvfb did not start" >&2; exit 1; }
    [ $i -lt 100 ] || { echo "screenshot.sh: Xvfb did not start in 10 s" >&2; exit 1; }
    sleep 0.1; i=$((i + 1))
done
display=:$(head -n 1 "$tmp/display")
echo "screenshot.sh: Xvfb on $display; starting $product/ilmpq-workbench"

DISPLAY=$display ILMPQ_WORKSPACE=$tmp/workspace "$product/ilmpq-workbench" "$spec" >"$tmp/workbench.out" 2>&1 &
workbench=$!

elapsed=0
alive() {
    kill -0 "$workbench" 2>/dev/null && return 0
    cat "$tmp/workbench.out" >&2
    echo "screenshot.sh: the workbench exited" >&2
    exit 1
}
# until the screen stops changing: two grabs 3 s apart that differ by no more than a blinking caret (240 s at most)
settle() {
    x11 grab "$tmp/before.png"
    while :; do
        sleep 3; elapsed=$((elapsed + 3))
        alive
        x11 fit "$width" "$height" || true
        x11 grab "$tmp/after.png"
        if x11 same "$tmp/before.png" "$tmp/after.png"; then return 0; fi
        if [ $elapsed -ge 240 ]; then echo "screenshot.sh: the screen did not settle in 240 s" >&2; return 0; fi
        mv "$tmp/after.png" "$tmp/before.png"
    done
}

# the start hook links examples/ into the workspace project ilmpq-specs, builds it and opens the spec
project=$tmp/workspace/.metadata/.plugins/org.eclipse.core.resources/.projects/ilmpq-specs
fitted=
while [ -z "$fitted" ] || [ ! -d "$project" ] || [ $elapsed -lt 15 ]; do
    alive
    if [ -z "$fitted" ] && x11 fit "$width" "$height"; then fitted=yes; fi
    [ $elapsed -lt 240 ] || { echo "screenshot.sh: the workbench did not open the spec in 240 s" >&2; exit 1; }
    sleep 1; elapsed=$((elapsed + 1))
done
settle
if [ -n "$design" ]; then
    # Show View (Alt+Shift+Q Q), filter for the Design view, open it, maximize it
    x11 keys alt+shift+q q || echo "screenshot.sh: could not send keys to the workbench" >&2
    sleep 2
    x11 type d e s i g n || true
    sleep 3   # the dialog filters its tree a moment after the last key
    x11 type Return || true
    sleep 3
    x11 keys ctrl+m || true   # to the workbench window, whose active part the Design view now is
else
    # show the error's row in the Problems view: activate the view, go to its first row (the group), expand it
    x11 keys alt+shift+q x Home KP_Add || echo "screenshot.sh: could not send keys to the workbench" >&2
fi
settle

# a clean start logs nothing: on an error, keep docs/workbench.png as it is and leave the grab in /tmp
log=$tmp/workspace/.metadata/.log
if [ -f "$log" ] && grep -q '^!ENTRY [^ ]* 4 ' "$log"; then
    out=${TMPDIR:-/tmp}/workbench-failed.png
    cp "$log" "${TMPDIR:-/tmp}/workbench-failed.log"
    status=1
else
    status=0
fi
"$python" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], optimize=True)' \
    "$tmp/after.png" "$out"
echo "screenshot.sh: wrote $out ($(wc -c < "$out") bytes) after ${elapsed} s"
if [ -f "$log" ] && grep -q '^!ENTRY' "$log"; then
    echo "screenshot.sh: the workbench logged:" >&2
    grep -A 3 '^!ENTRY' "$log" >&2
fi
exit $status
