#!/bin/sh
# Follows docker-library/redis docker-entrypoint.sh (7.0/debian) in what Hearth relies on.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi

if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec gosu redis "$0" "$@"
fi

if [ "$1" = 'redis-server' ]; then
  # The official image builds Redis with protected mode off; Debian's keeps it on.
  shift
  if [ -n "$1" ] && [ "${1#-}" = "$1" ]; then conf=$1; shift; set -- "$conf" --protected-mode no "$@"
  else set -- --protected-mode no "$@"; fi
  set -- redis-server "$@"
fi

um="$(umask)"; if [ "$um" = '0022' ]; then umask 0077; fi
exec "$@"
