#!/usr/bin/env bash
# Deploys this checkout with Docker Compose: back up the database, build the image, migrate in a one-shot
# container, start the new version and wait for /healthz. When a step after the backup fails, the previous
# image is tagged back, the backup restored and the previous version started again.
#
# Usage: scripts/deploy.sh [--dry-run]
#   --dry-run  print every step, and the rollback steps, without running any of them
# Environment:
#   SWITCHBOARD_IMAGE  the image the compose file builds, without tag (default: switchboard)
#   HEALTH_RETRIES     /healthz attempts before the new version counts as failed (default: 30)
#   HEALTH_INTERVAL    seconds between attempts (default: 2)
# Exit status: 0 deployed; 1 not deployed (nothing changed, or the previous version is back);
#   2 usage error; 3 the rollback failed too: the app may be down, act now.
set -euo pipefail
cd "$(dirname "$0")/.."

image="${SWITCHBOARD_IMAGE:-switchboard}"
current="$image:latest"
previous="$image:previous"
retries="${HEALTH_RETRIES:-30}"
interval="${HEALTH_INTERVAL:-2}"
dry_run=false
# Set once the backup exists; an empty value means there is nothing to roll back to (first deployment).
backup=""

usage() {
	sed -n '2,13s/^# \{0,1\}//p' "$0"
}

say() {
	printf '==> %s\n' "$*"
}

# Prints a command, then runs it unless this is a dry run.
run() {
	printf '+ %s\n' "$*"
	if ! "$dry_run"; then
		"$@"
	fi
}

compose_run() {
	run docker compose run --rm -T app "$@"
}

has_previous_image() {
	printf '+ %s\n' "docker image inspect $current"
	"$dry_run" || docker image inspect "$current" >/dev/null 2>&1
}

back_up() {
	local target
	target="/backups/switchboard-$(date -u +%Y%m%dT%H%M%SZ).dump"
	say "Backing up the database to $target (with the running version's tools)"
	printf '+ %s\n' "docker compose run --rm -T app npm run --silent db:backup -- --out $target"
	if "$dry_run"; then
		backup="$target"
		return 0
	fi
	# db:backup prints the path it wrote as its last line.
	backup="$(docker compose run --rm -T app npm run --silent db:backup -- --out "$target" | tail -n 1)" || return 1
	[ -n "$backup" ]
}

wait_healthy() {
	local attempt
	for ((attempt = 1; attempt <= retries; attempt++)); do
		if run docker compose exec -T app node scripts/healthcheck.mjs; then
			return 0
		fi
		if ((attempt < retries)); then
			sleep "$interval"
		fi
	done
	return 1
}

# The previous image and the database as they were before this deployment, then the previous version started.
restore_previous() {
	run docker image tag "$previous" "$current" &&
		run docker compose stop app &&
		compose_run npm run db:restore -- "$backup" &&
		run docker compose up -d --no-build app &&
		wait_healthy
}

roll_back() {
	say "FAILED: $1"
	if [ -z "$backup" ]; then
		say "First deployment: there is no previous version to return to. Fix the cause and run this again."
		exit 1
	fi
	say "Rolling back to the previous image and restoring $backup"
	if restore_previous; then
		say "Rolled back: the previous version is running on the database as it was before this deployment."
		exit 1
	fi
	say "ROLLBACK FAILED: the app may be down. Backup to restore by hand: $backup (volume backups)."
	exit 3
}

deploy() {
	say "Checking docker-compose.yml and .env"
	run docker compose config --quiet

	say "Starting the services the app needs"
	run docker compose up -d --wait postgres redis ollama

	say "Looking for the running image"
	if has_previous_image; then
		back_up || {
			say "FAILED: the backup did not complete; nothing was changed."
			exit 1
		}
		say "Keeping the running image as $previous"
		run docker image tag "$current" "$previous"
	else
		say "No $current yet: first deployment, nothing to back up"
	fi

	say "Building $current"
	if ! run docker compose build app; then
		say "FAILED: the build did not complete; the running version and the database are untouched."
		exit 1
	fi

	say "Migrating the database (one-shot container of the new image)"
	compose_run npm run db:migrate || roll_back "the migration failed"

	say "Starting the new version"
	run docker compose up -d --no-build app || roll_back "the new version did not start"

	say "Waiting for /healthz (up to $retries attempts, ${interval}s apart)"
	wait_healthy || roll_back "the new version did not become healthy"

	if "$dry_run"; then
		say "Dry run: nothing was run"
	else
		say "Deployed $current"
	fi
}

for arg in "$@"; do
	case "$arg" in
	--dry-run) dry_run=true ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "Unknown option: $arg" >&2
		usage >&2
		exit 2
		;;
	esac
done
if ! [[ "$retries" =~ ^[1-9][0-9]*$ ]] || ! [[ "$interval" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
	echo "HEALTH_RETRIES must be a whole number above 0 and HEALTH_INTERVAL a number of seconds" >&2
	exit 2
fi

deploy
if "$dry_run"; then
	say "On a failure after the backup, the rollback would run:"
	restore_previous
fi
