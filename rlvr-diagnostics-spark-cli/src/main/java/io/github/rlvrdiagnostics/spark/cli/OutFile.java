package io.github.rlvrdiagnostics.spark.cli;

import io.github.rlvrdiagnostics.cli.InputException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code --out}: a path on any file system Spark's Hadoop configuration knows ({@code file:},
 * {@code hdfs:}, {@code s3a:} where the user's Hadoop has it; a plain path is the default file
 * system's), written by the driver. Never one of the inputs.
 */
final class OutFile {
  private OutFile() {}

  /**
   * Checks {@code out} before any job: not empty, not a directory, not an input file nor inside an
   * input directory, and in cluster deploy mode (where the driver runs on some worker) not a plain
   * path of the local file system: a {@code file:} URL written out is taken as a disk every node
   * mounts.
   *
   * @throws InputException naming the rule
   */
  static Path check(SparkSession spark, String out, List<String> inputs) {
    if (out.isBlank()) {
      throw new InputException("--out must not be empty; give a file");
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    try {
      Path path = new Path(out);
      FileSystem fs = path.getFileSystem(hadoop);
      Path target = fs.makeQualified(path);
      boolean clusterMode = "cluster".equals(spark.conf().get("spark.submit.deployMode", "client"));
      // A plain path on the local file system names a file of whichever worker runs the driver; a file: URL
      // written out is the user saying that every node mounts that path (NFS, a shared disk).
      if (clusterMode && path.toUri().getScheme() == null && "file".equals(target.toUri().getScheme())) {
        throw new InputException("--out " + out + " is a file of the driver's machine, which in cluster deploy mode is "
            + "whichever worker runs the driver: give a shared file system URL (hdfs://…, s3a://…, or file:///… on a "
            + "disk every node mounts) or use client mode");
      }
      if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
        throw new InputException("--out must be a file, but " + out + " is a directory");
      }
      for (String input : inputs) {
        Path in = new Path(input);
        FileSystem inFs = in.getFileSystem(hadoop);
        FileStatus[] matches = inFs.globStatus(in);
        if (matches == null) {
          continue; // a missing input is the reader's to report
        }
        for (FileStatus m : matches) {
          Path p = inFs.makeQualified(m.getPath());
          if (p.equals(target) || (m.isDirectory() && target.toString().startsWith(p.toString() + "/"))) {
            throw new InputException("--out " + out + " is " + (p.equals(target) ? "" : "inside ") + "the input "
                + input + ": writing it would destroy what is being read; give another file");
          }
        }
      }
      return target;
    } catch (IOException | IllegalArgumentException e) {
      throw new InputException("--out " + out + ": " + Sessions.firstLine(e.getMessage()));
    }
  }

  /** Writes {@code lines} (each ended by a newline) to the checked path, replacing any file there. */
  static void write(SparkSession spark, Path out, List<String> lines) {
    try {
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.setWriteChecksum(false); // no hidden .crc file beside the table on a local disk
      try (Writer w = new OutputStreamWriter(fs.create(out, true), StandardCharsets.UTF_8)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new InputException("--out " + out + ": cannot write (" + Sessions.firstLine(e.getMessage()) + ")");
    }
  }
}
