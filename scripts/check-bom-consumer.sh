#!/usr/bin/env bash
# Proves the published shape works: installs the BOM and the library artifacts into the local
# Maven repository, then builds and runs a throw-away project (in a temporary directory) that
# imports the BOM and depends on rlvr-diagnostics-core without any version of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl rlvr-diagnostics-bom,rlvr-diagnostics-api,rlvr-diagnostics-core,rlvr-diagnostics-logs,rlvr-diagnostics-djl -am
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/main/java/consumer"
cat > "$work/pom.xml" <<'POM'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>consumer</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.github.rlvrdiagnostics</groupId>
        <artifactId>rlvr-diagnostics-bom</artifactId>
        <version>0.1.0-SNAPSHOT</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.github.rlvrdiagnostics</groupId>
      <artifactId>rlvr-diagnostics-core</artifactId>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.16.0</version>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
cat > "$work/src/main/java/consumer/Main.java" <<'JAVA'
package consumer;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

public class Main {
  public static void main(String[] args) {
    System.out.println("p*(8) = " + RlvrDiagnostics.degenerateThreshold().pStar(8));
  }
}
JAVA
(cd "$work" && mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt)
out=$(java -cp "$work/target/classes:$(cat "$work/cp.txt")" consumer.Main)
echo "$out"
case "$out" in
  "p*(8) = 0.0829"*) echo "BOM consumer: OK" ;;
  *) echo "BOM consumer: unexpected output" >&2; exit 1 ;;
esac
