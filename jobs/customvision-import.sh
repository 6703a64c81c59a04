#!/usr/bin/env bash
# Runs customvision-import on one input, for cron and systemd: loads training keys from an
# environment file, appends everything to a log, and becomes the JVM (exec): signals sent to
# this script's pid (systemctl stop, kill) reach the job, which stops at a boundary, and the
# exit code is the job's own (0 all fine, 1 job failed or stopped (re-run resumes), 2 bad
# invocation, 3 rows need attention, 4 another run of this input is in progress). The job's
# summary in the log ends with its exit code.
#
# usage: customvision-import.sh INPUT.csv [job options...]
#
# CVIMPORT_HOME  working folder: reports/ live here, and data/, the job repository of versions
#                before the per-user one (still found and used, see docs/operations.md)
#                (default: the folder above this script)
# CVIMPORT_REPOSITORY  the job repository's directory, passed to the job; may be set in the
#                environment file; it wins over an earlier version's data/ (default: the job's own,
#                $XDG_STATE_HOME/customvision-import, else ~/.local/state/customvision-import:
#                the same for every run of this user, from this script or by hand)
# CVIMPORT_JAR   the jar (default: lib/customvision-import.jar in the folder above this script,
#                as jobs/install.sh installs it, else target/customvision-import.jar there, as
#                a build leaves it)
# CVIMPORT_ENV   environment file with the keys that rows name as env:NAME
#                (default: /etc/customvision-import.env, skipped if absent)
# CVIMPORT_LOG   log file (default: $CVIMPORT_HOME/logs/customvision-import.log)
# JAVA, JAVA_OPTS  the java command and its options (default: java, -Xmx512m)
set -uo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 INPUT.csv [job options...]" >&2
    exit 2
fi
input=$1
shift

installed=$(cd "$(dirname "$0")/.." && pwd)
home=${CVIMPORT_HOME:-$installed}
jar=${CVIMPORT_JAR:-$installed/lib/customvision-import.jar}
if [ -z "${CVIMPORT_JAR:-}" ] && [ ! -e "$jar" ]; then
    jar=$installed/target/customvision-import.jar
fi
env_file=${CVIMPORT_ENV:-/etc/customvision-import.env}
log=${CVIMPORT_LOG:-$home/logs/customvision-import.log}
java=${JAVA:-java}
read -r -a java_opts <<< "${JAVA_OPTS:--Xmx512m}"

if [ -r "$env_file" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$env_file"
    set +a
fi
# The job's own default, named in the log so that it says where the history is; not passed on:
# a repository named explicitly wins over an earlier version's ./data, which the job still finds
# in place of its default (the job's own "repository:" line then names it).
repository=${CVIMPORT_REPOSITORY:-}
if [ -z "$repository" ]; then
    state_home=${XDG_STATE_HOME:-}
    case $state_home in
        /*) ;;
        *) state_home=${HOME:?HOME is not set: set CVIMPORT_REPOSITORY}/.local/state ;;
    esac
    repository=$state_home/customvision-import
fi
mkdir -p "$(dirname "$log")" || exit 1
cd "$home" || exit 1

exec >>"$log" 2>&1
echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) start $input (pid $$, repository $repository)"
exec "$java" "${java_opts[@]}" -jar "$jar" --input="$input" "$@"
