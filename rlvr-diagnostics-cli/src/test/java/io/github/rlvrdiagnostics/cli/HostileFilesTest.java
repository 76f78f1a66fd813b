package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file defects found by a hostile-input round: each input once made a reader crash, hang or guess. */
class HostileFilesTest {
  @TempDir Path dir;

  private static final String CHECKPOINT = "{\"name\":\"a\",\"entropy\":0.5,\"passAt1\":0.2}";

  private String write(String name, String text) throws IOException {
    return write(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private String write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file.toString();
  }

  private String sparse(String name, long size, byte[] head) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(head);
      raf.setLength(size);
    }
    return file.toString();
  }

  @Test
  void nestingBeyondJacksonsLimitIsBadInput() throws IOException {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertBadInput("nesting depth", "entropy", "--logits", write("deep.json", deep));
    assertBadInput("nesting depth", "triage", "--ladder", write("deep-ladder.json", deep));
    assertBadInput("nesting depth", "passk", "--samples", write("deep.jsonl", "{\"a\":" + deep + "}"));
  }

  @Test
  void trailingDataAfterJsonIsRejected() throws IOException {
    assertBadInput("trailing", "entropy", "--logits", write("t.json", "[1,2] [3]"));
    assertBadInput("Unrecognized token 'garbage'", "triage", "--ladder",
        write("t-ladder.json", "{\"checkpoints\":[" + CHECKPOINT + "]} garbage"));
    assertBadInput("trailing", "triage", "--ladder", write("t2-ladder.json", "{\"checkpoints\":[" + CHECKPOINT + "]} {}"));
    assertBadInput("trailing", "passk", "--samples", write("t.jsonl", "{\"task_id\":\"a\",\"n\":2,\"c\":1} {\"x\":1}"));
  }

  @Test
  void duplicateKeysAreRejectedEverywhere() throws IOException {
    assertBadInput("Duplicate field 'checkpoints'", "triage", "--ladder",
        write("d-ladder.json", "{\"checkpoints\":[" + CHECKPOINT + "],\"checkpoints\":[]}"));
    assertBadInput("Duplicate field 'n'", "passk", "--samples", write("d.jsonl", "{\"task_id\":\"a\",\"n\":2,\"n\":3,\"c\":1}"));
  }

  @Test
  void ladderValuesAreNotClampedOrOverridden() throws IOException {
    assertBadInput("\"seed\" must be an integer", "triage", "--ladder",
        write("seed.json", "{\"checkpoints\":[{\"name\":\"a\",\"seed\":1e30,\"entropy\":0.5,\"passAt1\":0.2}]}"));
    assertBadInput("step\" must be an integer", "triage", "--ladder", write("step.json",
        "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":0.5,\"passAt1\":0.2,\"entropyTrace\":[{\"step\":1e300,\"entropy\":1}]}]}"));
    assertBadInput("checkpoints[1]: duplicate checkpoint (name 'a', seed 0)", "triage", "--ladder",
        write("dup.json", "{\"checkpoints\":[" + CHECKPOINT + "," + CHECKPOINT + "]}"));
    assertBadInput("pass@1 given twice", "triage", "--ladder",
        write("twice.json", "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":0.5,\"passAt1\":0.2,\"passAtK\":{\"1\":0.3}}]}"));
  }

  @Test
  void csvAndPoolingMessagesSayWhatIsWrong() throws IOException {
    assertBadInput("duplicate column", "passk", "--samples", write("dup.csv", "task_id,n,c,n\na,4,1,4\n"));
    // Each line's n is in range; pooled, the task's is not.
    String pooled = write("pooled.jsonl", "{\"task_id\":\"t1\",\"n\":2147483647,\"c\":0}\n"
        + "{\"task_id\":\"t1\",\"n\":2147483647,\"c\":0}\n");
    assertBadInput(pooled + ": task 't1' has more than 2^31 - 1 samples", "passk", "--samples", pooled);
    String wide = write("wide.csv", "x".repeat(50_000) + "\n1\n");
    CliRun run = CliRun.of("passk", "--samples", wide);
    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().length() < 1000, "stderr echoes the header whole: " + run.err().length() + " characters");
  }

  @Test
  void invalidUtf8NamesFileAndOffset() throws IOException {
    byte[] bytes = "{\"task_id\":\"a\",\"n\":2,\"c\":1}\n{\"task_id\":\"b\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
    String file = write("bad.jsonl", bytes);
    // in a JSON-lines samples file the bad line is skipped and listed, the good one kept.
    CliRun skipped = CliRun.of("passk", "--samples", file);
    assertEquals(0, skipped.status(), skipped.err());
    assertEquals(file + ": skipped line 2: not valid UTF-8 at byte 41", skipped.err().strip());
    String only = write("only-bad.jsonl", "{\"task_id\":\"b\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1));
    assertBadInput(only + ": holds no good problem; " + only + ":1: not valid UTF-8 at byte 13", "passk", "--samples", only);
    String csv = write("bad.csv", "task_id,n,c\n\u00ff,4,1\n".getBytes(StandardCharsets.ISO_8859_1));
    assertBadInput(csv + ": not valid UTF-8 at byte 12 (line 2)", "passk", "--samples", csv);
    String ladder = write("bad-ladder.json", "{\"checkpoints\":[\u00ff]}".getBytes(StandardCharsets.ISO_8859_1));
    assertBadInput(ladder + ": not valid UTF-8 at byte 16 (line 1)", "triage", "--ladder", ladder);
  }

  @Test
  void npyShapeThatOverflowsIsRejected() throws IOException {
    byte[] npy = EntropyCommandTest.npy(1, "<f4", "False", "(4611686018427387904, 4)", new byte[16]);
    assertBadInput("is too large", "entropy", "--logits", write("huge-shape.npy", npy));
  }

  @Test
  void filesTooLargeAreRefusedBeforeReading() throws IOException {
    String samples = sparse("big.jsonl", (1L << 31) + 10, "{\"task_id\":\"a\",\"n\":2,\"c\":1}\n".getBytes(StandardCharsets.UTF_8));
    assertBadInput(samples + ": file of 2147483658 bytes is larger than", "passk", "--samples", samples);
    byte[] head = EntropyCommandTest.npy(1, "<f4", "False", "(525000000, 4)", new byte[0]);
    String npy = sparse("big.npy", 2_100_000_064L, head);
    assertBadInput(npy + ": file of 2100000064 bytes is larger than", "entropy", "--logits", npy);
  }
}
