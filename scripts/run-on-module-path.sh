#!/usr/bin/env bash
# Runs the CroSSL CLI on the JPMS module path instead of the class path (./crossl). See docs/jpms.md.
#   scripts/run-on-module-path.sh plugins
#   scripts/run-on-module-path.sh pretrain --preset basicmotions --out /tmp/run --set training.epochs=2
# Needs a build: mvn -B -DskipTests package -pl crossl-cli -am. From crossl-cli/target/lib it prepares
# crossl-cli/target/modulepath/ (again whenever the build is newer than it):
#   mp/  the modules: links to the jars, except the ND4J jars (nd4j-*.jar), which are copied with
#        META-INF/versions/9/module-info.class removed. Their descriptors are broken (nd4j-api names a
#        package it lacks; the others require modules that do not exist: slf4j.api, commons.io), so
#        without them they become automatic modules (nd4j.api, nd4j.common, nd4j.cpu, ...).
#   cp/  the class path, for jars that cannot be modules here but are only needed by automatic modules
#        (which read the class path): jars without classes (native-only classifier jars: two
#        nd4j-native classifiers would share the module name nd4j.cpu.binary), jsr305 and ND4J's shaded
#        protobuf (split packages javax.annotation with ND4J's guava, com.google.thirdparty.publicsuffix
#        with Guava).
# --add-modules ALL-MODULE-PATH resolves modules nothing `requires` (jakarta.inject for Guice, the
# JavaCPP/OpenBLAS native modules). Environment: CROSSL_DATA, JAVA_OPTS as for ./crossl;
# CROSSL_PLUGIN_PATH (plugin jars, ':'-separated) joins the module path, so plugins are found through
# their module-info 'provides'.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/crossl-cli/target/crossl-cli.jar"
LIB="$ROOT/crossl-cli/target/lib"
OUT="$ROOT/crossl-cli/target/modulepath"
[[ -f "$JAR" && -d "$LIB" ]] || { echo "not built: cd $ROOT && mvn -B -DskipTests package -pl crossl-cli -am" >&2; exit 1; }

strip_descriptor() { # copy $1 to $2 without META-INF/versions/9/module-info.class (zip, else the JDK's jar)
  if command -v zip >/dev/null; then
    cp "$1" "$2"; zip -q -d "$2" 'META-INF/versions/9/module-info.class' >/dev/null || [[ $? == 12 ]] # 12: not there
  else
    local d; d="$(mktemp -d)"
    (cd "$d" && jar -xf "$1" && rm -f META-INF/versions/9/module-info.class && jar -c -f "$2" -m META-INF/MANIFEST.MF .)
    rm -rf "$d"
  fi
}

if [[ ! -f "$OUT/.stamp" || -n "$(find "$JAR" "$LIB" -newer "$OUT/.stamp" -print -quit)" ]]; then
  tmp="$OUT.tmp.$$"; rm -rf "$tmp"; mkdir -p "$tmp/mp" "$tmp/cp"
  for j in "$JAR" "$LIB"/*.jar; do
    n="$(basename "$j")"
    if [[ "$n" == jsr305-*.jar || "$n" == protobuf-[0-9]*.jar ]] || [[ -z "$(jar -tf "$j" | grep -m1 '\.class$')" ]]; then
      ln -s "$j" "$tmp/cp/$n"
    elif [[ "$n" == nd4j-*.jar ]]; then
      strip_descriptor "$j" "$tmp/mp/$n"
    else
      ln -s "$j" "$tmp/mp/$n"
    fi
  done
  touch "$tmp/.stamp"; rm -rf "$OUT"; mv "$tmp" "$OUT"
fi

COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)"
# shellcheck disable=SC2086
exec java --add-reads org.bytedeco.javacpp=org.slf4j -Dorg.bytedeco.javacpp.logger=slf4j -Dorg.slf4j.simpleLogger.log.org.bytedeco.javacpp.Loader=error ${JAVA_OPTS:-} -Dcrossl.defaultDataRoot="$ROOT/../shared/data" -Dcrossl.gitCommit="$COMMIT" \
  --module-path "$OUT/mp${CROSSL_PLUGIN_PATH:+:$CROSSL_PLUGIN_PATH}" --add-modules ALL-MODULE-PATH,jdk.incubator.vector -cp "$OUT/cp/*" \
  -m org.crossl.cli/org.crossl.cli.Main "$@"
