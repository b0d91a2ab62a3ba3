# Sourced by .ci/run, ./shop and keel-bench/run: makes JAVA_HOME point at a JDK 21 or newer.
# Keeps a JAVA_HOME or a `java` on the PATH that is new enough; otherwise picks the newest JDK 21+
# from the usual places; otherwise stops with a message that says what to install.

keel_java_major() {
    # prints the major version of the java binary given, or nothing
    "$1" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

keel_pick_java_home() {
    local candidate major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        major=$(keel_java_major "$JAVA_HOME/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            return 0
        fi
    fi
    if command -v java >/dev/null 2>&1; then
        major=$(keel_java_major java)
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
            export JAVA_HOME="$candidate"
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* /opt/java/* /opt/jdk*; do
        [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(keel_java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -n "$best" ]; then
        export JAVA_HOME="$best"
        return 0
    fi
    echo "Keel needs a JDK 21 or newer, and none was found." >&2
    echo "  java on the PATH: $(java -version 2>&1 | head -n 1 || echo none)" >&2
    echo "  Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
    return 1
}

keel_pick_java_home || exit 1
export PATH="$JAVA_HOME/bin:$PATH"

# JDK 24+ warns when a library uses sun.misc.Unsafe (Kafka and Maven's own Guice still do); these
# flags keep the output readable and are not accepted by older JDKs, hence the check.
KEEL_JAVA_MAJOR=$(keel_java_major "$JAVA_HOME/bin/java")
KEEL_JVM_FLAGS=""
if [ "${KEEL_JAVA_MAJOR:-0}" -ge 24 ]; then
    KEEL_JVM_FLAGS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
    case " ${MAVEN_OPTS:-} " in
        *sun-misc-unsafe*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:-} $KEEL_JVM_FLAGS" ;;
    esac
fi
export KEEL_JAVA_MAJOR KEEL_JVM_FLAGS
