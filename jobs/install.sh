#!/usr/bin/env bash
# Installs customvision-import from a built jar as a package would, for the systemd timer or
# cron (docs/deployment.md):
#   /opt/customvision-import/lib/customvision-import.jar   the jar (root's, 0644)
#   /opt/customvision-import/bin/customvision-import.sh    the launcher (root's, 0755)
#   /etc/systemd/system/customvision-import.{service,timer}
#   /etc/customvision-import.env      the keys: root:cvimport 0640, kept if it exists
#   /srv/migrations/                  inputs: root:cvimport 0750 (root writes, the job reads)
#   /var/lib/customvision-import/     the H2 repository and reports/: cvimport's, 0700
#   /var/log/customvision-import/     the log: cvimport's, 0750
#   /var/cache/customvision-import/   the start-up archive (see the launcher): cvimport's, 0700,
#                                     made now by a training run as cvimport (about 15 s)
# and the system user and group cvimport. Run it again to upgrade: only the jar, the launcher
# and the units are replaced.
#
# usage: sudo jobs/install.sh [JAR]   (default: target/customvision-import.jar of this checkout,
#                                      made by ./mvnw -B -ntp package -DskipTests)
# DESTDIR  install below this folder instead of / (to build a package, or to look): no user
#          is created, no owner set and systemd is not told
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-$here/../target/customvision-import.jar}
dest=${DESTDIR:-}
if [ ! -r "$jar" ]; then
    echo "no jar at $jar: build it with ./mvnw -B -ntp package -DskipTests, or name it" >&2
    exit 2
fi

root_group=()
owner=()
if [ -z "$dest" ]; then
    getent group cvimport >/dev/null || groupadd --system cvimport
    getent passwd cvimport >/dev/null || useradd --system --gid cvimport --no-create-home \
        --home-dir /var/lib/customvision-import --shell /usr/sbin/nologin cvimport
    root_group=(-o root -g cvimport)
    owner=(-o cvimport -g cvimport)
fi

install -d -m 0755 "$dest/opt/customvision-import/lib" "$dest/opt/customvision-import/bin" \
    "$dest/etc/systemd/system"
install -m 0644 "$jar" "$dest/opt/customvision-import/lib/customvision-import.jar"
install -m 0755 "$here/customvision-import.sh" "$dest/opt/customvision-import/bin/customvision-import.sh"
install -m 0644 "$here/customvision-import.service" "$here/customvision-import.timer" "$dest/etc/systemd/system/"
if [ ! -e "$dest/etc/customvision-import.env" ]; then
    install -m 0640 "${root_group[@]}" "$here/customvision-import.env.example" "$dest/etc/customvision-import.env"
fi
install -d -m 0750 "${root_group[@]}" "$dest/srv/migrations"
install -d -m 0700 "${owner[@]}" "$dest/var/lib/customvision-import" "$dest/var/lib/customvision-import/reports"
install -d -m 0750 "${owner[@]}" "$dest/var/log/customvision-import"
install -d -m 0700 "${owner[@]}" "$dest/var/cache/customvision-import"

if [ -z "$dest" ]; then
    # As the unit will run it (its user, its JAVA_OPTS); without it, the first run makes it.
    runuser -u cvimport -- env CVIMPORT_CACHE=/var/cache/customvision-import JAVA_OPTS=-Xmx512m \
        CVIMPORT_JAR=/opt/customvision-import/lib/customvision-import.jar CVIMPORT_HOME=/var/lib/customvision-import \
        /opt/customvision-import/bin/customvision-import.sh --start-archive || true
    systemctl daemon-reload 2>/dev/null || echo "systemd is not running here: the timer is not registered" >&2
    echo "installed. Next: the keys in /etc/customvision-import.env, the input at /srv/migrations/tenants.csv,"
    echo "then: systemctl enable --now customvision-import.timer (or: crontab -u cvimport jobs/crontab.example)"
fi
