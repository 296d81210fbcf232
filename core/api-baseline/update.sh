#!/usr/bin/env bash
# Regenerates the plugin-API baseline that the build checks binary compatibility against
# (japicmp in core/pom.xml): propel-plugin-api.jar holds the class files of the API packages
# dev.propel.spi, dev.propel.tensor and dev.propel.kernel, taken from the core jar just built.
#
# Run it from anywhere after building the core:
#   mvn -q -DskipTests package -pl core && core/api-baseline/update.sh
# Refresh the baseline at each release, and on purpose when the SPI major version changes
# (docs/plugin-guide.md, "Compatibility policy"); never to silence a failing check in a minor release.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
core="$(dirname "$here")"
baseline="$here/propel-plugin-api.jar"

shopt -s nullglob
jars=()
for j in "$core"/target/propel-core-*.jar; do
  case "$j" in *-tests.jar | *-sources.jar | *-javadoc.jar) ;; *) jars+=("$j") ;; esac
done
if [ "${#jars[@]}" -ne 1 ]; then
  echo "update.sh: expected exactly one core jar in $core/target, found ${#jars[@]} (${jars[*]:-none});" \
       "build it first: mvn -q -DskipTests package -pl core" >&2
  exit 1
fi

# The JDK's jar tool: from JAVA_HOME, else the build's JDK 25, else the PATH.
jar_tool=""
for candidate in "${JAVA_HOME:-}/bin/jar" /usr/lib/jvm/temurin-25-jdk-amd64/bin/jar "$(command -v jar || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then jar_tool="$candidate"; break; fi
done
if [ -z "$jar_tool" ]; then
  echo "update.sh: no 'jar' tool found; set JAVA_HOME to a JDK" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$jar_tool" -xf "${jars[0]}" dev/propel/spi dev/propel/tensor dev/propel/kernel)
for package in spi tensor kernel; do
  if [ ! -d "$work/dev/propel/$package" ]; then
    echo "update.sh: ${jars[0]} has no dev/propel/$package; is it a Propel core jar?" >&2
    exit 1
  fi
done
# A fixed timestamp, so the same API gives the same bytes; written next to the old one, then moved.
"$jar_tool" --create --no-manifest --date=2026-01-01T00:00:00Z --file "$work/baseline.jar" -C "$work" dev
mv -f "$work/baseline.jar" "$baseline"
count="$("$jar_tool" -tf "$baseline" | grep -c '\.class$')"
echo "wrote $baseline ($count classes of dev.propel.spi, dev.propel.tensor, dev.propel.kernel from ${jars[0]##*/})"
