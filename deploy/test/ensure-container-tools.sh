#!/usr/bin/env bash
# Makes sure the tools `npm run test:containers` needs are installed, from Debian's
# packages: podman and runc run the images, busybox-static and nginx-light are what the
# local base images are made from, podman-compose checks compose.yaml and chromium loads
# the page through nginx. Installs what is missing when run as root; otherwise says what
# to install.
set -euo pipefail

missing=()
[ -x /usr/bin/podman ] || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
[ -x /bin/busybox ] || missing+=(busybox-static)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v podman-compose >/dev/null 2>&1 || missing+=(podman-compose)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)

if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test:containers needs: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing ${missing[*]} (Debian packages)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
