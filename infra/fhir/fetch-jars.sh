#!/usr/bin/env bash
# Fetches HAPI FHIR's R4 parser jars listed in pom.xml into a cache outside git, for the FHIR
# tests' independent judge (hapi-strict-parse.java). Prints the directory holding the jars.
# Re-running is cheap: a completed fetch is marked.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's:.*<hapi.version>\(.*\)</hapi.version>.*:\1:p' "$here/pom.xml")
dir=${HAPI_FHIR_JARS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/referral-backbone/hapi-fhir-$version}
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$dir"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir" >&2
  ls "$dir"/hapi-fhir-structures-r4-"$version".jar >/dev/null
  touch "$dir/.complete"
fi
echo "$dir"
