#!/usr/bin/env bash
# Fresh credentials for compose.yaml: data/compose/.env (the cluster secret and the admin, client and worker keys,
# for `docker compose --env-file`) and data/compose/api-keys (the coordinators' API keys file: principal, roles and
# the SHA-256 of each key). Readable by their owner only; run again to rotate (then restart the cluster).
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/data/compose"
mkdir -p "$dir"
key() { printf 'fr_%s_%s' "$1" "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; }
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
admin=$(key admin); client=$(key client); worker=$(key worker); secret=$(key cluster)
umask 077
printf 'FLOWRAFT_CLUSTER_SECRET=%s\nFLOWRAFT_ADMIN_KEY=%s\nFLOWRAFT_CLIENT_KEY=%s\nFLOWRAFT_WORKER_KEY=%s\n' \
  "$secret" "$admin" "$client" "$worker" > "$dir/.env"
printf 'admin admin %s\nclient client %s\nworker worker %s\n' "$(sha "$admin")" "$(sha "$client")" \
  "$(sha "$worker")" > "$dir/api-keys"
# The coordinators run as 65532 and read the keys file through a bind mount.
chmod 644 "$dir/api-keys"
echo "Wrote $dir/.env and $dir/api-keys"
