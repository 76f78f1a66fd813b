package io.github.rlvrdiagnostics.spark.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rlvrdiagnostics.cli.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Samples that mix per-sample results and per-problem counts: the library refuses the input as a
 * whole; here, as {@code passk --samples} does, the message names the first line of the other kind
 * than its file's first good line. The JSON-lines files are read again on the driver for it, once,
 * on this error only.
 */
final class MixedKinds {
  private MixedKinds() {}

  /** The library's message for mixed kinds starts so ({@code SparkDiagnostics.passAtK}). */
  private static final String PREFIX = "samples mix ";
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static boolean isMixed(IllegalArgumentException e) {
    return e.getMessage() != null && e.getMessage().startsWith(PREFIX);
  }

  /**
   * The error naming {@code FILE:LINE} of the first line of the other kind, or {@code e} itself
   * when no single JSON-lines file mixes kinds (the kinds are in different files, or the input is
   * Parquet).
   */
  static RuntimeException named(SparkSession spark, List<String> paths, IllegalArgumentException e) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    CompressionCodecFactory codecs = new CompressionCodecFactory(hadoop);
    try {
      for (String input : paths) {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(pattern);
        if (matches == null) {
          continue;
        }
        for (FileStatus m : matches) {
          for (Path file : files(fs, m)) {
            String found = firstOtherKind(fs, codecs, file);
            if (found != null) {
              return new InputException(found);
            }
          }
        }
      }
    } catch (IOException io) {
      return e; // the library's message still says what is wrong
    }
    return e;
  }

  private static List<Path> files(FileSystem fs, FileStatus status) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!status.isDirectory()) {
      files.add(status.getPath());
      return files;
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(status.getPath(), true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (!p.getName().startsWith("_") && !p.getName().startsWith(".")) { // Spark's hidden files
        files.add(p);
      }
    }
    return files;
  }

  private static String firstOtherKind(FileSystem fs, CompressionCodecFactory codecs, Path file) throws IOException {
    if (!file.getName().toLowerCase(Locale.ROOT).matches(".*\\.(json|jsonl|ndjson)(\\.gz)?")) {
      return null;
    }
    CompressionCodec codec = codecs.getCodec(file);
    try (InputStream raw = fs.open(file);
        BufferedReader lines = new BufferedReader(new InputStreamReader(
            codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
      Boolean perSample = null;
      int number = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException bad) {
          continue; // a bad line is skipped, as the reduction skips it
        }
        if (node == null || !node.isObject()) {
          continue;
        }
        boolean sampleLine = node.has("passed");
        if (sampleLine == (node.has("n") || node.has("c"))) {
          continue;
        }
        if (perSample == null) {
          perSample = sampleLine;
        } else if (perSample != sampleLine) {
          return file + ":" + number + ": " + (sampleLine ? "a per-sample line (\"passed\")" : "a per-problem line (\"n\", \"c\")")
              + " in a file of " + (sampleLine ? "per-problem" : "per-sample") + " lines: a file must hold one kind"
              + " (pooled, the two would count a problem's samples twice or not at all); split it";
        }
      }
    }
    return null;
  }
}
