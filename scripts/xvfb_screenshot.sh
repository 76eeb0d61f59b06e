#!/usr/bin/env bash
# The window as a new user first sees it, on a real (virtual) X screen of a given size:
#
#     bash scripts/xvfb_screenshot.sh [:N] [WxH ...]      # default :99 1280x720
#     bash scripts/xvfb_screenshot.sh :71 1280x720 1600x1000
#
# For each size: starts Xvfb on display :N at that size, launches nnviz with no remembered
# settings (fresh XDG folders and HOME, so first-launch geometry is what is shown), waits until
# its window is mapped and has drawn, and saves the whole screen as docs/window-WxH.png.
# The app and Xvfb are stopped on every way out, failure and Ctrl+C included.
# Needs Xvfb, xdotool, xdpyinfo and ImageMagick's `import`. Offscreen pictures of single states
# are made by scripts/screenshots.py; this one shows what offscreen cannot: the real screen size.
set -euo pipefail
cd "$(dirname "$0")/.."

display=":99"
if [[ $# -gt 0 && $1 == :* ]]; then
    display=$1
    shift
fi
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1280x720)
settle_seconds=${SETTLE_SECONDS:-3}  # after the window is mapped: layout, plots and the network drawn

nnviz=.venv/bin/nnviz
[[ -x $nnviz ]] || nnviz=$(command -v nnviz) || { echo "no nnviz: run scripts/setup.sh first" >&2; exit 1; }
for tool in Xvfb xdotool xdpyinfo import; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install xvfb xdotool x11-utils imagemagick)" >&2; exit 1; }
done
number=${display#:}
if [[ -e /tmp/.X$number-lock || -e /tmp/.X11-unix/X$number ]]; then
    echo "display $display is in use; name a free one: $0 :N" >&2
    exit 1
fi

scratch=$(mktemp -d)
xvfb_pid=""
app_pid=""
stop() {
    # The app first (it talks to the server), then the server; each by the id we started.
    if [[ -n $app_pid ]]; then
        kill "$app_pid" 2>/dev/null || true
        wait "$app_pid" 2>/dev/null || true
    fi
    if [[ -n $xvfb_pid ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    app_pid=""
    xvfb_pid=""
}
cleanup() {
    stop
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

shoot() {
    local size=$1 out=docs/window-$1.png home=$scratch/home-$1
    [[ $size =~ ^[0-9]+x[0-9]+$ ]] || { echo "a size is WxH, e.g. 1280x720, not '$size'" >&2; return 1; }
    Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 100); do
        DISPLAY=$display xdpyinfo >/dev/null 2>&1 && break
        kill -0 "$xvfb_pid" 2>/dev/null || { cat "$scratch/xvfb.log" >&2; return 1; }
        sleep 0.1
    done
    DISPLAY=$display xdpyinfo >/dev/null 2>&1 || { echo "Xvfb did not start on $display" >&2; return 1; }

    # nnviz's QSettings live under XDG_CONFIG_HOME, crash logs and rescued saves under the
    # state and data folders: all of them fresh, so nothing of this machine's use shows.
    mkdir -p "$home"/{config,data,state,cache}
    env -u QT_QPA_PLATFORM DISPLAY="$display" HOME="$home" XDG_CONFIG_HOME="$home/config" \
        XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" \
        "$nnviz" >"$scratch/app.log" 2>&1 &
    app_pid=$!
    if ! DISPLAY=$display timeout 60 xdotool search --sync --onlyvisible --pid "$app_pid" >/dev/null; then
        echo "the window did not appear within 60 s; the app said:" >&2
        cat "$scratch/app.log" >&2
        return 1
    fi
    sleep "$settle_seconds"
    kill -0 "$app_pid" 2>/dev/null || { echo "the app quit; it said:" >&2; cat "$scratch/app.log" >&2; return 1; }
    DISPLAY=$display import -window root "$out"
    echo "wrote $out"
    stop
}

for size in "${sizes[@]}"; do
    shoot "$size"
done
