# propel-common.sh: what both launchers of the propel command share, sourced (not run) by ./propel in the
# source tree and by bin/propel in the distribution (propel-<version>.tar.gz, where it is libexec/propel-common.sh).
# Defines:
#   find_java_or_exit   sets `java` to a JDK $MIN_JAVA or newer, or explains what to install and exits 1
#   propel_jvm_opts     sets `jvm_opts` (Vector API module, progress mode, terminal width) and `extra`
#   run_propel CP ARGS  runs dev.propel.cli.Main on class path CP, dropping the JVM's incubator warning
# Expects `say` (prints "propel: ..." on stderr) to be defined by the launcher.
# Environment: JAVA_HOME (a JDK to prefer), PROPEL_JAVA_OPTS (extra JVM options), PROPEL_JVM_DIR (search only
# this directory for JDKs, instead of /usr/lib/jvm and the PATH; for tests).

readonly MIN_JAVA=25

# The major version of a java binary (8 for "1.8.0_392", 25 for "25.0.3" or "25-ea"), or nothing.
java_major() {
  local line v
  line="$("$1" -version 2>&1 | head -n 1)" || true
  [[ "$line" == *'version "'* ]] || return 0
  v="${line#*version \"}"
  v="${v%%\"*}"
  [[ "$v" == 1.* ]] && v="${v#1.}"
  v="${v%%[!0-9]*}"
  [[ -n "$v" ]] && printf '%s\n' "$v"
  return 0
}

# Sets `java` to the first suitable JDK's java: JAVA_HOME, else the newest in the search directory.
# Otherwise `found` describes what was seen, for the error message.
find_java() {
  local candidates=() seen=() c real major best="" best_major=0
  java="" found=""
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  local dir="${PROPEL_JVM_DIR:-/usr/lib/jvm}"
  for c in "$dir"/*/bin/java; do [[ -e "$c" ]] && candidates+=("$c"); done
  if [[ -z "${PROPEL_JVM_DIR:-}" ]] && c="$(command -v java 2>/dev/null)"; then candidates+=("$c"); fi
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    real="$(readlink -f "$c")"
    [[ " ${seen[*]-} " == *" $real "* ]] && continue
    seen+=("$real")
    major="$(java_major "$c")"
    [[ -n "$major" ]] || continue
    if (( major >= MIN_JAVA )); then
      # JAVA_HOME wins when suitable; among the others, the newest.
      if [[ -n "${JAVA_HOME:-}" && "$c" == "$JAVA_HOME/bin/java" ]]; then java="$c"; return 0; fi
      if (( major > best_major )); then best="$c"; best_major=$major; fi
    else
      local home="${real%/bin/java}"
      found+="${found:+, }$major at $home"
    fi
  done
  java="$best"
}

find_java_or_exit() {
  find_java
  if [[ -z "$java" ]]; then
    say "needs a JDK $MIN_JAVA or newer (found ${found:-no JDK}); install Temurin $MIN_JAVA (e.g. apt-get install temurin-$MIN_JAVA-jdk) or set JAVA_HOME to a JDK $MIN_JAVA"
    exit 1
  fi
}

# Progress bars only when stderr is a terminal; the width comes from the terminal.
# Guava (used by Guice) touches sun.misc.Unsafe; allow it rather than have JDK 24+ print four warning lines.
propel_jvm_opts() {
  jvm_opts=(--add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow)
  if [[ -t 2 ]]; then
    jvm_opts+=(-Dpropel.progress=bar)
    local cols
    cols="$(stty size </dev/tty 2>/dev/null | cut -d ' ' -f 2)" || true
    [[ "$cols" =~ ^[0-9]+$ ]] && jvm_opts+=("-Dpropel.columns=$cols")
  else
    jvm_opts+=(-Dpropel.progress=lines)
  fi
  read -r -a extra <<<"${PROPEL_JAVA_OPTS:-}"
}

# The JVM announces "WARNING: Using incubator modules: jdk.incubator.vector" as the first line on
# stderr; drop exactly that line and pass everything else through unchanged and unbuffered.
drop_incubator_warning() {
  local first=""
  if IFS= read -r first; then
    [[ "$first" == "WARNING: Using incubator modules: jdk.incubator.vector" ]] || printf '%s\n' "$first"
    exec cat
  fi
  [[ -n "$first" ]] && printf '%s' "$first"
  return 0
}

# run_propel CLASSPATH [JVM_OPTION...] -- ARG...: runs the CLI with jvm_opts, the given options and extra,
# then exits with its exit code. java's stdout stays stdout (fd 3); its stderr goes through the filter.
run_propel() {
  local cp="$1" opts=() rc
  shift
  while (( $# > 0 )) && [[ "$1" != -- ]]; do opts+=("$1"); shift; done
  (( $# > 0 )) && shift
  set +e
  { "$java" "${jvm_opts[@]}" "${opts[@]}" "${extra[@]}" -cp "$cp" dev.propel.cli.Main "$@" 2>&1 1>&3 3>&- \
      | drop_incubator_warning 3>&- >&2; } 3>&1
  rc=${PIPESTATUS[0]}
  set -e
  exit "$rc"
}
