package io.github.rlvrdiagnostics.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.rlvrdiagnostics.djl.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The built-in verifiable task: "write {@code k} digits whose sum is {@code t}".
 *
 * <p>Tokens 0–9 are digits; {@link #K2} and {@link #K3} announce how many digits to write. A
 * prompt is {@code [K_k, t / 10, t % 10]}, a completion {@code k} digits, and the verifier pays 1
 * exactly when the digits sum to {@code t}. Every target has several correct answers
 * ({@link #correctAnswers}), from one (t = 0 or 9k) to dozens, so there is a mode to collapse onto
 * and alternatives to lose. Difficulty spreads with {@code k} and with how few answers a target
 * has: the SFT prompts are two-digit problems, the GRPO prompts three-digit ones.
 *
 * <p>The teacher always shows one canonical answer: the largest digits first ({@code t = 13, k = 3}
 * gives 9, 4, 0), so over-trained SFT learns one mode per target. Stateless and thread-safe.
 */
public final class DigitSumTask {
  private DigitSumTask() {}

  /** Vocabulary size: ten digits and two task markers. */
  public static final int VOCAB = 12;
  /** The marker of two-digit problems. */
  public static final int K2 = 10;
  /** The marker of three-digit problems. */
  public static final int K3 = 11;

  /**
   * The prompt for {@code k} digits summing to {@code t}.
   *
   * @throws IllegalArgumentException unless {@code k} is 2 or 3 and {@code 0 ≤ t ≤ 9k}
   */
  public static int[] prompt(int k, int t) {
    if (!(k == 2 || k == 3)) {
      throw new IllegalArgumentException("k must be 2 or 3, was " + k);
    }
    if (!(t >= 0 && t <= 9 * k)) {
      throw new IllegalArgumentException("t must be in [0, 9k] = [0, " + 9 * k + "], was " + t);
    }
    return new int[] {k == 2 ? K2 : K3, t / 10, t % 10};
  }

  /**
   * The number of digits a prompt asks for.
   *
   * @throws IllegalArgumentException unless the prompt is one {@link #prompt} makes
   */
  public static int digits(int[] prompt) {
    check(prompt);
    return prompt[0] == K2 ? 2 : 3;
  }

  /**
   * The target sum of a prompt.
   *
   * @throws IllegalArgumentException unless the prompt is one {@link #prompt} makes
   */
  public static int target(int[] prompt) {
    check(prompt);
    return prompt[1] * 10 + prompt[2];
  }

  /** The shape {@link #prompt} makes: a marker, then the target's tens and units digits, within 9k. */
  private static void check(int[] prompt) {
    if (prompt.length != 3 || !(prompt[0] == K2 || prompt[0] == K3)
        || !(prompt[1] >= 0 && prompt[1] <= 9 && prompt[2] >= 0 && prompt[2] <= 9)
        || prompt[1] * 10 + prompt[2] > 9 * (prompt[0] == K2 ? 2 : 3)) {
      throw new IllegalArgumentException("prompt must be [marker " + K2 + " or " + K3 + ", tens, units] with a target "
          + "within 9k, was " + java.util.Arrays.toString(prompt));
    }
  }

  /** The verifier: 1 when the first {@code k} tokens are digits summing to the target, else 0. */
  public static final Verifier VERIFIER = (prompt, completion) -> {
    int k = digits(prompt);
    if (completion.length < k) {
      return 0.0;
    }
    int sum = 0;
    for (int i = 0; i < k; i++) {
      if (completion[i] > 9) {
        return 0.0;
      }
      sum += completion[i];
    }
    return sum == target(prompt) ? 1.0 : 0.0;
  };

  /** The teacher's canonical answer: greedy, largest digits first. */
  public static int[] canonical(int[] prompt) {
    int k = digits(prompt);
    int left = target(prompt);
    int[] answer = new int[k];
    for (int i = 0; i < k; i++) {
      answer[i] = Math.min(9, left);
      left -= answer[i];
    }
    return answer;
  }

  /** How many digit strings of length {@code k} sum to {@code t}. */
  public static int correctAnswers(int k, int t) {
    int count = 0;
    int limit = (int) Math.pow(10, k);
    for (int n = 0; n < limit; n++) {
      int sum = 0;
      for (int m = n, i = 0; i < k; i++, m /= 10) {
        sum += m % 10;
      }
      count += sum == t ? 1 : 0;
    }
    return count;
  }

  /** {@code count} prompts of {@code k} digits with targets drawn uniformly from the valid range, seeded. */
  public static List<int[]> prompts(int k, int count, long seed) {
    Random random = new Random(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(prompt(k, random.nextInt(9 * k + 1)));
    }
    return out;
  }

  /**
   * The exact probability that a policy sampling at temperature {@code T} answers the prompt
   * correctly: the sum over every correct digit string of the product of its next-token
   * probabilities, by enumerating all digit prefixes (11 forward passes for two digits, 111 for
   * three, batched). This is the per-prompt pass rate {@code p} of the closed forms, with no
   * sampling noise.
   */
  public static double passRate(Block policy, NDManager manager, int[] prompt, double temperature) {
    return passRate(answerDistribution(policy, manager, prompt, temperature), prompt);
  }

  /** The pass rate of an {@link #answerDistribution} for its prompt: the mass on correct answers. */
  static double passRate(double[] distribution, int[] prompt) {
    int k = digits(prompt);
    double pass = 0;
    for (int answer = 0; answer < distribution.length; answer++) {
      if (digitSum(answer, k) == target(prompt)) {
        pass += distribution[answer];
      }
    }
    return Math.min(1.0, pass);
  }

  /** The digit sum of the {@code k}-digit answer with index {@code answer} (first digit most significant). */
  static int digitSum(int answer, int k) {
    int sum = 0;
    for (int i = 0; i < k; i++, answer /= 10) {
      sum += answer % 10;
    }
    return sum;
  }

  /** The digits of answer index {@code answer}, first digit first. */
  static int[] answerDigits(int answer, int k) {
    int[] digits = new int[k];
    for (int i = k - 1; i >= 0; i--, answer /= 10) {
      digits[i] = answer % 10;
    }
    return digits;
  }

  /**
   * The probability of every all-digit answer (index = the answer read as a number, first digit
   * most significant) under the policy at temperature {@code T}; the rest of the mass went to
   * answers containing a marker token, which never pass.
   */
  public static double[] answerDistribution(Block policy, NDManager manager, int[] prompt, double temperature) {
    int k = digits(prompt);
    try (NDManager scope = manager.newSubManager()) {
      // prefixes[d] holds every digit prefix of length d, as sequence ids with the prompt in front.
      List<int[]> prefixes = new ArrayList<>();
      prefixes.add(new int[0]);
      double[] prefixProbability = {1.0};
      for (int d = 0; d < k; d++) {
        int n = prefixes.size();
        int length = prompt.length + d;
        long[] ids = new long[n * length];
        for (int r = 0; r < n; r++) {
          for (int t = 0; t < prompt.length; t++) {
            ids[r * length + t] = prompt[t];
          }
          for (int t = 0; t < d; t++) {
            ids[r * length + prompt.length + t] = prefixes.get(r)[t];
          }
        }
        NDArray input = scope.create(ids, new Shape(n, length));
        NDArray logits = policy.forward(new ParameterStore(scope, false), new NDList(input), false).head();
        float[] p = logits.get(":, " + (length - 1) + ", :").div((float) temperature).softmax(-1)
            .toType(DataType.FLOAT32, false).toFloatArray();
        int vocab = p.length / n;
        List<int[]> next = new ArrayList<>();
        double[] nextProbability = new double[n * 10];
        for (int r = 0; r < n; r++) {
          for (int digit = 0; digit < 10; digit++) {
            int[] extended = java.util.Arrays.copyOf(prefixes.get(r), d + 1);
            extended[d] = digit;
            next.add(extended);
            nextProbability[r * 10 + digit] = prefixProbability[r] * p[r * vocab + digit];
          }
        }
        prefixes = next;
        prefixProbability = nextProbability;
      }
      return prefixProbability;
    }
  }
}
