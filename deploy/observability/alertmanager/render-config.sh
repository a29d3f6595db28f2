#!/bin/sh
# Fills the ${TELEGRAM_CHAT_ID_*} placeholders of an Alertmanager config from a Secret's
# files (chat-id-memelab, chat-id-healthcare, chat-id-platform) and writes the result.
#
#   render-config.sh TEMPLATE SECRET_DIR OUTPUT
#
# POSIX sh and sed only, so it runs in the Alertmanager image (busybox) as well as on a
# workstation piping into `kubectl create secret`. A chat id is digits with an optional
# leading minus (groups are negative); anything else stops here rather than in Alertmanager.
set -eu
template=$1 secrets=$2 output=$3
script=''
for tenant in memelab healthcare platform; do
  file="$secrets/chat-id-$tenant"
  if [ ! -r "$file" ]; then
    echo "render-config: $file is missing (the Telegram chat id for $tenant)" >&2
    exit 1
  fi
  value=$(tr -d ' \n\r' <"$file")
  case $value in
    '' | - | *[!0-9-]* | ?*-*)
      echo "render-config: $file must hold a Telegram chat id (digits, a leading - for groups)" >&2
      exit 1
      ;;
  esac
  upper=$(printf '%s' "$tenant" | tr '[:lower:]' '[:upper:]')
  script="${script}s/\${TELEGRAM_CHAT_ID_${upper}}/${value}/g;"
done
sed "$script" "$template" >"$output.tmp"
mv "$output.tmp" "$output"
