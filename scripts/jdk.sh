# Sourced by ./fathom and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or explains and exits.
# Order: $JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, then `java` on PATH.
java_major() {
  # the JDK's release file answers without starting a JVM (a tenth of a second on every launch)
  local rel; rel="$(dirname "$(dirname "$1")")/release"
  if [ -f "$rel" ]; then
    local v; v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel" | head -1)
    if [ -n "$v" ]; then echo "$v"; return; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
find_jdk25() {
  local cand
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    if [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ]; then
      local v; v=$(java_major "$cand/bin/java")
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA_HOME=$cand; export JAVA_HOME; return 0; fi
    fi
  done
  if command -v java >/dev/null 2>&1; then
    local j; j=$(readlink -f "$(command -v java)")
    local v; v=$(java_major "$j")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA_HOME=$(dirname "$(dirname "$j")"); export JAVA_HOME; return 0; fi
  fi
  echo "fathom: needs a JDK 25 or newer. Set JAVA_HOME to one (e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64)." >&2
  echo "        Found: ${JAVA_HOME:-no JAVA_HOME}; java on PATH: $(command -v java || echo none)." >&2
  exit 2
}
# Runs Maven in batch mode without colour or escape sequences unless standard error is a colour
# terminal. Maven's console library (Jansi) writes colour resets (ESC[0m) when it starts and
# stops, even with -B and -q; where the output is a file, a pipe or a plain terminal they show up
# raw ("[0m[0m") before the program's own output. jansi.noreset drops those resets.
mvn_plain() {
  local color=never
  if [ -t 2 ] && [ -n "${TERM:-}" ] && [ "${TERM:-}" != dumb ] && [ -z "${NO_COLOR:-}" ]; then color=auto; fi
  MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -Dstyle.color="$color" "$@"
}
