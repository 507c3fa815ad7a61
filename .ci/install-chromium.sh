#!/usr/bin/env bash
# Make Debian's Chromium (and fonts for Han, Khmer and Thai text) available for the browser
# tests (tests/web/test_browser.py), which drive /usr/bin/chromium through Playwright and
# never download a browser of their own. Installs only when /usr/bin/chromium is missing.
# Safe to run repeatedly.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-noto-core fonts-noto-cjk)

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "install-chromium: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

main() {
    if [[ -x "$CHROMIUM" ]]; then
        echo "install-chromium: found $CHROMIUM; nothing to install"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-chromium: no $CHROMIUM and no apt-get; install Chromium manually" >&2
        return 1
    fi
    echo "install-chromium: installing ${PACKAGES[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
    if [[ ! -x "$CHROMIUM" ]]; then
        echo "install-chromium: the packages installed but $CHROMIUM is still missing" >&2
        return 1
    fi
    echo "install-chromium: installed; $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
