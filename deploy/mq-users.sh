#!/usr/bin/env bash
# One RabbitMQ user per service, limited to its own queues and the exchanges it publishes (the same rules as the
# Topology Operator's Permissions in k8s/base/data/rabbitmq.yaml). Idempotent, and quick when nothing is missing: it
# adds only the users that do not exist (an existing user's password is never changed) and sets only the permissions
# that differ. Run by deploy/infra.sh; the tests run it on a virtual host of their own (--vhost, --suffix).
#
#   deploy/mq-users.sh [--vhost /] [--suffix ""]       user crisisops-<service><suffix>, password
#                                                       $CRISISOPS_MQ_<SERVICE>_PASSWORD or crisisops-<service>-local
# What MassTransit names (ServiceDefaults/Messaging): each service's queues, and the exchange bound to each, are
# crisisops-<service>-... (its endpoint prefix); a contract's exchange is CrisisOps.Contracts.<Owner>.V1:<Type>,
# declared by its publisher and by every consumer (configure), written by its owner only (write), bound to the
# consumers' queues (read); a consumer's failures go to MassTransit:Fault--... exchanges and <queue>_error queues.
set -euo pipefail

vhost=/ suffix=""
while [ $# -gt 0 ]; do
  case $1 in
    --vhost) vhost=$2; shift 2 ;;
    --suffix) suffix=$2; shift 2 ;;
    *) echo "mq-users: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -n "${RABBITMQCTL:-}" ]; then read -r -a ctl <<<"$RABBITMQCTL"; elif [ "$(id -u)" = 0 ]; then ctl=(rabbitmqctl); else ctl=(sudo rabbitmqctl); fi

# name: the service; owner: the contract namespace it publishes ("" for none: the situation picture only consumes).
SERVICES=("declaration Declaration" "measures Measures" "reception Reception" "humanitarian Humanitarian"
  "leverages Leverages" "situation")

users=$("${ctl[@]}" -q list_users --no-table-headers | cut -f1)
permissions=$("${ctl[@]}" -q list_permissions -p "$vhost" --no-table-headers)
for service in "${SERVICES[@]}"; do
  read -r name owner <<<"$service"
  user="crisisops-$name$suffix"
  own="crisisops-$name-.*"
  configure="^($own|CrisisOps\\.Contracts\\..*|MassTransit:Fault--.*)\$"
  if [ -n "${owner:-}" ]; then write="^($own|CrisisOps\\.Contracts\\.$owner\\.V1:.*|MassTransit:Fault--.*)\$"; else write="^($own|MassTransit:Fault--.*)\$"; fi
  read="^($own|CrisisOps\\.Contracts\\..*)\$"
  if ! grep -qxF "$user" <<<"$users"; then
    variable="CRISISOPS_MQ_$(tr '[:lower:]' '[:upper:]' <<<"$name")_PASSWORD"
    "${ctl[@]}" -q add_user "$user" "${!variable:-crisisops-$name-local}" >/dev/null
  fi
  if ! grep -qxF "$(printf '%s\t%s\t%s\t%s' "$user" "$configure" "$write" "$read")" <<<"$permissions"; then
    "${ctl[@]}" -q set_permissions -p "$vhost" "$user" "$configure" "$write" "$read" >/dev/null
  fi
done
