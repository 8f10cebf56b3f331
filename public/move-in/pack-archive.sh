#!/bin/sh
# Packs a Mastodon, Misskey or Sharkey server that runs somewhere else into an archive Hearth can
# move in: the layout of a Hearth export (manifest "hearth-instance-export/1", every file listed
# with its size and sha256). It reads what you give it and writes one .tar.gz; it changes nothing
# on your server. Needs only sh, tar, gzip and sha256sum (or shasum), as on any Linux server.
#
# 1. Dump the database in PostgreSQL's custom format, with the server stopped or in a quiet hour:
#      pg_dump --format=custom --no-owner --file=database.pgdump mastodon_production
#    (in Docker Compose: docker compose exec -T db pg_dump --format=custom --no-owner -U postgres
#     mastodon_production > database.pgdump)
# 2. Pack it with the configuration and the media:
#      sh pack-archive.sh --software mastodon --version 4.3.2 --domain social.example.org \
#        --database database.pgdump --config /home/mastodon/live/.env.production \
#        --media /home/mastodon/live/public/system --out social-example-org.tar.gz
#    Misskey and Sharkey: --config is .config/default.yml and --media the files folder.
#    --redis dump.rdb adds Redis's data (optional: Mastodon rebuilds home feeds without it).
# 3. Upload the .tar.gz on your new community's dashboard on Hearth.
#
# The domain is your server's LOCAL_DOMAIN (Misskey: the host of `url`), the identity its accounts
# and posts are known by on the fediverse; it stays the same on Hearth. Hearth keeps media on its
# own disk: media in object storage (S3_ENABLED=true) must be copied from the bucket into a folder
# first (aws s3 sync, rclone) and that folder given as --media.
set -eu

fail() {
  printf 'pack-archive: %s\n' "$1" >&2
  exit 2
}

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

software='' version='' domain='' database='' config='' media='' redis='' out=''
while [ $# -gt 0 ]; do
  case "$1" in
    --software | --version | --domain | --database | --config | --media | --redis | --out)
      [ $# -ge 2 ] || fail "$1 needs a value"
      name=${1#--}
      eval "$name=\$2"
      shift 2
      ;;
    -h | --help) usage 0 ;;
    *) fail "unknown argument: $1 (see --help)" ;;
  esac
done

case "$software" in
  mastodon) SOFTWARE=MASTODON top=system config_name=app.env ;;
  misskey) SOFTWARE=MISSKEY top=files config_name=default.yml ;;
  sharkey) SOFTWARE=SHARKEY top=files config_name=default.yml ;;
  '') fail "--software is required: mastodon, misskey or sharkey" ;;
  *) fail "--software must be mastodon, misskey or sharkey, not \"$software\"" ;;
esac
printf '%s\n' "$version" | grep -Eq '^v?[0-9]+(\.[0-9]+)*(-[0-9A-Za-z.-]+)?$' ||
  fail "--version must be the server's version, such as 4.3.2 (Mastodon: Administration > About; Misskey: the About page)"
domain=$(printf '%s' "$domain" | tr 'A-Z' 'a-z')
printf '%s\n' "$domain" | grep -Eq '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$' ||
  fail "--domain must be the server's domain, such as social.example.org"
[ -n "$database" ] || fail "--database is required: a pg_dump --format=custom of the server's database"
[ -f "$database" ] || fail "--database: no file at $database"
[ "$(head -c 5 "$database")" = PGDMP ] || fail "--database: $database is not a pg_dump in the custom format (pg_dump --format=custom)"
[ -n "$config" ] || fail "--config is required: Mastodon's .env.production, or Misskey's .config/default.yml"
[ -f "$config" ] || fail "--config: no file at $config"
[ -z "$media" ] || [ -d "$media" ] || fail "--media: no folder at $media"
[ -z "$redis" ] || [ -f "$redis" ] || fail "--redis: no file at $redis"
[ -n "$out" ] || out="$(printf '%s' "$domain" | tr '.' '-')-move-in.tar.gz"
[ ! -e "$out" ] || fail "--out: $out exists already"

# The configuration must name the same domain: the accounts in the database are known by it.
value() { sed -n "s/^$1=[\"']\{0,1\}\([^\"']*\)[\"']\{0,1\}[[:space:]]*\$/\1/p" "$config" | tail -n 1; }
if [ "$SOFTWARE" = MASTODON ]; then
  local_domain=$(value LOCAL_DOMAIN)
  web_domain=$(value WEB_DOMAIN)
  [ -n "$local_domain" ] || fail "--config: $config sets no LOCAL_DOMAIN; is it Mastodon's .env.production?"
  [ "$local_domain" = "$domain" ] || fail "--config sets LOCAL_DOMAIN=$local_domain, not $domain: --domain must be the server's LOCAL_DOMAIN"
  [ -z "$web_domain" ] || [ "$web_domain" = "$domain" ] ||
    fail "--config sets WEB_DOMAIN=$web_domain beside LOCAL_DOMAIN=$domain: Hearth serves a server at one domain, so it cannot move in yet"
else
  url=$(sed -n "s/^url:[[:space:]]*[\"']\{0,1\}\([^\"'[:space:]]*\)[\"']\{0,1\}[[:space:]]*\$/\1/p" "$config" | head -n 1)
  [ -n "$url" ] || fail "--config: $config sets no url; is it Misskey's .config/default.yml?"
  host=$(printf '%s' "$url" | sed 's#^[a-z]*://##; s#[:/].*$##' | tr 'A-Z' 'a-z')
  [ "$host" = "$domain" ] || fail "--config's url is $url, not at $domain: --domain must be the host of the server's url"
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  fail "neither sha256sum nor shasum is installed"
fi
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The archive's names point at your files (tar follows them with -h): nothing big is copied but
# the media tar.
mkdir "$work/config"
ln -s "$(absolute "$database")" "$work/database.pgdump"
ln -s "$(absolute "$config")" "$work/config/$config_name"
files="database.pgdump config/$config_name"
if [ -n "$media" ]; then
  mkdir "$work/media"
  ln -s "$(absolute "$media")" "$work/media/$top"
  printf 'pack-archive: packing the media folder %s\n' "$media" >&2
  tar -C "$work/media" -chf "$work/media.tar" "$top"
  files="$files media.tar"
fi
if [ -n "$redis" ]; then
  mkdir "$work/redis"
  ln -s "$(absolute "$redis")" "$work/redis/dump.rdb"
  files="$files redis/dump.rdb"
fi

what() {
  case "$1" in
    database.pgdump) printf 'the database (pg_dump --format=custom)' ;;
    config/*) printf "the server's configuration, secrets included" ;;
    media.tar) printf "the media folder (%s)" "$top" ;;
    redis/dump.rdb) printf "Redis's dump.rdb" ;;
  esac
}
{
  printf '{"format":"hearth-instance-export/1","software":"%s","version":"%s","domain":"%s",' "$SOFTWARE" "$version" "$domain"
  printf '"createdAt":"%s","notes":["Packed by its owner with pack-archive.sh"],"files":[' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  sep=''
  for file in $files; do
    printf 'pack-archive: checksumming %s\n' "$file" >&2
    size=$(wc -c <"$work/$file" | tr -d ' ')
    printf '%s{"path":"%s","size":%s,"sha256":"%s","what":"%s"}' "$sep" "$file" "$size" "$(sha256 "$work/$file")" "$(what "$file")"
    sep=','
  done
  printf ']}\n'
} >"$work/manifest.json"

# shellcheck disable=SC2086 # $files is a list of fixed names without spaces
tar -C "$work" -chzf "$out" manifest.json $files
printf 'pack-archive: wrote %s (%s bytes); upload it on your community'"'"'s dashboard on Hearth\n' "$out" "$(wc -c <"$out" | tr -d ' ')" >&2
