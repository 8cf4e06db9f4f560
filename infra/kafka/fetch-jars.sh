#!/usr/bin/env bash
# Fetches the Apache Kafka broker jars listed in pom.xml into a cache outside git.
# Prints the directory holding the jars. Re-running is cheap: a completed fetch is marked.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")
dir=${KAFKA_JARS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/referral-backbone/kafka-$version}
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir" >&2
  ls "$dir"/kafka_2.13-"$version".jar >/dev/null
  touch "$dir/.complete"
fi
echo "$dir"
