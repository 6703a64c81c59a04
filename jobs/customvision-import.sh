#!/usr/bin/env bash
# Runs customvision-import on one input, for cron and systemd: loads training keys from an
# environment file, appends everything to a log, and becomes the JVM (exec): signals sent to
# this script's pid (systemctl stop, kill) reach the job, which stops at a boundary, and the
# exit code is the job's own (0 all fine, 1 job failed or stopped (re-run resumes), 2 bad
# invocation, 3 rows need attention, 4 another run of this input is in progress). The job's
# summary in the log ends with its exit code.
#
# usage: customvision-import.sh INPUT.csv [job options...]
#        customvision-import.sh --start-archive   (makes the start-up archive if missing, and
#                                                  runs nothing: jobs/install.sh uses it)
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
# JAVA, JAVA_OPTS  the java command and its options (default: java, -Xmx512m), after the
#                launcher's own -XX:TieredStopAtLevel=1 (see below)
# CVIMPORT_CACHE  folder of the start-up archive: the jar extracted with a class-data sharing
#                archive of an empty run's classes, which starts the JVM in about half the time
#                and CPU. Made by the first run of a jar (about 15 s more, once; jobs/install.sh
#                makes it at install), made again when the jar, java or JAVA_OPTS change; a run
#                it cannot help starts the jar as it is, and one that could not be made is not
#                tried again for that jar (delete its folder to). "none": never
#                (default: $XDG_CACHE_HOME/customvision-import, else ~/.cache/customvision-import)
set -uo pipefail

# The start-up archive of this jar, java and JAVA_OPTS in CVIMPORT_CACHE: made if missing,
# then held (a shared lock on fd 9, which the JVM inherits) so that no later upgrade deletes it
# under a running job. Sets archive_jar and archive_opts; fails, setting nothing, when there is
# none to use (another run is making it, it cannot be made, no cache folder).
use_start_archive() {
    local cache=$1 java_path key dir
    [ "$cache" != none ] && command -v flock >/dev/null || return 1
    java_path=$(readlink -f "$(command -v "$java")") || return 1
    key=$(printf '%s\n' "$(readlink -f "$jar")" "$(stat -c %s.%Y "$jar")" "$java_path" \
        "$(stat -c %s.%Y "$java_path")" "${java_opts[*]}" | cksum | cut -d' ' -f1) || return 1
    mkdir -p "$cache" 2>/dev/null && cache=$(cd "$cache" && pwd) || return 1
    dir=$cache/$key
    { exec 9>>"$dir.lock"; } 2>/dev/null || return 1
    if [ ! -e "$dir/ready" ] && [ ! -e "$dir/failed" ] && flock -n -x 9; then
        make_start_archive "$cache" "$dir"
    fi
    if [ -e "$dir/ready" ] && flock -n -s 9; then
        archive_jar=$dir/app/$(basename "$jar")
        archive_opts=(-XX:SharedArchiveFile="$dir/app.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
        return 0
    fi
    exec 9>&-
    return 1
}

# Extracts the jar and runs it once on an empty input with a repository and a working folder of
# its own, in a clean environment (no keys, no SPRING_* of the environment file), dumping the
# classes it loaded; checks that java maps the archive; removes the archives of other jars that
# no run holds.
make_start_archive() {
    local cache=$1 dir=$2 scratch other
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) making the start-up archive in $dir (once per jar)"
    rm -rf "$dir" && mkdir -p "$dir" && scratch=$(mktemp -d "$dir/training.XXXXXX") || return 1
    printf 'token,region,key,tenant\n' >"$scratch/empty.csv"
    if "$java" -Djarmode=tools -jar "$jar" extract --destination "$dir/app" >"$dir/training.log" 2>&1 \
        && (cd "$scratch" && env -i PATH="$PATH" HOME="$scratch" "$java" "${java_opts[@]}" \
            -XX:ArchiveClassesAtExit="$dir/app.jsa" -jar "$dir/app/$(basename "$jar")" --input="$scratch/empty.csv" \
            --repository="$scratch" --customvision.endpoint=http://127.0.0.1:9 >>"$dir/training.log" 2>&1) \
        && "$java" "${java_opts[@]}" -Xshare:on -XX:SharedArchiveFile="$dir/app.jsa" \
            -jar "$dir/app/$(basename "$jar")" --version >>"$dir/training.log" 2>&1; then
        touch "$dir/ready"
    else
        # Remembered for this jar, java and JAVA_OPTS: later runs do not try again (delete $dir to).
        rm -rf "$dir/app" "$dir/app.jsa" && touch "$dir/failed"
        echo "=== the start-up archive could not be made (see $dir/training.log): starting without it"
    fi
    rm -rf "$scratch"
    for other in "$cache"/*.lock; do
        if [ "$other" != "$dir.lock" ]; then
            (exec 8>>"$other" && flock -n -x 8 && rm -rf "${other%.lock}" "$other")
        fi
    done
}

if [ $# -lt 1 ]; then
    echo "usage: $0 INPUT.csv [job options...] | --start-archive" >&2
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
# C1 alone compiles a run's code: its start takes half the CPU, and imports measured no slower
# (docs/benchmark.md). First, so that JAVA_OPTS wins (-XX:TieredStopAtLevel=4 for C2 again).
java_opts=(-XX:TieredStopAtLevel=1 "${java_opts[@]}")

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
cd "$home" || exit 1
archive_jar=$jar
archive_opts=()
cache=${CVIMPORT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/customvision-import}
if [ "$input" = --start-archive ]; then
    use_start_archive "$cache" && echo "start-up archive: ${archive_opts[0]#*=}" && exit 0
    echo "no start-up archive in $cache: runs start the plain jar" >&2
    exit 1
fi
mkdir -p "$(dirname "$log")" || exit 1

exec >>"$log" 2>&1
echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) start $input (pid $$, repository $repository)"
use_start_archive "$cache"
exec "$java" "${java_opts[@]}" "${archive_opts[@]}" -jar "$archive_jar" --input="$input" "$@"
