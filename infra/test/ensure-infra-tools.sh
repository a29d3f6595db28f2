#!/usr/bin/env bash
# Makes sure the tools `npm run test:infra` needs are installed, from Debian's packages:
# ansible (with the containers.podman, ansible.posix, community.general and kubernetes.core
# collections), ansible-lint, yamllint, cloud-init (cloud-init schema), containerd
# (containerd config dump), podman and runc (the container the roles run against),
# debootstrap (its root file system), iproute2 and shellcheck. Installs what is missing
# when run as root; otherwise says what to install. Terraform is not a Debian package: it
# must be on PATH already.
set -euo pipefail

missing=()
command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible)
command -v ansible-lint >/dev/null 2>&1 || missing+=(ansible-lint)
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
command -v cloud-init >/dev/null 2>&1 || missing+=(cloud-init)
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
[ -x /usr/bin/podman ] || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)
[ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)

if ! command -v terraform >/dev/null 2>&1; then
  echo "test:infra needs terraform (1.9 or newer) on PATH; it is not a Debian package" >&2
  exit 1
fi

if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test:infra needs: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing ${missing[*]} (Debian packages)" >&2
# Other installers may hold apt's lock; wait for it rather than fail.
exec 9>/tmp/apt.lock
flock 9
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
