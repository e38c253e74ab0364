#!/usr/bin/env bash
# Makes `promtool` available for the monitoring kit's checks (configs/monitoring): Debian's `prometheus`
# package, installed when this machine can (root and apt). Without it the kit's promtool tests are skipped with
# a printed reason and the YAML/expression tests still run, so this never fails CI by itself.
set -uo pipefail
if command -v promtool >/dev/null 2>&1; then
  echo "promtool: $(promtool --version 2>&1 | head -1)" >&2
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool: not installed (needs root and apt-get); its checks will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# The package's service must not start inside CI; policy-rc.d 101 forbids it.
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; fi
if ! apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1; then
  apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends prometheus >/dev/null 2>&1
fi
if command -v promtool >/dev/null 2>&1; then
  echo "promtool: installed $(promtool --version 2>&1 | head -1)" >&2
else
  echo "promtool: could not be installed from Debian packages; its checks will be skipped" >&2
fi
exit 0
