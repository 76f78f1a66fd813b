package io.github.rlvrdiagnostics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published modules are one list: the BOM's. The modules that attach sources and Javadoc for
 * a release, the modules that do not skip deployment, the list in docs/ARCHITECTURE.md and the
 * README's module table all name the same modules.
 */
class PublishedModulesTest {
  /** Surefire runs in the module's directory: the repository root is its parent. */
  private static final Path ROOT = Path.of("..");
  private static final String PREFIX = "rlvr-diagnostics-";

  private static Set<String> all(Pattern pattern, String text, String prefix) {
    Set<String> found = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(prefix + m.group(1));
    }
    return found;
  }

  @Test
  void theBomTheBuildTheDocsAndTheReadmeNameTheSameModules() throws IOException {
    String root = Files.readString(ROOT.resolve("pom.xml"));
    Set<String> modules = all(Pattern.compile("<module>(" + PREFIX + "[a-z-]+)</module>"), root, "");
    modules.remove(PREFIX + "bom");
    assertTrue(modules.size() >= 9, "modules of the root pom: " + modules);

    Set<String> bom = all(Pattern.compile("<artifactId>(" + PREFIX + "[a-z-]+)</artifactId>"),
        Files.readString(ROOT.resolve(PREFIX + "bom/pom.xml")), "");
    bom.remove(PREFIX + "bom");

    Set<String> release = new TreeSet<>();
    Set<String> deployed = new TreeSet<>();
    for (String module : modules) {
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      if (pom.contains("<artifactId>maven-source-plugin</artifactId>")
          && pom.contains("<artifactId>maven-javadoc-plugin</artifactId>")) {
        release.add(module);
      }
      if (!pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
        deployed.add(module);
      }
    }

    String architecture = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
    int from = architecture.indexOf("published (the BOM's modules)");
    int to = architecture.indexOf("never published", from);
    assertTrue(from >= 0 && to > from, "docs/ARCHITECTURE.md lost its module picture");
    Set<String> documented = all(Pattern.compile("(?m)^  ([a-z][a-z-]*) "), architecture.substring(from, to), PREFIX);

    Set<String> readme = all(Pattern.compile("(?m)^\\| `" + PREFIX + "([a-z-]+)` \\|.*\\| yes \\|$"),
        Files.readString(ROOT.resolve("README.md")), PREFIX);
    readme.remove(PREFIX + "bom");

    assertFalse(bom.isEmpty());
    assertEquals(bom, release, "modules with the release plugins");
    assertEquals(bom, deployed, "modules that do not set maven.deploy.skip");
    assertEquals(bom, documented, "docs/ARCHITECTURE.md's published modules");
    assertEquals(bom, readme, "the README's module table");
  }
}
