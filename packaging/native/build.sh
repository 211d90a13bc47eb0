#!/usr/bin/env bash
# Builds a native migsafe binary with GraalVM's native-image (release workflow; docs/packaging.md).
#
#   packaging/native/build.sh [OUT]
#
# Needs GRAALVM_HOME (GraalVM for JDK 25), git and Maven. The reachability metadata that JGit,
# Jackson and picocli need (reflection, resources such as JGit's message bundles, proxies) is
# recorded by GraalVM's tracing agent while migsafe runs the scenarios users run: every analyze
# format on a range and on staged files, the other commands, bad input. picocli's own metadata
# comes from picocli-codegen at compile time (META-INF/native-image in the jar).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/dist}
: "${GRAALVM_HOME:?set GRAALVM_HOME to a GraalVM for JDK 25}"
java="$GRAALVM_HOME/bin/java"
work=$(mktemp -d "${TMPDIR:-/tmp}/migsafe-native.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$root" && mvn -q -B -DskipTests package)
jar="$root/target/migsafe.jar"
config="$work/metadata/META-INF/native-image/dev.migsafe/migsafe"
mkdir -p "$config"

# The scenarios: the shop project of fixtures/ on main, a feature branch with the report's
# migrations, and the same migrations staged.
repo="$work/repo"
git_() { git -C "$repo" -c user.name=build -c user.email=build@example.com -c commit.gpgsign=false "$@"; }
mkdir -p "$repo"
cp -R "$root/fixtures/shop" "$repo/shop"
git_ init -q -b main && git_ add . && git_ commit -q -m shop
git_ checkout -q -b feature
cp "$root/fixtures/report/"0008_*.py "$root/fixtures/report/"0009_*.py "$repo/shop/orders/migrations/"
git_ add . && git_ commit -q -m feature
git_ checkout -q main
cp "$root/fixtures/report/"0008_*.py "$repo/shop/orders/migrations/" && git_ add .

trace() {
    (cd "$repo" && HOME="$work/home" "$java" -agentlib:native-image-agent=config-merge-dir="$config" \
        -cp "$jar" dev.migsafe.cli.Main "$@" > /dev/null 2>&1) || true
}
for format in text json sarif github markdown gitlab; do
    trace analyze --format "$format" main...feature
    trace analyze --format "$format" --staged
done
trace analyze --all
trace analyze shop/orders/migrations/0008_order_review_changes.py
trace divergence main feature
trace graph main --format dot
trace history
trace rewind feature main
trace parse --format json HEAD:shop
trace baseline write --output "$work/baseline.json"
trace rules
trace explain C101
trace analyze no-such-ref
trace --help
trace --version

mkdir -p "$out"
"$GRAALVM_HOME/bin/native-image" --no-fallback -O2 -march=compatibility \
    -cp "$jar:$work/metadata" -o "$out/migsafe" dev.migsafe.cli.Main
"$out/migsafe" --version
