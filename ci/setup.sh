#!/usr/bin/env bash
# Set up a fresh Debian 12 machine (as root) to build and test tmlc: the Debian packages of TOOLCHAIN.md §6, the
# npm dependencies (llvm-bindings builds from source against llvm-14-dev), the compiler (tsc) and the C runtime
# (cmake). Idempotent: installs only what is missing, and skips `npm ci` when node_modules matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

# --- Debian packages (Node 20 is preinstalled; never install Debian's nodejs, which is 18) ---
packages=(llvm-14-dev clang-14 libclang-rt-14-dev valgrind gdb cmake gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci/setup.sh: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
else
  say "Debian packages present"
fi

# --- npm dependencies ---
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "ci/setup.sh: Node $(node --version) is too old; tmlc needs Node 20 or later" >&2
  exit 1
fi
addon=node_modules/llvm-bindings/build/Release/llvm-bindings.node
stamp=node_modules/.tmlc-setup-stamp
# the patch of llvm-bindings is part of what node_modules must match: a changed patch means a rebuilt addon
want_stamp="$(cat package-lock.json patches/*.patch | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [ -f "$addon" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  say "node_modules up to date"
else
  # package.json's allowScripts keeps npm 11 from running llvm-bindings' own install script; our postinstall applies
  # patches/llvm-bindings+0.4.2.patch (patch-package) and then builds the patched addon (cmake-js, ~2.5 min), once
  say "npm ci"
  log=$(mktemp)
  if npm ci >"$log" 2>&1; then
    cat "$log"
  else
    # The registry these machines reach has no packages for other platforms (e.g. @rollup/rollup-android-arm64 is a
    # 404). The committed lock file lists rollup's optional platform packages, so `npm ci` accepts it; a lock file
    # regenerated where they are missing is refused by npm 11's `npm ci` as "not in sync". `npm install` installs the
    # same locked versions and accepts that.
    if grep -q 'can only install packages when your package.json and package-lock.json' "$log"; then
      say "npm ci refused the lock file (optional platform packages missing); using npm install"
      npm install --no-audit --no-fund
    else
      cat "$log"
      rm -f "$log"
      exit 1
    fi
  fi
  rm -f "$log"
  if [ ! -f "$addon" ]; then
    echo "ci/setup.sh: npm ci did not build llvm-bindings ($addon is missing)." >&2
    echo "  Check that llvm-14-dev and cmake are installed; then run: npm run postinstall (patch-package + ci/build_llvm_bindings.mjs)" >&2
    exit 1
  fi
  echo "$want_stamp" > "$stamp"
fi

# --- the compiler ---
say "npm run build"
npm run build

# --- the C runtime (all variants, the bitcode, the runtime's unit tests) ---
say "building the runtime"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2

say "set-up done"
