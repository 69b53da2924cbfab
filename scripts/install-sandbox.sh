#!/usr/bin/env bash
# Installs what the code verifier's subprocess sandbox needs: bubblewrap (namespaces, a read-only
# view of the system), prlimit (util-linux: CPU, memory, process and file-size limits) and python3.
# Debian/Ubuntu packages; runs apt-get as root or through sudo. Does nothing when all are present.
set -euo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v prlimit >/dev/null 2>&1 || missing+=(util-linux)
[[ -x /usr/bin/python3 ]] || missing+=(python3)  # a system interpreter: programs run as nobody, who cannot read /root
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "sandbox: bwrap, prlimit and python3 are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
  echo "sandbox: need ${missing[*]}, and neither root nor sudo to install them; the subprocess sandbox's tests will be skipped" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "sandbox: need ${missing[*]}; install them with your package manager" >&2
  exit 1
fi
echo "sandbox: installing ${missing[*]}"
"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { "${SUDO[@]}" apt-get update >/dev/null 2>&1 && "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
# a user namespace is what bubblewrap isolates with: check that this kernel allows one
bwrap --unshare-all --ro-bind /usr /usr --dev /dev true 2>/dev/null \
  || echo "sandbox: bwrap is installed but cannot create namespaces here (a container without user namespaces?)" >&2
echo "sandbox: ready"
